import { loadPolicyLayer, optionsLayer, PolicyError, PolicyGate, type PolicyLayer } from '@app/policy';
import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TENANT_PATTERN } from '../auth/principal';
import type { MetricsService } from '../metrics/metrics.service';
import { fileSignature } from '../common/file-signature';

export interface PolicyFilesOptions {
  /** POLICY_FILE: the global policy. */
  globalFile?: string;
  /** POLICY_DIR: `<tenant>.yaml` (or .yml, .json) overlays, one per tenant. */
  tenantDir?: string;
  /** How often the files' stats are polled (ms). */
  pollIntervalMs?: number;
}

const TENANT_FILE = /^([a-z0-9-]{1,63})\.(ya?ml|json)$/;

/**
 * Keeps PolicyGate's policies in step with POLICY_FILE and POLICY_DIR. Files are polled (stat and
 * directory listing, following symlinks), not watched with fs.watch, for the reason the keys file
 * is: Kubernetes swaps a mounted ConfigMap through a symlinked directory. SIGHUP reloads at once.
 *
 * Each file keeps its last good version: a file that fails validation leaves the policy it had in
 * force (the others still reload), is logged with its line and is counted in
 * `safety_policy_reloads_total{outcome="error"}`. At boot any invalid file stops the service.
 * PolicyGate swaps the compiled policies in one step, so no decision sees half a reload.
 */
export class PolicyFiles implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('PolicyFiles');
  /** Last good layer per file path, with the stat signature it was read at. */
  private readonly loaded = new Map<string, { layer: PolicyLayer; signature: string | undefined }>();
  private listing = '';
  private poller?: NodeJS.Timeout;

  constructor(
    private readonly gate: PolicyGate,
    private readonly options: PolicyFilesOptions,
    private readonly metrics: MetricsService,
  ) {}

  get enabled(): boolean {
    return Boolean(this.options.globalFile || this.options.tenantDir);
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    this.apply(true, 'boot');
    this.poller = setInterval(() => this.reloadIfChanged(), this.options.pollIntervalMs ?? 500);
    this.poller.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.poller);
  }

  /** Re-reads every policy file now (SIGHUP). Returns whether all of them were accepted. */
  reload(reason: string): boolean {
    return this.enabled ? this.apply(false, reason) : false;
  }

  private reloadIfChanged(): void {
    const files = this.files();
    const listing = files.map(([, path]) => path).join('\n');
    const changed =
      listing !== this.listing ||
      files.some(([, path]) => {
        const signature = fileSignature(path);
        return signature !== undefined && signature !== this.loaded.get(path)?.signature;
      });
    if (changed) this.reload('file change');
  }

  private apply(boot: boolean, reason: string): boolean {
    const files = this.files();
    this.listing = files.map(([, path]) => path).join('\n');
    const errors: PolicyError[] = [];
    const layerOf = (path: string): PolicyLayer | undefined => {
      const signature = fileSignature(path);
      const previous = this.loaded.get(path);
      if (previous && signature !== undefined && signature === previous.signature) return previous.layer;
      try {
        // Decisions name the file, not where it is mounted.
        const layer = loadPolicyLayer(path, basename(path));
        this.loaded.set(path, { layer, signature });
        return layer;
      } catch (error) {
        if (!(error instanceof PolicyError)) throw error;
        if (boot) throw error;
        errors.push(error);
        return previous?.layer;
      }
    };
    const globalLayer = this.options.globalFile ? layerOf(this.options.globalFile) : optionsLayer({});
    const tenants: Record<string, PolicyLayer> = {};
    for (const [tenant, path] of files) {
      if (tenant === undefined) continue;
      const layer = layerOf(path);
      if (layer) tenants[tenant] = layer;
    }
    for (const path of [...this.loaded.keys()]) {
      if (path !== this.options.globalFile && !files.some(([, p]) => p === path)) this.loaded.delete(path);
    }
    if (globalLayer) {
      const result = this.gate.install({ global: [globalLayer], tenants });
      for (const { tenant, error } of result.failed) {
        if (boot) throw error;
        errors.push(new PolicyError(error.code, `tenant ${tenant}: ${error.message}`, error.extensions));
      }
      if (errors.length === 0) {
        this.logger.log({ msg: `Policies loaded (${reason})`, version: result.version, tenants: result.tenants });
      }
    }
    for (const error of errors) {
      this.logger.error({
        msg: `Policy file rejected (${reason}); its previous version stays in force`,
        error: error.message,
        file: error.extensions.file,
        line: error.extensions.line,
      });
    }
    if (!boot) this.metrics.policyReloads.inc({ outcome: errors.length === 0 ? 'ok' : 'error' });
    return errors.length === 0;
  }

  /** [tenant, path] of every policy file: the global one (tenant undefined) and POLICY_DIR's. */
  private files(): [string | undefined, string][] {
    const files: [string | undefined, string][] = [];
    if (this.options.globalFile) files.push([undefined, this.options.globalFile]);
    const dir = this.options.tenantDir;
    if (!dir) return files;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return files;
    }
    for (const name of names) {
      const match = TENANT_FILE.exec(name);
      if (match && TENANT_PATTERN.test(match[1])) files.push([match[1], join(dir, name)]);
    }
    return files;
  }
}
