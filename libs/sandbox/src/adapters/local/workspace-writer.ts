import { constants } from 'node:fs';
import { chown, lstat, mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { uploadInvalid } from '../../sandbox.errors';

/**
 * Writes uploads into a session workspace on the host. The workspace is
 * writable by the sandbox, so a previous command may have planted symlinks
 * (`ln -s /etc x`): every existing path component is lstat'ed and a symlink
 * or non-directory is refused, and the file is created with O_NOFOLLOW|O_EXCL
 * after unlinking what was there (so a hard link is replaced, never written
 * through). Callers serialise operations per session, and no sandbox process
 * outlives its command, so nothing can swap a component between the checks.
 */
export async function writeWorkspaceFile(
  workspace: string,
  relativePath: string,
  content: Buffer,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  const segments = relativePath.split('/');
  let dir = workspace;
  for (const segment of segments.slice(0, -1)) {
    dir = join(dir, segment);
    const stat = await lstat(dir).catch(() => undefined);
    if (!stat) {
      await mkdir(dir, { mode: 0o755 });
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
  if (existing) await unlink(target);
  const handle = await open(
    target,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o644,
  );
  try {
    await handle.writeFile(content);
    if (owner) await handle.chown(owner.uid, owner.gid);
  } catch (error) {
    // A full workspace (ENOSPC): leave no truncated file behind.
    await unlink(target).catch(() => undefined);
    throw error;
  } finally {
    await handle.close();
  }
}

function segmentsUpTo(dir: string, workspace: string): string {
  return dir.slice(workspace.length + 1);
}
