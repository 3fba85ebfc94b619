import { parse } from 'shell-quote';

/** One word of a command line as the shell would pass it, and where its text starts in the line. */
export interface ShellWord {
  value: string;
  /** Start of the word's value in the line; -1 when quotes or escapes split it (`-p'ab'`). */
  at: number;
  /** Where the search for this word began: any part of it lies at or after this offset. */
  from: number;
}

/** A simple command: its words, and the operator that joined it to the previous command (`|`, `&&`, `;`, …). */
export interface ShellCommand {
  words: ShellWord[];
  joinedBy?: string;
}

/**
 * shell-quote starts a comment at any `#`, even inside a word (`-pab#cd`), where a shell does not;
 * such a `#` is swapped for this character before parsing and back after.
 */
const HASH_IN_WORD = '\u0001';

/**
 * Splits a command line into simple commands of shell words (quotes and
 * escapes resolved by shell-quote; `$VAR` kept as written). Each word is then
 * located in the line, left to right, so a credential can be masked where it
 * was written. A line without quotes, escapes, `$` or `#` takes a fast path
 * that gives the same commands (shell-words.spec.ts compares the two).
 */
export function shellCommands(line: string): ShellCommand[] {
  return NEEDS_SHELL_QUOTE.test(line) ? parsedByShellQuote(line) : splitPlain(line);
}

/** What only shell-quote resolves: quotes, escapes, expansions and comments. */
const NEEDS_SHELL_QUOTE = /['"\\$#]/;
/**
 * shell-quote's control operators (`&&`, `||`, `|&`, `<<<`, `>>`, `2>&1`'s `>&`, …), longest first, or a
 * bare word: on a plain line, words are what lies between blanks and operators.
 */
const PLAIN_TOKEN = /(\|\||&(?:&|>>?)|;;&?|[;|]&|<\(|<<<|<<-|<<(?!\()|>>|>[&|(]|<[&>]|[&;()|<>])|[^\s|&;()<>]+/g;

/** shellCommands for a line that holds no quote, escape, `$` or `#`: a tokenizer instead of a parser. */
export function splitPlain(line: string): ShellCommand[] {
  const commands: ShellCommand[] = [{ words: [] }];
  let cursor = 0;
  PLAIN_TOKEN.lastIndex = 0;
  for (let token = PLAIN_TOKEN.exec(line); token !== null; token = PLAIN_TOKEN.exec(line)) {
    if (token[1] !== undefined) commands.push({ words: [], joinedBy: token[1] });
    else commands[commands.length - 1].words.push({ value: token[0], at: token.index, from: cursor });
    cursor = token.index + token[0].length;
  }
  return commands.filter((command) => command.words.length > 0);
}

/** shellCommands by shell-quote: any line. */
export function parsedByShellQuote(line: string): ShellCommand[] {
  const prepared = line.replace(/(?<=\S)#/g, HASH_IN_WORD);
  let entries: ReturnType<typeof parse>;
  try {
    entries = parse(prepared, (name) => `$${name}`);
  } catch {
    return [];
  }
  const commands: ShellCommand[] = [{ words: [] }];
  let cursor = 0;
  for (const entry of entries) {
    if (typeof entry === 'object' && 'comment' in entry) break;
    if (typeof entry === 'object' && 'op' in entry && entry.op !== 'glob') {
      const op = entry.op as string;
      const at = line.indexOf(op, cursor);
      if (at !== -1) cursor = at + op.length;
      commands.push({ words: [], joinedBy: op });
      continue;
    }
    const raw = typeof entry === 'string' ? entry : (entry as { pattern: string }).pattern;
    const value = raw.replaceAll(HASH_IN_WORD, '#');
    const from = cursor;
    const at = value.length > 0 ? line.indexOf(value, cursor) : -1;
    if (at !== -1) cursor = at + value.length;
    commands[commands.length - 1].words.push({ value, at, from });
  }
  return commands.filter((command) => command.words.length > 0);
}
