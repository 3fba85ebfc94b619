import { SandboxError, uploadInvalid } from './sandbox.errors';
import type { UploadFile } from './sandbox.types';

export interface UploadLimits {
  maxFiles: number;
  maxTotalBytes: number;
}

/**
 * Normalises an upload path to a relative POSIX path inside /workspace, or
 * refuses it: `..` segments, absolute paths outside /workspace, empty or NUL
 * names and backslashes are SANDBOX_UPLOAD_INVALID. Symlinks are checked by the
 * provider when it writes (they can only exist on disk).
 */
export function confineUploadPath(path: string): string {
  if (typeof path !== 'string' || path.length === 0) throw uploadInvalid(String(path), 'the path is empty');
  if (path.length > 1024) throw uploadInvalid(path.slice(0, 64) + '…', 'the path is longer than 1024 characters');
  if (path.includes('\0')) throw uploadInvalid(path, 'the path contains a NUL byte');
  if (path.includes('\\')) throw uploadInvalid(path, 'backslashes are not accepted');
  // `a/` names a directory: writing a file `a` instead would not be what was asked.
  if (path.endsWith('/')) throw uploadInvalid(path, 'the path ends with "/" (a directory, not a file)');
  let rest = path;
  if (rest.startsWith('/')) {
    if (rest !== '/workspace' && !rest.startsWith('/workspace/'))
      throw uploadInvalid(path, 'absolute paths must be under /workspace');
    rest = rest.slice('/workspace'.length);
  }
  const segments = rest.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw uploadInvalid(path, '".." is not allowed');
  if (segments.length === 0) throw uploadInvalid(path, 'the path names the workspace itself');
  if (segments.some((segment) => segment.length > 255))
    throw uploadInvalid(path, 'a path segment is longer than 255 bytes');
  return segments.join('/');
}

/** Refuses too many files or too many bytes (SANDBOX_UPLOAD_TOO_LARGE) before anything is written. */
export function checkUploadSize(files: UploadFile[], limits: UploadLimits): void {
  if (files.length > limits.maxFiles) {
    throw new SandboxError(
      'SANDBOX_UPLOAD_TOO_LARGE',
      `${files.length} files uploaded; at most ${limits.maxFiles} per request.`,
      {
        maxFiles: limits.maxFiles,
      },
    );
  }
  const total = files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0);
  if (total > limits.maxTotalBytes) {
    throw new SandboxError(
      'SANDBOX_UPLOAD_TOO_LARGE',
      `Upload of ${total} bytes is over the limit of ${limits.maxTotalBytes} bytes.`,
      {
        maxBytes: limits.maxTotalBytes,
      },
    );
  }
}

/** Validates a working directory the same way (relative to /workspace); returns the absolute sandbox path. */
export function confineCwd(cwd: string | undefined): string {
  if (cwd === undefined || cwd === '' || cwd === '.' || cwd === '/workspace') return '/workspace';
  try {
    return '/workspace/' + confineUploadPath(cwd);
  } catch {
    throw new SandboxError(
      'SANDBOX_INVALID_ARGUMENT',
      `cwd ${JSON.stringify(cwd)} must be a directory inside /workspace.`,
      { field: 'cwd' },
    );
  }
}
