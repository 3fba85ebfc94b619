import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EgressCheckResult } from './egress-proxy';
import type { EgressDecision } from '../../sandbox.types';

/** Tuning of the bubblewrap provider; every field has a safe default. */
export interface LocalSandboxOptions {
  /** bubblewrap executable. Default `bwrap` on PATH. */
  bwrapPath?: string;
  /** socat executable (bridges the egress socket inside the sandbox). Default `socat`. */
  socatPath?: string;
  /** Host directory holding one directory per session. Default `<tmpdir>/safety-sandbox`. */
  workspaceRoot?: string;
  /** Unprivileged host uid/gid the sandbox runs as when the service is root. Default 10001. */
  hostUid?: number;
  hostGid?: number;
  /** Memory limit per command (bytes). Default 512 MiB. */
  memoryBytes?: number;
  /** Process/thread limit per command. Default 256. */
  pids?: number;
  /** Size of the tmpfs at /tmp (bytes). Default 64 MiB. */
  tmpSizeBytes?: number;
  /**
   * Size of each session's /workspace (bytes): a tmpfs (RAM) that lasts as long as the session,
   * holding at most one file or directory per 8 KiB of it (at least 4096). Default 256 MiB.
   * 0 = no cap: a plain host directory.
   */
  workspaceMaxBytes?: number;
  /** Largest file a command may write (RLIMIT_FSIZE, bytes). Default 256 MiB. */
  maxFileBytes?: number;
  /** Per-stream output cap (bytes). Default 1 MiB. */
  outputCapBytes?: number;
  /** Upload caps per request. Defaults 100 files, 10 MiB. */
  maxUploadFiles?: number;
  maxUploadBytes?: number;
  /** Longest command timeout accepted (ms). Default 10 min. */
  maxTimeoutMs?: number;
  /** Longest session lifetime (ms). Default 1 h. */
  maxSessionTtlMs?: number;
  /** Ports the egress proxy tunnels to. Default [443]. */
  egressAllowedPorts?: number[];
  /** Refuse allowlisted names that resolve to private/loopback/link-local addresses. Default true. */
  egressDenyPrivateAddresses?: boolean;
  /** Name resolution for the proxy (tests map names to a local target). Default the system resolver. */
  egressResolve?: (host: string) => Promise<string>;
  /** Extra per-host check (PolicyGate's network rules), asked after the allowlist admits a host. */
  egressCheck?: (host: string, port: number, runId: string | undefined) => Promise<EgressCheckResult>;
  /** Where proxy decisions go. Default: one JSON log line each. */
  egressLog?: (decision: EgressDecision) => void;
  /** `auto` (default): cgroups when usable, else rlimits; `rlimit` forces rlimits. */
  limitMode?: 'auto' | 'rlimit';
  /** Name of the cgroup directory created under the service's own cgroup. Default `safety-sandbox`. */
  cgroupName?: string;
}

export type ResolvedLocalSandboxOptions = Required<
  Omit<LocalSandboxOptions, 'egressResolve' | 'egressCheck' | 'egressLog'>
> &
  Pick<LocalSandboxOptions, 'egressResolve' | 'egressCheck' | 'egressLog'>;

export function resolveLocalSandboxOptions(options: LocalSandboxOptions = {}): ResolvedLocalSandboxOptions {
  return {
    bwrapPath: 'bwrap',
    socatPath: 'socat',
    workspaceRoot: join(tmpdir(), 'safety-sandbox'),
    hostUid: 10001,
    hostGid: 10001,
    memoryBytes: 512 * 1024 * 1024,
    pids: 256,
    tmpSizeBytes: 64 * 1024 * 1024,
    workspaceMaxBytes: 256 * 1024 * 1024,
    maxFileBytes: 256 * 1024 * 1024,
    outputCapBytes: 1024 * 1024,
    maxUploadFiles: 100,
    maxUploadBytes: 10 * 1024 * 1024,
    maxTimeoutMs: 10 * 60 * 1000,
    maxSessionTtlMs: 60 * 60 * 1000,
    egressAllowedPorts: [443],
    egressDenyPrivateAddresses: true,
    limitMode: 'auto',
    cgroupName: 'safety-sandbox',
    ...stripUndefined(options),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
