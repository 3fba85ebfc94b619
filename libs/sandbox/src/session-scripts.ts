import type { UploadFile } from './sandbox.types';

/**
 * Each file the policy is shown is at most this big, and a session's files together at most
 * SESSION_BYTES: with a 64 KiB command that stays inside the policy's 256 KiB context bound.
 */
const FILE_BYTES = 64 * 1024;
const SESSION_BYTES = 160 * 1024;

/**
 * The text of files uploaded to each session, kept so that the policy can judge
 * the scripts a command runs from them (`bash x.sh`, `npm run x`, `make t`,
 * `BASH_ENV=x.sh`) by their bodies. Bounded (the policy's context is bounded
 * too): a file over FILE_BYTES, binary content, or files past SESSION_BYTES are
 * forgotten and judged as unseen. Known on the replica that received the upload.
 */
export class SessionScripts {
  private readonly sessions = new Map<string, Map<string, string>>();

  record(sessionId: string, files: readonly UploadFile[]): void {
    const known = this.sessions.get(sessionId) ?? new Map<string, string>();
    for (const file of files) {
      const path = relativeToWorkspace(file.path);
      known.delete(path);
      const text = asText(file.content);
      if (text !== undefined) known.set(path, text);
    }
    let total = 0;
    for (const [path, text] of known) {
      total += text.length;
      if (total > SESSION_BYTES) known.delete(path);
    }
    this.sessions.set(sessionId, known);
  }

  /** Path (relative to /workspace) → content, or undefined when none is known. */
  get(sessionId: string): Record<string, string> | undefined {
    const known = this.sessions.get(sessionId);
    return known && known.size > 0 ? Object.fromEntries(known) : undefined;
  }

  forget(sessionId: string): void {
    this.sessions.delete(sessionId);
  }
}

/** The files of a one-shot execution, under the same bounds. */
export function scriptFiles(files: readonly UploadFile[] | undefined): Record<string, string> | undefined {
  if (!files?.length) return undefined;
  const scripts = new SessionScripts();
  scripts.record('', files);
  return scripts.get('');
}

function relativeToWorkspace(path: string): string {
  return path.replace(/^\/workspace\/+/, '').replace(/^\.\/+/, '');
}

function asText(content: Buffer | string): string | undefined {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  if (text.length > FILE_BYTES || text.includes('\u0000') || text.includes('\ufffd')) return undefined;
  return text;
}
