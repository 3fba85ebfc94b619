import type { Parser } from 'web-tree-sitter';
import type { SyntaxNode } from './bash-parser';
import { expandWord, type ExpansionHooks } from './word-expander';

/**
 * The stdout of a small script when it can be computed without running anything:
 * echo, printf, base64/base32/xxd decoding, rev, cat of a here-string. This is how
 * `$(echo rm)`, `$(printf '\x72\x6d')` and `echo cm0gLXJmIC8= | base64 -d | sh` are seen through.
 */
export function staticOutput(script: string, parser: Parser, hooks: ExpansionHooks): string | undefined {
  if (script.length > 8192) return undefined;
  const tree = parser.parse(script);
  if (!tree) return undefined;
  try {
    if (tree.rootNode.hasError) return undefined;
    const statements = tree.rootNode.namedChildren.filter((n) => n && n.type !== 'comment') as SyntaxNode[];
    if (statements.length !== 1) return undefined;
    return outputOf(statements[0], undefined, hooks);
  } finally {
    tree.delete();
  }
}

function outputOf(node: SyntaxNode, input: string | undefined, hooks: ExpansionHooks): string | undefined {
  if (node.type === 'pipeline') {
    let current = input;
    for (const stage of node.namedChildren) {
      if (!stage) continue;
      current = outputOf(stage, current, hooks);
      if (current === undefined) return undefined;
    }
    return current;
  }
  if (node.type === 'redirected_statement') {
    const body = node.childForFieldName('body');
    const here = node.namedChildren.find((c) => c?.type === 'herestring_redirect');
    if (!body || !here || node.namedChildren.length !== 2) return undefined;
    const word = here.namedChildren.find((c) => c && c.type !== 'file_descriptor');
    if (!word) return undefined;
    const fields = expandWord(word.text, hooks);
    if (fields.some((f) => f.dynamic)) return undefined;
    return outputOf(body, fields.map((f) => f.value).join(' ') + '\n', hooks);
  }
  if (node.type !== 'command') return undefined;
  const words: string[] = [];
  let previousEnd = -1;
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'variable_assignment' || child.type.endsWith('redirect')) return undefined;
    if (child.startIndex === previousEnd && words.length > 0) words[words.length - 1] += child.text;
    else words.push(child.text);
    previousEnd = child.endIndex;
  }
  const argv: string[] = [];
  for (const word of words) {
    for (const field of expandWord(word, hooks)) {
      if (field.dynamic || field.glob) return undefined;
      argv.push(field.value);
    }
  }
  return evaluateProgram(argv, input);
}

export function evaluateProgram(argv: string[], input: string | undefined): string | undefined {
  const [program, ...args] = argv;
  const name = (program ?? '').split('/').pop();
  switch (name) {
    case 'echo':
      return echo(args);
    case 'printf':
      return args.length > 0 ? printf(args[0], args.slice(1)) : undefined;
    case 'cat':
    case 'tee':
      return args.filter((a) => a !== '-').length === 0 ? input : undefined;
    case 'base64':
    case 'base32':
    case 'basenc':
      if (input === undefined || !args.some((a) => /^-(d|D|-decode)$|^-[a-z]*d[a-z]*$/.test(a))) return undefined;
      return name === 'base32'
        ? base32Decode(input)
        : Buffer.from(input.replace(/\s+/g, ''), 'base64').toString('latin1');
    case 'xxd':
      if (input === undefined || !args.includes('-r')) return undefined;
      return Buffer.from(input.replace(/[^0-9a-fA-F]/g, ''), 'hex').toString('latin1');
    case 'rev':
      return input
        ?.split('\n')
        .map((line) => [...line].reverse().join(''))
        .join('\n');
    case 'tr':
      return input !== undefined && args.length === 2 ? translate(input, args[0], args[1]) : undefined;
    default:
      return undefined;
  }
}

function echo(args: string[]): string {
  let interpret = false;
  let newline = true;
  let i = 0;
  for (; i < args.length && /^-[neE]+$/.test(args[i]); i++) {
    if (args[i].includes('n')) newline = false;
    if (args[i].includes('e')) interpret = true;
    if (args[i].includes('E')) interpret = false;
  }
  const text = args.slice(i).join(' ');
  return (interpret ? unescape(text) : text) + (newline ? '\n' : '');
}

function printf(format: string, args: string[]): string {
  let out = '';
  let argIndex = 0;
  const expanded = format.replace(/%(-?\d*)([sbdcx%])/g, (_m, _width: string, conv: string) => {
    if (conv === '%') return '%';
    const arg = args[argIndex++] ?? '';
    if (conv === 'b') return unescape(arg);
    if (conv === 'd') return String(parseInt(arg, 10) || 0);
    if (conv === 'c') return arg.charAt(0);
    if (conv === 'x') return (parseInt(arg, 10) || 0).toString(16);
    return arg;
  });
  out += unescape(expanded);
  return out;
}

function unescape(text: string): string {
  return text.replace(
    /\\(x[0-9a-fA-F]{1,2}|0[0-7]{0,3}|[0-7]{1,3}|u[0-9a-fA-F]{1,4}|[ntrabfve\\])/g,
    (_m, seq: string) => {
      if (seq[0] === 'x' || seq[0] === 'u') return String.fromCharCode(parseInt(seq.slice(1), 16));
      if (/^[0-7]/.test(seq)) return String.fromCharCode(parseInt(seq, 8));
      const map: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        a: '\x07',
        b: '\b',
        f: '\f',
        v: '\v',
        e: '\x1b',
        '\\': '\\',
      };
      return map[seq] ?? seq;
    },
  );
}

function base32Decode(input: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of input.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) return '';
    bits += v.toString(2).padStart(5, '0');
  }
  let out = '';
  for (let i = 0; i + 8 <= bits.length; i += 8) out += String.fromCharCode(parseInt(bits.slice(i, i + 8), 2));
  return out;
}

function translate(input: string, from: string, to: string): string | undefined {
  const set = (spec: string): string | undefined => {
    if (spec === 'a-z') return 'abcdefghijklmnopqrstuvwxyz';
    if (spec === 'A-Z') return 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    if (spec === 'a-zA-Z') return 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
    if (spec === 'A-Za-z') return 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    if (spec === 'n-za-mN-ZA-M') return 'nopqrstuvwxyzabcdefghijklmNOPQRSTUVWXYZABCDEFGHIJKLM';
    if (spec === 'N-ZA-Mn-za-m') return 'NOPQRSTUVWXYZABCDEFGHIJKLMnopqrstuvwxyzabcdefghijklm';
    return /^[^-\\[]*$/.test(spec) ? spec : undefined;
  };
  const a = set(from);
  const b = set(to);
  if (!a || !b) return undefined;
  return [...input]
    .map((ch) => {
      const i = a.indexOf(ch);
      return i >= 0 ? (b[i] ?? b[b.length - 1]) : ch;
    })
    .join('');
}
