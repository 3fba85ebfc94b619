import { statSync } from 'node:fs';

/**
 * Identity of a file as last seen (inode, mtime, size), following symlinks: a different value means
 * the file changed, including when Kubernetes swaps a mounted directory. Undefined while it is missing.
 */
export function fileSignature(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
}
