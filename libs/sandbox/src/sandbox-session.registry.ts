import { SandboxError } from './sandbox.errors';
import type { SandboxSession } from './sandbox.types';

interface Entry {
  session: SandboxSession;
  owner: string;
  lastUsedAt: number;
  busy: number;
}

/** How long a refused caller is told to wait (Retry-After): the reaper frees idle and expired slots on a timer. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Sessions live on this replica: the concurrent-session caps, on the replica and per owner (slots
 * are taken before a sandbox is created, so a burst cannot overshoot), last use for idle reaping,
 * and which sessions are busy (never reaped mid-command).
 */
export class SandboxSessionRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Slots claimed for sessions being created, per owner. */
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly maxSessions: number,
    private readonly maxSessionsPerOwner: number = maxSessions,
  ) {}

  get size(): number {
    let pending = 0;
    for (const count of this.pending.values()) pending += count;
    return this.entries.size + pending;
  }

  /** Sessions (live and being created) of one owner. */
  sizeOf(owner: string): number {
    let count = this.pending.get(owner) ?? 0;
    for (const entry of this.entries.values()) if (entry.owner === owner) count++;
    return count;
  }

  /** Takes a slot for a session about to be created; call the returned function if creation fails. */
  claimSlot(owner = ''): () => void {
    if (this.size >= this.maxSessions) {
      throw tooMany(`This server already runs ${this.maxSessions} sandbox sessions; destroy one or retry later.`, {
        maxSessions: this.maxSessions,
      });
    }
    if (this.sizeOf(owner) >= this.maxSessionsPerOwner) {
      throw tooMany(
        `Your tenant already runs ${this.maxSessionsPerOwner} sandbox sessions on this server; destroy one or retry later.`,
        { maxSessionsPerTenant: this.maxSessionsPerOwner },
      );
    }
    this.pending.set(owner, (this.pending.get(owner) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.pending.get(owner) ?? 1) - 1;
      if (left > 0) this.pending.set(owner, left);
      else this.pending.delete(owner);
    };
  }

  /** Registers a created session, converting its claimed slot. */
  add(session: SandboxSession, owner: string, releaseSlot: () => void): void {
    releaseSlot();
    this.entries.set(session.id, { session, owner, lastUsedAt: Date.now(), busy: 0 });
  }

  /** Registers a session reattached from elsewhere (may exceed the caps: it already exists). */
  adopt(session: SandboxSession, owner: string): void {
    this.entries.set(session.id, { session, owner, lastUsedAt: Date.now(), busy: 0 });
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

function tooMany(message: string, extensions: Record<string, unknown>): SandboxError {
  return new SandboxError('SANDBOX_TOO_MANY_SESSIONS', message, {
    ...extensions,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });
}
