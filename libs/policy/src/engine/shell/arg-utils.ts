import type { ExpandedArg } from './word-expander';

/** True when any option among args matches a short letter (in bundles like `-rf`) or a long name. */
export function hasFlag(args: ExpandedArg[], letters: string, longs: string[] = []): boolean {
  for (const arg of args) {
    const value = arg.value;
    if (value === '--') return false;
    if (value.startsWith('--')) {
      const name = value.split('=')[0];
      if (longs.includes(name)) return true;
    } else if (value.startsWith('-') && value.length > 1 && /^-[A-Za-z0-9]+$/.test(value)) {
      for (const letter of letters) if (value.slice(1).includes(letter)) return true;
    }
  }
  return false;
}

/** Arguments that are not options (everything after `--` counts). */
export function positionals(args: ExpandedArg[], optionsWithValue: string[] = []): ExpandedArg[] {
  const out: ExpandedArg[] = [];
  let done = false;
  for (let i = 0; i < args.length; i++) {
    const value = args[i].value;
    if (!done && value === '--') {
      done = true;
      continue;
    }
    if (!done && value.startsWith('-') && value.length > 1) {
      if (optionsWithValue.includes(value)) i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

/** Value of `-x v`, `-xv`, `--long v` or `--long=v` (first occurrence). */
export function optionValue(args: ExpandedArg[], names: string[]): ExpandedArg | undefined {
  for (let i = 0; i < args.length; i++) {
    const value = args[i].value;
    if (value === '--') return undefined;
    for (const name of names) {
      if (value === name) return args[i + 1];
      if (name.startsWith('--') && value.startsWith(name + '='))
        return { ...args[i], value: value.slice(name.length + 1) };
      if (
        !name.startsWith('--') &&
        name.length === 2 &&
        value.startsWith(name) &&
        value.length > 2 &&
        !value.startsWith('--')
      ) {
        return { ...args[i], value: value.slice(2) };
      }
    }
  }
  return undefined;
}

/** All values of a repeatable option. */
export function optionValues(args: ExpandedArg[], names: string[]): ExpandedArg[] {
  const out: ExpandedArg[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i].value;
    for (const name of names) {
      if (value === name && args[i + 1]) out.push(args[i + 1]);
      else if (name.startsWith('--') && value.startsWith(name + '='))
        out.push({ ...args[i], value: value.slice(name.length + 1) });
    }
  }
  return out;
}

export function lit(value: string): ExpandedArg {
  return { value, dynamic: false, glob: false, secret: false };
}
