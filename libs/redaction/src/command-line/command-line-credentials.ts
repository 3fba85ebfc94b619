import type { Candidate } from '../engine/candidate';
import { isPlaceholderValue } from '../patterns/placeholders';
import { secretName } from '../patterns/validators';
import {
  ECHO_PROGRAMS,
  PROGRAM_RULES,
  SETTING_PROGRAMS,
  SETTING_VERBS,
  type FlagRule,
  type PositionalRule,
  type ProgramRule,
  type SecretKind,
  type ValuePart,
} from './program-credentials';
import { shellCommands, type ShellCommand, type ShellWord } from './shell-words';

/**
 * How far around a program name a command line is read: a line, cut to these bounds (linear on lines
 * without breaks). shell-quote reads about 20 MB/s, so the bounds decide the worst case: on 1 MB of lines
 * naming programs with their flags (near-misses of every format), 1,024 / 4,096 read 516 KB and took
 * 48.7 ms, 512 / 1,024 read 277 KB in 37.6 ms. Flags follow their program closely, and an `echo … |`
 * feeding it sits just before it.
 */
const LOOK_BEHIND = 512;
const LOOK_AHEAD = 1024;

/** A credential found in a line: its kind and span in that line. */
interface Found {
  kind: SecretKind;
  start: number;
  end: number;
}

/**
 * Credentials passed to programs on a command line (`mysql -pX`, `curl -u
 * user:pass`, `rabbitmqctl add_user u p`, `echo X | docker login
 * --password-stdin`), wherever the line sits in a log. The scanner's keyword
 * pass reports program names; each hit reads its line once with shell-words.ts
 * and applies the rules of program-credentials.ts.
 */
export class CommandLineCredentials {
  readonly keywords: readonly string[];
  private readonly rules = new Map<string, ProgramRule[]>();
  /**
   * Per program, lower-case strings one of which a line must hold for any of its rules to fire (a flag,
   * a verb, `|`, `set`); undefined when a rule can fire on any line. Parsing a line costs microseconds,
   * this test nanoseconds, and most lines that name a program pass no credential to it.
   */
  private readonly triggers = new Map<string, string[] | undefined>();

  constructor(readonly priority: number) {
    for (const rule of PROGRAM_RULES) {
      for (const program of rule.programs) this.rules.set(program, [...(this.rules.get(program) ?? []), rule]);
    }
    for (const [program, rules] of this.rules) this.triggers.set(program, triggersOf(rules));
    for (const program of SETTING_PROGRAMS) {
      const own = this.triggers.has(program) ? this.triggers.get(program) : [];
      this.triggers.set(program, own && [...own, 'set']);
    }
    this.keywords = [...this.triggers.keys()].filter((name) => name.length >= 2);
  }

  /**
   * At a keyword hit: unless the text up to `examinedUntil` was already read,
   * reads the line around the hit when the hit is a whole program name.
   * Returns the offset up to which the text has now been read.
   */
  scanAt(text: string, at: number, examinedUntil: number, out: Candidate[]): number {
    if (at < examinedUntil) return examinedUntil;
    const program = this.programAt(text, at);
    if (program === undefined) return examinedUntil;
    const { start, end } = this.lines.around(text, at);
    const { line, lower } = this.lineAt(text, start, end);
    const triggers = this.triggers.get(program);
    // No trigger of this program: the line is left for the next program named on it, if any.
    if (triggers !== undefined && !triggers.some((trigger) => lower.includes(trigger))) return examinedUntil;
    for (const found of this.findInLine(line)) {
      out.push({
        name: found.kind,
        start: start + found.start,
        end: start + found.end,
        confidence: 'medium',
        priority: this.priority,
      });
    }
    return end;
  }

  /**
   * The line (and its lower case) for the trigger test; the last one is kept, since the keyword pass
   * reports hits in order and many share a line. Bounds are block-aligned on lines without breaks
   * (lineStart, lineEnd), so that even there consecutive hits share one.
   */
  private lineAt(text: string, start: number, end: number): { line: string; lower: string } {
    const last = this.lastLine;
    if (last && last.text === text && last.start === start && last.end === end) return last;
    const line = text.slice(start, end);
    this.lastLine = { text, start, end, line, lower: line.toLowerCase() };
    return this.lastLine;
  }

  private lastLine?: { text: string; start: number; end: number; line: string; lower: string };
  private readonly lines = new LineBounds();

  findInLine(line: string, nested = false): Found[] {
    const found: Found[] = [];
    const commands = shellCommands(line);
    commands.forEach((_command, index) => this.readCommand(line, commands, index, found));
    if (nested) return found;
    // An argument vector printed as a list (`['mysql', '-uroot', '-pX']` in a Python traceback, JSON `"args":
    // ["-pX"]` after `"cmd":"mysql"`, `spawn('mysql', ['-pX'])`): one command whose words are its items.
    for (const words of argvLists(line)) this.readCommand(line, [{ words }], 0, found);
    // A Linux audit EXECVE record (`argc=3 a0="mysql" a1="-uroot" a2="-pX"`): the quoted arguments in order.
    const executed = auditArguments(line);
    if (executed.length >= 2) this.readCommand(line, [{ words: executed }], 0, found);
    // A command quoted whole, as structured logs write it (`"msg":"run: mysql -pX db"`), is one word to the
    // shell: each quoted part naming a program is read again as a line of its own.
    for (const [from, to] of quotedParts(line)) {
      const body = line.slice(from, to);
      if (!this.namesProgram(body)) continue;
      for (const inner of this.findInLine(body, true))
        found.push({ ...inner, start: from + inner.start, end: from + inner.end });
    }
    return found;
  }

  /** The rules of every program named in `commands[index]`, applied to its arguments. */
  private readCommand(line: string, commands: readonly ShellCommand[], index: number, found: Found[]): void {
    const command = commands[index];
    const words = command.words;
    // A program's arguments run to the next word naming the same program: a line repeating a command
    // (`net user a b net user a b …`) costs what its length does, not its square. Other programs named
    // among them stay arguments too (`dotnet nuget push -k X`, `sudo -S mysql -pX`).
    const programs = words.flatMap((word, position) => {
      const name = programName(word.value);
      return this.rules.has(name) ? [{ name, position, end: words.length }] : [];
    });
    const nextOfName = new Map<string, number>();
    for (let i = programs.length - 1; i >= 0; i--) {
      programs[i].end = nextOfName.get(programs[i].name) ?? words.length;
      nextOfName.set(programs[i].name, programs[i].position);
    }
    programs.forEach(({ name, position, end }) => {
      const rules = this.rules.get(name)!;
      const args = words.slice(position + 1, end);
      for (const rule of rules) {
        for (const flag of rule.flags ?? []) flagSecrets(line, args, flag, rule.kind, found);
        for (const positional of rule.positional ?? []) positionalSecrets(line, args, positional, rule.kind, found);
        if (rule.pairsAfter) namedPairs(line, args, rule.pairsAfter, rule.kind, found);
        if (rule.stdin && (rule.stdin.when === undefined || hasWord(args, rule.stdin.when))) {
          piped(line, commands[index - 1], command, rule.stdin.part ?? 'whole', rule.kind, found);
          hereString(line, commands[index + 1], rule.stdin.part ?? 'whole', rule.kind, found);
        }
      }
    });
    settingSecrets(line, words, found);
  }

  /** A word of several words, one of them a program with rules. */
  private namesProgram(value: string): boolean {
    if (!/\s/.test(value)) return false;
    return value.split(/[\s;|&(]+/).some((part) => this.rules.has(programName(part)));
  }

  /** The program with rules whose name is the whole word at `at` (a path before it is fine: `/usr/bin/mysql`). */
  private programAt(text: string, at: number): string | undefined {
    if (at > 0 && NAME_CHAR.test(text[at - 1])) return undefined;
    let end = at;
    while (end < text.length && end - at < 40 && NAME_CHAR.test(text[end])) end++;
    const name = programName(text.slice(at, end));
    return this.triggers.has(name) ? name : undefined;
  }
}

function triggersOf(rules: readonly ProgramRule[]): string[] | undefined {
  const triggers: string[] = [];
  for (const rule of rules) {
    for (const flag of rule.flags ?? []) triggers.push(...flag.flags.map((name) => name.toLowerCase()));
    for (const positional of rule.positional ?? []) {
      if (positional.after.length === 0) return undefined;
      triggers.push(positional.after[0]);
    }
    if (rule.stdin) triggers.push('|', '<<<');
    if (rule.pairsAfter) triggers.push(rule.pairsAfter[0]);
  }
  return triggers;
}

/** The program a word names: its base name, lower case, without `.exe`. */
function programName(word: string): string {
  const base = word.slice(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1).toLowerCase();
  return base.endsWith('.exe') ? base.slice(0, -4) : base;
}

const NAME_CHAR = /[A-Za-z0-9_.-]/;

/**
 * The insides of the quoted parts of a line: `"…"` with backslash escapes, or `'…'`. One pass: a part
 * left open ends the search for it at the line's end, and the scan goes on after each part.
 */
function quotedParts(line: string): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let at = 0;
  while (at < line.length) {
    const quote = line[at];
    if (quote !== '"' && quote !== "'") {
      at++;
      continue;
    }
    let end = at + 1;
    while (end < line.length && line[end] !== quote) end += quote === '"' && line[end] === '\\' ? 2 : 1;
    if (end >= line.length) break;
    parts.push([at + 1, end]);
    at = end + 1;
  }
  return parts;
}

/**
 * Lists of quoted strings in a line (`['a', "b"]`, or a call's arguments: `exec.Command("mysql", "-pX")`),
 * each as the words of one command; a quoted word just before a `[…]` list joins it as the program
 * (`spawn('mysql', ['-pX'])`, `"cmd":"mysql","args":["-pX"]`).
 * One pass: each `[` is read once, and a list that stops being a list of strings is dropped.
 */
function argvLists(line: string): ShellWord[][] {
  const lists: ShellWord[][] = [];
  for (let open = nextOpening(line, 0); open !== -1; open = nextOpening(line, open + 1)) {
    const close = line[open] === '[' ? ']' : ')';
    const words: ShellWord[] = [];
    let at = open + 1;
    for (;;) {
      while (line[at] === ' ' || line[at] === '\t') at++;
      const item = quotedAt(line, at);
      if (item === undefined) break;
      words.push(item.word);
      at = item.end;
      while (line[at] === ' ' || line[at] === '\t') at++;
      if (line[at] !== ',') break;
      at++;
    }
    if (words.length === 0 || line[at] !== close) continue;
    const program = close === ']' ? programBefore(line, open) : undefined;
    lists.push(program ? [program, ...words] : words);
    open = at;
  }
  return lists.filter((words) => words.length >= 2);
}

/**
 * The arguments of an audit EXECVE record: `aN="…"` in order. An argument auditd wrote in hex (it held a
 * blank or a quote) is left out: its secret is not in the line as text.
 */
function auditArguments(line: string): ShellWord[] {
  if (!line.includes(' a0="')) return [];
  const words: ShellWord[] = [];
  for (const match of line.matchAll(/(?<=[ \t])a(\d{1,4})="([^"\n]*)"/g)) {
    if (Number(match[1]) !== words.length) break;
    const at = match.index + match[0].length - match[2].length - 1;
    words.push({ value: match[2], at, from: at });
  }
  return words;
}

/** The next `[` or `(` from `from`, or -1. */
function nextOpening(line: string, from: number): number {
  for (let at = from; at < line.length; at++) if (line[at] === '[' || line[at] === '(') return at;
  return -1;
}

/** A quoted string item at `at`: its value (escapes resolved) and where the item ends. */
function quotedAt(line: string, at: number): { word: ShellWord; end: number } | undefined {
  const quote = line[at];
  if (quote !== '"' && quote !== "'") return undefined;
  let end = at + 1;
  let escaped = false;
  while (end < line.length && line[end] !== quote && line[end] !== '\n') {
    if (line[end] === '\\') {
      escaped = true;
      end++;
    }
    end++;
  }
  if (line[end] !== quote) return undefined;
  const raw = line.slice(at + 1, end);
  const value = escaped ? raw.replace(/\\(.)/g, '$1') : raw;
  return { word: { value, at: escaped ? -1 : at + 1, from: at + 1 }, end: end + 1 };
}

/** The quoted word a list follows, across a `,`, `:` or blanks (`'mysql', [`, `"mysql","args":[`). */
function programBefore(line: string, open: number): ShellWord | undefined {
  const head = /(["'])([^"'\s]{1,80})\1(?:[ \t]*[,:]?[ \t]*"args"[ \t]*:)?[ \t]*[,:]?[ \t]*$/.exec(
    line.slice(Math.max(0, open - 120), open),
  );
  if (!head) return undefined;
  const at = open - head[0].length + 1;
  return { value: head[2], at, from: at };
}

/** Bounds of the window read around a hit on a line without breaks, aligned so that nearby hits share it. */
const BLOCK = 512;

/**
 * The line around a hit, cut to LOOK_BEHIND / LOOK_AHEAD (block-aligned) on long lines. Hits come in
 * increasing order within a scan, so the line breaks found are kept and each part of the text is
 * searched for breaks once: linear even on a megabyte without a newline.
 */
class LineBounds {
  private text?: string;
  private lineStart = 0;
  /** Index of the `\n` ending the current line, or the text's length. */
  private lineEnd = -1;

  around(text: string, at: number): { start: number; end: number } {
    if (text !== this.text || at < this.lineStart || at > this.lineEnd) {
      // Moving forward, the break before `at` is at or after the previous line's end: scanned once.
      this.text = text;
      this.lineStart = text.lastIndexOf('\n', at - 1) + 1;
      const next = text.indexOf('\n', at);
      this.lineEnd = next === -1 ? text.length : next;
    }
    const block = Math.floor(at / BLOCK);
    const start = Math.max(this.lineStart, (block - LOOK_BEHIND / BLOCK) * BLOCK);
    let end = Math.min(this.lineEnd, (block + 1) * BLOCK + LOOK_AHEAD);
    if (text.charCodeAt(end - 1) === 13) end--;
    return { start, end };
  }
}

/** `-S` also matches a cluster of short flags holding it (`-kS`); other words match exactly. */
function hasWord(words: readonly ShellWord[], wanted: string): boolean {
  const short = /^-[A-Za-z]$/.test(wanted) ? wanted[1] : undefined;
  return words.some(
    (word) =>
      word.value === wanted ||
      (short !== undefined && /^-[A-Za-z]{2,6}$/.test(word.value) && word.value.includes(short)),
  );
}

function flagSecrets(line: string, args: readonly ShellWord[], rule: FlagRule, kind: SecretKind, out: Found[]): void {
  if (rule.when && !hasWord(args, rule.when)) return;
  args.forEach((word, i) => {
    for (const flag of rule.flags) {
      const windows = flag.startsWith('/');
      const value = windows ? word.value.toLowerCase() : word.value;
      const next = args[i + 1];
      if (value === flag && rule.form !== 'glued' && next && !next.value.startsWith('-')) {
        addSecret(line, next, next.value, rule.part, kind, out);
      } else if (
        (rule.form === 'glued' || rule.form === 'next-or-glued') &&
        value.startsWith(flag) &&
        value.length > flag.length
      ) {
        addSecret(line, word, word.value.slice(flag.length), rule.part, kind, out);
      } else if (rule.form === 'equals-or-next' && value.startsWith(`${flag}=`)) {
        addSecret(line, word, word.value.slice(flag.length + 1), rule.part, kind, out);
      }
    }
  });
}

function positionalSecrets(
  line: string,
  args: readonly ShellWord[],
  rule: PositionalRule,
  kind: SecretKind,
  out: Found[],
): void {
  if (rule.when && !hasWord(args, rule.when)) return;
  const positional = args.filter((word) => !/^[-/][A-Za-z]/.test(word.value) || word.value.startsWith('\\\\'));
  let rest = afterSubcommand(positional, rule.after);
  if (!rest) return;
  if (rule.following) {
    const anchor = rest.findIndex((word) => rule.following!.test(word.value));
    if (anchor === -1) return;
    rest = rest.slice(anchor + 1);
  }
  const word = rule.index === 'last' ? rest[rest.length - 1] : rest[rule.index];
  if (word && !rule.unless?.test(word.value)) addSecret(line, word, word.value, rule.part, kind, out);
}

/** `echo X | docker login --password-stdin`: the words echoed into a program that reads a credential on stdin. */
function piped(
  line: string,
  source: ShellCommand | undefined,
  reader: ShellCommand,
  part: ValuePart,
  kind: SecretKind,
  out: Found[],
): void {
  if (!source || reader.joinedBy !== '|' || !ECHO_PROGRAMS.has(programName(source.words[0].value))) return;
  let args = source.words.slice(1).filter((word) => !/^-[neE]{1,3}$/.test(word.value));
  if (programName(source.words[0].value) === 'printf' && args.length > 1 && args[0].value.includes('%'))
    args = args.slice(1);
  for (const word of args) addSecret(line, word, word.value.replace(/\\n$/, ''), part, kind, out);
}

/** `gh auth login --with-token <<< X`: the word a here-string gives a program that reads a credential on stdin. */
function hereString(
  line: string,
  next: ShellCommand | undefined,
  part: ValuePart,
  kind: SecretKind,
  out: Found[],
): void {
  if (next?.joinedBy !== '<<<') return;
  const word = next.words[0];
  addSecret(line, word, word.value.replace(/\\n$/, ''), part, kind, out);
}

/** `rclone config create remote s3 secret_access_key X`: NAME VALUE pairs after a subcommand. */
function namedPairs(
  line: string,
  args: readonly ShellWord[],
  subcommand: readonly string[],
  kind: SecretKind,
  out: Found[],
): void {
  const rest = afterSubcommand(
    args.filter((word) => !word.value.startsWith('-')),
    subcommand,
  );
  if (rest) namedValues(line, rest, kind, out);
}

/** `aws configure set aws_secret_access_key X`, `npm config set //host/:_authToken X`, `setx API_TOKEN X`. */
function settingSecrets(line: string, words: readonly ShellWord[], out: Found[]): void {
  const verb = words.findIndex((word) => SETTING_VERBS.has(programName(word.value)));
  if (verb !== -1) namedValues(line, words.slice(verb + 1), 'GENERIC_SECRET', out);
}

/** `NAME VALUE` pairs: a NAME that names a credential (its last `/` or `:` part) makes the next word one. */
function namedValues(line: string, words: readonly ShellWord[], kind: SecretKind, out: Found[]): void {
  for (let i = 0; i < words.length - 1; i++) {
    const name = words[i].value;
    const value = words[i + 1];
    if (name.startsWith('-') || value.value.startsWith('-') || name.includes('=')) continue;
    if (secretName(name.replace(/^.*[/:]/, ''))) addSecret(line, value, value.value, 'whole', kind, out);
  }
}

/** The positional words after `subcommand` (`['config', 'add-authtoken']`), when they open with it. */
function afterSubcommand(positional: readonly ShellWord[], subcommand: readonly string[]): ShellWord[] | undefined {
  if (subcommand.some((verb, i) => positional[i]?.value.toLowerCase() !== verb)) return undefined;
  return positional.slice(subcommand.length);
}

function secretPart(value: string, part: ValuePart = 'whole'): string {
  switch (part) {
    case 'whole':
      return value;
    case 'after-colon':
      return value.includes(':') ? value.slice(value.indexOf(':') + 1) : '';
    case 'after-comma':
      return value.includes(',') ? value.slice(value.indexOf(',') + 1) : '';
    case 'after-percent':
      return value.includes('%') ? value.slice(value.indexOf('%') + 1) : '';
    case 'after-pass-prefix':
      return value.startsWith('pass:') ? value.slice(5) : '';
    case 'after-slash-before-at': {
      const slash = value.indexOf('/');
      if (slash === -1) return '';
      const at = value.lastIndexOf('@');
      return value.slice(slash + 1, at > slash ? at : undefined);
    }
  }
}

function addSecret(
  line: string,
  word: ShellWord,
  value: string,
  part: ValuePart | undefined,
  kind: SecretKind,
  out: Found[],
): void {
  const secret = secretPart(value, part);
  if (secret.length < 3 || isPlaceholderValue(secret) || secret.startsWith('$') || /^\*+$/.test(secret)) return;
  const start = line.indexOf(secret, word.at !== -1 ? word.at : word.from);
  if (start === -1) return;
  out.push({ kind, start, end: start + secret.length });
}
