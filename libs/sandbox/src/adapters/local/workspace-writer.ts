import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chown, lstat, mkdir, open, rename, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { uploadInvalid } from '../../sandbox.errors';

/** What a batch changed so far, to put back if a later file fails. */
interface BatchJournal {
  createdDirs: string[];
  written: string[];
  /** Files that were replaced, moved aside until the batch succeeds: [original, aside]. */
  movedAside: [string, string][];
}

/**
 * Writes a batch of uploads into a session workspace on the host, all or nothing: when one file
 * fails (a full workspace, a path the checks refuse), the files already written are removed, the
 * files they replaced are put back and the directories the batch created are removed again.
 *
 * The workspace is writable by the sandbox, so a previous command may have planted symlinks
 * (`ln -s /etc x`): every existing path component is lstat'ed and a symlink or non-directory is
 * refused, and each file is created with O_NOFOLLOW|O_EXCL after moving aside what was there (so a
 * hard link is replaced, never written through). Callers serialise operations per session, and no
 * sandbox process outlives its command, so nothing can swap a component between the checks.
 */
export async function writeWorkspaceFiles(
  workspace: string,
  files: readonly { path: string; content: Buffer }[],
  owner: { uid: number; gid: number } | undefined,
  mapError: (path: string, error: NodeJS.ErrnoException) => Error = (_path, error) => error,
): Promise<void> {
  const journal: BatchJournal = { createdDirs: [], written: [], movedAside: [] };
  let current = '';
  try {
    for (const file of files) {
      current = file.path;
      await writeOne(workspace, file.path, file.content, owner, journal);
    }
  } catch (error) {
    await rollBack(journal);
    throw mapError(current, error as NodeJS.ErrnoException);
  }
  await Promise.all(journal.movedAside.map(([, aside]) => unlink(aside).catch(() => undefined)));
}

async function writeOne(
  workspace: string,
  relativePath: string,
  content: Buffer,
  owner: { uid: number; gid: number } | undefined,
  journal: BatchJournal,
): Promise<void> {
  const segments = relativePath.split('/');
  let dir = workspace;
  for (const segment of segments.slice(0, -1)) {
    dir = join(dir, segment);
    const stat = await lstat(dir).catch(() => undefined);
    if (!stat) {
      await mkdir(dir, { mode: 0o755 });
      journal.createdDirs.push(dir);
      if (owner) await chown(dir, owner.uid, owner.gid);
    } else if (stat.isSymbolicLink()) {
      throw uploadInvalid(relativePath, `${segmentsUpTo(dir, workspace)} is a symbolic link`);
    } else if (!stat.isDirectory()) {
      throw uploadInvalid(relativePath, `${segmentsUpTo(dir, workspace)} is not a directory`);
    }
  }
  const target = join(workspace, relativePath);
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw uploadInvalid(relativePath, 'a directory exists at that path');
  if (existing) {
    if (journal.written.includes(target)) await unlink(target);
    else {
      const aside = `${target}.upload-${randomBytes(6).toString('hex')}`;
      await rename(target, aside);
      journal.movedAside.push([target, aside]);
    }
  }
  const handle = await open(
    target,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o644,
  );
  journal.written.push(target);
  try {
    await handle.writeFile(content);
    if (owner) await handle.chown(owner.uid, owner.gid);
  } finally {
    await handle.close();
  }
}

async function rollBack(journal: BatchJournal): Promise<void> {
  for (const path of [...new Set(journal.written)].reverse()) await unlink(path).catch(() => undefined);
  for (const [original, aside] of [...journal.movedAside].reverse())
    await rename(aside, original).catch(() => undefined);
  for (const dir of [...journal.createdDirs].reverse()) await rmdir(dir).catch(() => undefined);
}

function segmentsUpTo(dir: string, workspace: string): string {
  return dir.slice(workspace.length + 1);
}
