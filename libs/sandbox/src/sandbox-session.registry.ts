import { SandboxError } from './sandbox.errors';
import type { SandboxSession } from './sandbox.types';

interface Entry {
  session: SandboxSession;
  lastUsedAt: number;
  busy: number;
}

/**
 * Sessions live on this replica: the concurrent-session cap (slots are taken
 * before a sandbox is created, so a burst cannot overshoot), last use for idle
 * reaping, and which sessions are busy (never reaped mid-command).
 */
export class SandboxSessionRegistry {
  private readonly entries = new Map<string, Entry>();
  private pending = 0;

  constructor(private readonly maxSessions: number) {}

  get size(): number {
    return this.entries.size + this.pending;
  }

  /** Takes a slot for a session about to be created; call the returned function if creation fails. */
  claimSlot(): () => void {
    if (this.size >= this.maxSessions) {
      throw new SandboxError(
        'SANDBOX_TOO_MANY_SESSIONS',
        `This server already runs ${this.maxSessions} sandbox sessions; destroy one or retry later.`,
        {
          maxSessions: this.maxSessions,
        },
      );
    }
    this.pending++;
    let released = false;
    return () => {
      if (!released) this.pending--;
      released = true;
    };
  }

  /** Registers a created session, converting its claimed slot. */
  add(session: SandboxSession, releaseSlot: () => void): void {
    releaseSlot();
    this.entries.set(session.id, { session, lastUsedAt: Date.now(), busy: 0 });
  }

  /** Registers a session reattached from elsewhere (may exceed the cap: it already exists). */
  adopt(session: SandboxSession): void {
    this.entries.set(session.id, { session, lastUsedAt: Date.now(), busy: 0 });
  }

  get(id: string): SandboxSession | undefined {
    return this.entries.get(id)?.session;
  }

  remove(id: string): SandboxSession | undefined {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    return entry?.session;
  }

  /** Marks a session in use until the returned function is called. */
  use(id: string): () => void {
    const entry = this.entries.get(id);
    if (!entry) return () => undefined;
    entry.busy++;
    entry.lastUsedAt = Date.now();
    return () => {
      entry.busy--;
      entry.lastUsedAt = Date.now();
    };
  }

  /** Sessions past their expiry, or idle (and not busy) for longer than idleMs. */
  due(now: number, idleMs: number): SandboxSession[] {
    return [...this.entries.values()]
      .filter(
        (entry) => entry.session.expiresAt.getTime() <= now || (entry.busy === 0 && now - entry.lastUsedAt >= idleMs),
      )
      .map((entry) => entry.session);
  }

  all(): SandboxSession[] {
    return [...this.entries.values()].map((entry) => entry.session);
  }
}
