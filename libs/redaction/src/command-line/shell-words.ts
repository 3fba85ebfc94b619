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
 * was written.
 */
export function shellCommands(line: string): ShellCommand[] {
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
