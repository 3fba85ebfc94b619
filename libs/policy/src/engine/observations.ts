/**
 * What the engine saw an action do, in the terms it resolved them: each program as it would run
 * (after wrappers, aliases and expansion), each path written or deleted (absolute, normalised) and
 * each network destination (as the URL parser reads it). User rules match these facts, never the
 * request's text, so quoting, `sudo`, `env` or `bash -c` cannot dodge them.
 */
export interface CommandFact {
  /** Program name as the rules know it (`/usr/bin/git` → git). */
  program: string;
  /** argv[0] as expanded (may be a path). */
  path: string;
  args: string[];
  /** Which arguments are known only at run time ($1, command substitutions). */
  dynamicArgs: boolean[];
  /** More arguments arrive at run time (the command under xargs, parallel, find -exec {}). */
  openArgs: boolean;
  /** Directory the command runs in (after cd). */
  cwd: string;
  /** Findings raised while judging this command (and what it wraps): [from, to). */
  findingsFrom: number;
  findingsTo: number;
  /** The command this one runs inside (sudo, xargs, bash -c), or -1. */
  parent: number;
  /** `program args…` joined by spaces, built on first use by a command-line rule. */
  line?: string;
}

export interface PathFact {
  path: string;
  operation: 'write' | 'delete';
  /** Innermost command being judged when the path was seen, or -1. */
  command: number;
}

export interface HostFact {
  host: string;
  port: number;
  method: string;
  command: number;
}

/** Bounded so a pathological command line cannot make rule matching costly. */
const MAX_FACTS = 4000;

export class Observations {
  readonly commands: CommandFact[] = [];
  readonly paths: PathFact[] = [];
  readonly hosts: HostFact[] = [];
  private readonly open: number[] = [];

  get current(): number {
    return this.open.length > 0 ? this.open[this.open.length - 1] : -1;
  }

  enterCommand(fact: Omit<CommandFact, 'findingsTo' | 'parent'>): number {
    if (this.commands.length >= MAX_FACTS) return -1;
    const index = this.commands.push({ ...fact, findingsTo: fact.findingsFrom, parent: this.current }) - 1;
    this.open.push(index);
    return index;
  }

  leaveCommand(index: number, findingsTo: number): void {
    if (index < 0) return;
    this.commands[index].findingsTo = findingsTo;
    this.open.pop();
  }

  path(path: string, operation: PathFact['operation']): void {
    if (this.paths.length < MAX_FACTS) this.paths.push({ path, operation, command: this.current });
  }

  host(host: string, port: number, method: string): void {
    if (this.hosts.length < MAX_FACTS) this.hosts.push({ host, port, method, command: this.current });
  }
}
