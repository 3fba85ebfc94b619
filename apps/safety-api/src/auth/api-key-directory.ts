import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import type { MetricsService } from '../metrics/metrics.service';
import { type KeyEntry, KeysFileError, parseKeysFile, parseLegacyKeys, sha256Hex } from './keys-file';
import { fileSignature } from '../common/file-signature';

export interface ApiKeyDirectoryOptions {
  /** `SAFETY_API_KEYS`: plain keys or `sha256:` digests, each an admin of the default tenant. */
  legacyKeys?: string;
  /** `SAFETY_API_KEYS_FILE`: the principals file, re-read on change and on reload(). */
  keysFile?: string;
  /** How often the file's stat is polled (ms). */
  pollIntervalMs?: number;
}

/**
 * The principals the service knows, by the SHA-256 of their keys. Keys are looked up by digest in a
 * map: the attacker controls the key, not its digest, so the lookup's timing tells nothing usable.
 *
 * The keys file is polled (stat, following symlinks), not watched with fs.watch: Kubernetes
 * updates a mounted Secret by swapping a symlinked directory, which an inotify watch on the old
 * inode never sees. The poll compares against the stat taken when the file was last read, so a
 * change between boot and the first poll is not missed. A file that does not validate stops the
 * boot; later, it leaves the key set in force, is logged and is counted
 * (`safety_api_keys_reloads_total{outcome="error"}`).
 */
export class ApiKeyDirectory implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ApiKeys');
  private byDigest: Map<string, KeyEntry>;
  /** Identity of the file as last read (inode, mtime, size); a different one means it changed. */
  private readSignature: string | undefined;
  private poller?: NodeJS.Timeout;

  constructor(
    private readonly options: ApiKeyDirectoryOptions,
    private readonly metrics: MetricsService,
  ) {
    this.byDigest = this.load();
  }

  /** False when no key is configured at all: development mode, every call is the implicit admin. */
  get enabled(): boolean {
    return Boolean(this.options.keysFile) || this.byDigest.size > 0;
  }

  authenticate(presentedKey: string): KeyEntry | undefined {
    return this.byDigest.get(sha256Hex(presentedKey));
  }

  /** Re-reads the keys file; an invalid one leaves the current key set in force. Returns whether it applied. */
  reload(reason: string): boolean {
    if (!this.options.keysFile) return false;
    try {
      const next = this.load();
      this.byDigest = next;
      this.metrics.apiKeyReloads.inc({ outcome: 'ok' });
      this.logger.log({
        msg: `API keys reloaded (${reason})`,
        principals: new Set([...next.values()].map((e) => e.id)).size,
      });
      return true;
    } catch (error) {
      this.metrics.apiKeyReloads.inc({ outcome: 'error' });
      this.logger.error({
        msg: `API keys file rejected (${reason}); the previous keys stay in force`,
        error: (error as Error).message,
      });
      return false;
    }
  }

  onModuleInit(): void {
    if (!this.options.keysFile) return;
    this.poller = setInterval(() => this.reloadIfChanged(), this.options.pollIntervalMs ?? 500);
    this.poller.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.poller);
  }

  private reloadIfChanged(): void {
    const signature = fileSignature(this.options.keysFile!);
    // A file missing for a moment (mid-swap) is not a change: the next poll sees the new one.
    if (signature !== undefined && signature !== this.readSignature) this.reload('file change');
  }

  private load(): Map<string, KeyEntry> {
    const entries = parseLegacyKeys(this.options.legacyKeys);
    if (this.options.keysFile) {
      let text: string;
      try {
        // The signature is taken before reading, so a write racing the read shows as a change next poll.
        this.readSignature = fileSignature(this.options.keysFile);
        text = readFileSync(this.options.keysFile, 'utf8');
      } catch (error) {
        throw new KeysFileError(
          `${this.options.keysFile}: cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
      entries.push(...parseKeysFile(text, this.options.keysFile));
    }
    const byDigest = new Map<string, KeyEntry>();
    for (const entry of entries) {
      for (const digest of entry.sha256) {
        const owner = byDigest.get(digest);
        if (owner) throw new KeysFileError(`principal "${entry.id}" has the same key as "${owner.id}"`);
        byDigest.set(digest, entry);
      }
    }
    return byDigest;
  }
}
