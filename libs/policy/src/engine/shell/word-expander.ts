/**
 * Bash word expansion, statically: brace expansion, tilde, parameter and command
 * substitution, `$'..'`, quote removal, backslashes and field splitting on IFS.
 * Unknown variables are empty (bash's unset-is-empty) but flag the word `dynamic`,
 * so `"$X"/` is judged as `/` and a program name computed at run time is visible.
 */
export interface ExpandedArg {
  value: string;
  /** Part of the value was not known statically. */
  dynamic: boolean;
  /** Unquoted glob characters remain. */
  glob: boolean;
  /** Came from a secret-looking variable or a substitution that read a secret. */
  secret: boolean;
  /** Came from a substitution whose output is downloaded from the network. */
  network?: boolean;
}

export interface VarValue {
  value: string;
  dynamic: boolean;
  secret?: boolean;
  network?: boolean;
  /** A list: an array's elements (`a=(x y)`) or the positional parameters (`$@`). `value` is them joined by spaces. */
  fields?: string[];
  /** Quoted, this expansion gives one word per field (`"$@"`, `"${a[@]}"`), not one word. */
  spread?: boolean;
}

export interface SubstitutionResult {
  value: string | undefined;
  secret?: boolean;
  network?: boolean;
}

export interface ExpansionHooks {
  lookup(name: string): VarValue | undefined;
  /** Analyses the script of `$(...)`, backticks or `<(...)` and returns its output when statically known. */
  substitute(script: string, kind: 'command' | 'process'): SubstitutionResult;
  home: string;
  ifs(): string;
}

const MAX_BRACE_ALTERNATIVES = 64;
const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)/i;

export function isSecretVariable(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function expandWord(text: string, hooks: ExpansionHooks): ExpandedArg[] {
  const out: ExpandedArg[] = [];
  for (const alternative of braceExpand(text)) out.push(...expandOne(alternative, hooks));
  return out;
}

interface FieldBuilder {
  fields: ExpandedArg[];
  cur: string;
  has: boolean;
  dynamic: boolean;
  glob: boolean;
  secret: boolean;
  network: boolean;
}

function expandOne(s: string, hooks: ExpansionHooks): ExpandedArg[] {
  const b: FieldBuilder = {
    fields: [],
    cur: '',
    has: false,
    dynamic: false,
    glob: false,
    secret: false,
    network: false,
  };
  let i = 0;
  if (s.startsWith('~')) {
    const match = /^~([A-Za-z_][A-Za-z0-9_-]*)?(?=\/|$)/.exec(s);
    if (match) {
      const user = match[1];
      appendLiteral(b, user ? (user === 'root' ? '/root' : `/home/${user}`) : hooks.home);
      i = match[0].length;
    }
  }
  while (i < s.length) {
    const c = s[i];
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      const stop = end < 0 ? s.length : end;
      appendLiteral(b, s.slice(i + 1, stop));
      i = stop + 1;
    } else if (c === '$' && s[i + 1] === "'") {
      const { value, end } = readAnsiC(s, i + 2);
      appendLiteral(b, value);
      i = end;
    } else if (c === '"' || (c === '$' && s[i + 1] === '"')) {
      i = readDoubleQuoted(s, c === '$' ? i + 2 : i + 1, b, hooks);
    } else if (c === '\\') {
      if (s[i + 1] === '\n') i += 2;
      else {
        appendLiteral(b, s[i + 1] ?? '');
        i += 2;
      }
    } else if (c === '$') {
      const { value, end } = readDollar(s, i, hooks);
      if (value) appendExpansion(b, value, false, hooks);
      else b.cur += '';
      i = end;
    } else if (c === '`') {
      const end = findBacktickEnd(s, i + 1);
      const inner = s.slice(i + 1, end).replace(/\\([`$\\])/g, '$1');
      appendExpansion(b, substitution(hooks.substitute(inner, 'command'), inner), false, hooks);
      i = end + 1;
    } else if ((c === '<' || c === '>') && s[i + 1] === '(') {
      const end = findParenEnd(s, i + 2);
      appendLiteral(b, hooks.substitute(s.slice(i + 2, end), 'process').value ?? '/dev/fd/63');
      i = end + 1;
    } else {
      if (c === '*' || c === '?' || c === '[') b.glob = true;
      b.cur += c;
      b.has = true;
      i++;
    }
  }
  if (b.has || b.cur !== '') pushField(b);
  // An unknown expansion that may be empty still occupies the word statically (e.g. a computed program name).
  if (b.fields.length === 0 && b.dynamic)
    b.fields.push({ value: '', dynamic: true, glob: false, secret: b.secret, network: b.network });
  return b.fields;
}

function substitution(result: SubstitutionResult, _script: string): VarValue {
  if (result.value === undefined) return { value: '', dynamic: true, secret: result.secret, network: result.network };
  return { value: result.value.replace(/\n+$/, ''), dynamic: false, secret: result.secret, network: result.network };
}

function appendLiteral(b: FieldBuilder, text: string): void {
  b.cur += text;
  b.has = true;
}

function appendExpansion(b: FieldBuilder, value: VarValue, quoted: boolean, hooks: ExpansionHooks): void {
  if (value.dynamic) b.dynamic = true;
  if (value.secret) b.secret = true;
  if (value.network) b.network = true;
  if (quoted && value.spread && value.fields) {
    // `"a$@b"` with 1 2: `a1` and `2b`; with no parameters the word is `ab` (bash drops an empty "$@").
    value.fields.forEach((field, i) => {
      if (i > 0) pushField(b);
      b.cur += field;
      b.has = true;
    });
    return;
  }
  if (quoted) {
    b.cur += value.value;
    b.has = true;
    return;
  }
  const ifs = hooks.ifs();
  for (const ch of value.value) {
    if (ifs.includes(ch)) {
      if (b.has || b.cur !== '') pushField(b);
    } else {
      if (ch === '*' || ch === '?' || ch === '[') b.glob = true;
      b.cur += ch;
      b.has = true;
    }
  }
}

function pushField(b: FieldBuilder): void {
  b.fields.push({ value: b.cur, dynamic: b.dynamic, glob: b.glob, secret: b.secret, network: b.network });
  b.cur = '';
  b.has = false;
  b.glob = false;
}

function readDoubleQuoted(s: string, start: number, b: FieldBuilder, hooks: ExpansionHooks): number {
  let i = start;
  b.has = true;
  while (i < s.length && s[i] !== '"') {
    const c = s[i];
    if (c === '\\' && '$`"\\\n'.includes(s[i + 1] ?? '')) {
      if (s[i + 1] !== '\n') b.cur += s[i + 1];
      i += 2;
    } else if (c === '$' && s[i + 1] !== '"' && s[i + 1] !== undefined) {
      const { value, end } = readDollar(s, i, hooks);
      if (value) appendExpansion(b, value, true, hooks);
      i = end;
    } else if (c === '`') {
      const end = findBacktickEnd(s, i + 1);
      const inner = s.slice(i + 1, end).replace(/\\([`$\\])/g, '$1');
      appendExpansion(b, substitution(hooks.substitute(inner, 'command'), inner), true, hooks);
      i = end + 1;
    } else {
      b.cur += c;
      i++;
    }
  }
  return i + 1;
}

/** `$...` at s[i]; returns the expanded value (null for a literal `$`). */
function readDollar(s: string, i: number, hooks: ExpansionHooks): { value: VarValue | null; end: number } {
  const next = s[i + 1];
  if (next === '(' && s[i + 2] === '(') {
    const end = findParenEnd(s, i + 3);
    const closeEnd = s[end + 1] === ')' ? end + 2 : end + 1;
    const inner = s.slice(i + 3, end);
    // Bash reads `$((...))` that is not valid arithmetic as `$( (...) )`: judge that reading too.
    if (!/^[\s\w+\-*/%<>=!&|^~?:,.()[\]]*$/.test(inner) || /\s-\w|\//.test(inner))
      hooks.substitute(`(${inner})`, 'command');
    return { value: evaluateArithmetic(inner), end: closeEnd };
  }
  if (next === '(') {
    const end = findParenEnd(s, i + 2);
    const inner = s.slice(i + 2, end);
    return { value: substitution(hooks.substitute(inner, 'command'), inner), end: end + 1 };
  }
  if (next === '{') {
    const end = findBraceEnd(s, i + 2);
    return { value: expandParameter(s.slice(i + 2, end), hooks), end: end + 1 };
  }
  const name = /^([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(s.slice(i + 1));
  if (!name) return { value: { value: '$', dynamic: false }, end: i + 1 };
  const variable = lookupVar(name[1], hooks);
  return { value: listElement(variable, name[1], '') ?? variable, end: i + 1 + name[1].length };
}

function lookupVar(name: string, hooks: ExpansionHooks): VarValue {
  const found = hooks.lookup(name);
  if (found) return { ...found, secret: found.secret || isSecretVariable(name) };
  return { value: '', dynamic: true, secret: isSecretVariable(name) };
}

/** `${...}` forms: defaults, alternatives, length, trims; anything else is dynamic. */
function expandParameter(body: string, hooks: ExpansionHooks): VarValue {
  const match = /^(!?)([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])(.*)$/s.exec(body);
  if (!match) {
    if (body.startsWith('#')) return { value: '', dynamic: true };
    return { value: '', dynamic: true };
  }
  const [, indirect, name, rest] = match;
  if (indirect) return { value: '', dynamic: true };
  const variable = lookupVar(name, hooks);
  const element = listElement(variable, name, rest);
  if (element) return element;
  const known = hooks.lookup(name) !== undefined;
  const op = /^(:?[-=+?])(.*)$/s.exec(rest);
  if (op) {
    const [, operator, word] = op;
    const alt = (): VarValue => {
      const fields = expandWord(word, hooks);
      return {
        value: fields.map((field) => field.value).join(' '),
        dynamic: fields.some((field) => field.dynamic),
        secret: fields.some((field) => field.secret),
      };
    };
    const isSet = known && (operator.startsWith(':') ? variable.value !== '' : true);
    if (operator.endsWith('+'))
      return isSet ? alt() : known ? { value: '', dynamic: false } : { ...alt(), dynamic: true };
    if (isSet) return variable;
    const fallback = alt();
    // The variable may exist at run time; the default is only the likely value.
    return { ...fallback, dynamic: fallback.dynamic || !known };
  }
  if (rest === '') return variable;
  return { value: variable.value, dynamic: true, secret: variable.secret };
}

/**
 * `${a[@]}` (one word per element when quoted), `${a[*]}` (one word), `${a[2]}` (an element), and
 * `$@` / `${@}`: the list a variable holds. Undefined when `rest` is not one of these.
 */
function listElement(variable: VarValue, name: string, rest: string): VarValue | undefined {
  const subscript = /^\[(@|\*|\d{1,4})\]$/.exec(rest)?.[1];
  if (subscript === undefined && !(rest === '' && (name === '@' || name === '*'))) return undefined;
  const fields = variable.fields ?? (variable.dynamic ? undefined : [variable.value]);
  if (fields === undefined) return { ...variable, dynamic: true };
  if (subscript !== undefined && /^\d/.test(subscript)) {
    const index = Number(subscript);
    return index < fields.length
      ? { ...variable, value: fields[index], fields: undefined }
      : { value: '', dynamic: false };
  }
  const spread = subscript === '@' || (subscript === undefined && name === '@');
  return { ...variable, value: fields.join(' '), fields, spread };
}

/** Only a plain integer is known; anything computed is left to run time (never eval'd here). */
function evaluateArithmetic(expr: string): VarValue {
  const trimmed = expr.trim();
  if (/^-?\d{1,15}$/.test(trimmed)) return { value: String(Number(trimmed)), dynamic: false };
  return { value: '0', dynamic: true };
}

export function readAnsiC(s: string, start: number): { value: string; end: number } {
  let i = start;
  let value = '';
  while (i < s.length && s[i] !== "'") {
    if (s[i] !== '\\') {
      value += s[i++];
      continue;
    }
    const e = s[i + 1];
    i += 2;
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      a: '\x07',
      b: '\b',
      e: '\x1b',
      E: '\x1b',
      f: '\f',
      v: '\v',
      '\\': '\\',
      "'": "'",
      '"': '"',
      '?': '?',
    };
    if (e in simple) value += simple[e];
    else if (e === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i))?.[0] ?? '';
      value += hex ? String.fromCharCode(parseInt(hex, 16)) : '\\x';
      i += hex.length;
    } else if (e === 'u' || e === 'U') {
      const hex = new RegExp(`^[0-9a-fA-F]{1,${e === 'u' ? 4 : 8}}`).exec(s.slice(i))?.[0] ?? '';
      value += hex ? String.fromCodePoint(parseInt(hex, 16)) : '\\' + e;
      i += hex.length;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const oct = /^[0-7]{0,2}/.exec(s.slice(i))?.[0] ?? '';
      value += String.fromCharCode(parseInt(e + oct, 8));
      i += oct.length;
    } else if (e === 'c') {
      i += 1;
    } else value += '\\' + (e ?? '');
  }
  return { value, end: i + 1 };
}

/** Index of the `)` closing a `(` opened before `start`, skipping quotes and nested parens. */
export function findParenEnd(s: string, start: number): number {
  let depth = 1;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === "'") i = Math.max(i, s.indexOf("'", i + 1) < 0 ? s.length : s.indexOf("'", i + 1));
    else if (c === '"') i = skipDouble(s, i + 1);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return s.length;
}

function skipDouble(s: string, start: number): number {
  for (let i = start; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return s.length;
}

function findBraceEnd(s: string, start: number): number {
  let depth = 1;
  for (let i = start; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return s.length;
}

function findBacktickEnd(s: string, start: number): number {
  for (let i = start; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '`') return i;
  }
  return s.length;
}

/** Bash brace expansion (`{a,b}`, `{1..3}`) on unquoted braces, before any other expansion. */
export function braceExpand(text: string): string[] {
  if (!text.includes('{')) return [text];
  const found = findBrace(text);
  if (!found) return [text];
  const { open, close, parts } = found;
  const prefix = text.slice(0, open);
  const suffix = text.slice(close + 1);
  const results: string[] = [];
  for (const part of parts) {
    for (const expanded of braceExpand(prefix + part + suffix)) {
      results.push(expanded);
      if (results.length >= MAX_BRACE_ALTERNATIVES) return results;
    }
  }
  return results;
}

function findBrace(text: string): { open: number; close: number; parts: string[] } | null {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      i = findBraceEnd(text, i + 2);
      continue;
    }
    if (c !== '{') continue;
    let depth = 1;
    const commas: number[] = [];
    let innerQuote: string | null = null;
    for (let j = i + 1; j < text.length; j++) {
      const d = text[j];
      if (innerQuote) {
        if (d === innerQuote) innerQuote = null;
        continue;
      }
      if (d === '\\') {
        j++;
        continue;
      }
      if (d === "'" || d === '"') innerQuote = d;
      else if (d === '{') depth++;
      else if (d === '}') {
        if (--depth === 0) {
          const body = text.slice(i + 1, j);
          if (commas.length > 0) {
            const parts: string[] = [];
            let last = i + 1;
            for (const comma of commas) {
              parts.push(text.slice(last, comma));
              last = comma + 1;
            }
            parts.push(text.slice(last, j));
            return { open: i, close: j, parts };
          }
          const range = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])$/.exec(body);
          if (range) return { open: i, close: j, parts: expandRange(range[1], range[2]) };
          break;
        }
      } else if (d === ',' && depth === 1) commas.push(j);
    }
  }
  return null;
}

function expandRange(from: string, to: string): string[] {
  const numeric = /^-?\d+$/.test(from);
  const a = numeric ? Number(from) : from.charCodeAt(0);
  const z = numeric ? Number(to) : to.charCodeAt(0);
  const step = a <= z ? 1 : -1;
  const out: string[] = [];
  for (let v = a; step > 0 ? v <= z : v >= z; v += step) {
    out.push(numeric ? String(v) : String.fromCharCode(v));
    if (out.length >= MAX_BRACE_ALTERNATIVES) break;
  }
  return out;
}
