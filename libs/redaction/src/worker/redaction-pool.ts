import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { RedactionError } from '../redaction.errors';
import type { RedactorOptions } from '../redaction.options';
import type { RedactionResult, RedactOptions } from '../redaction.types';
import type { RedactionTask, RedactionTaskOutcome } from './redaction.worker';

export interface RedactionPoolOptions {
  /** How the workers' Redactor is built: only serialisable options (built-in and custom patterns, size limit). */
  redactor?: Pick<RedactorOptions, 'customPatterns' | 'maxTextBytes'>;
  /** Worker threads (default 1). */
  threads?: number;
  /** Texts waiting for a worker beyond which calls are refused with REDACTION_BUSY (default 64). */
  maxQueue?: number;
}

/**
 * Redacts in worker threads (piscina), so a large or pathological text costs a worker, not the
 * event loop every other request and the health probes need. Results are exactly those of
 * `Redactor.redactWithFindings` (the same class runs in the worker).
 */
export class RedactionPool {
  private readonly pool: Piscina<RedactionTask, RedactionTaskOutcome>;

  constructor(options: RedactionPoolOptions = {}) {
    const threads = Math.max(1, options.threads ?? 1);
    this.pool = new Piscina({
      filename: workerFilename(),
      minThreads: threads,
      maxThreads: threads,
      maxQueue: options.maxQueue ?? 64,
      workerData: { redactor: options.redactor ?? {} },
    });
  }

  async redact(text: string, options: RedactOptions = {}): Promise<RedactionResult> {
    let outcome: RedactionTaskOutcome;
    try {
      outcome = await this.pool.run({ text, options: { secrets: options.secrets, envVars: options.envVars } });
    } catch (error) {
      if (/queue is at limit/i.test((error as Error).message)) {
        throw new RedactionError('REDACTION_BUSY', 'Too many large texts are waiting to be redacted; retry shortly.', {
          retryAfterSeconds: 1,
        });
      }
      throw error;
    }
    if (!outcome.ok) throw new RedactionError(outcome.error.code, outcome.error.message, outcome.error.extensions);
    return outcome.result;
  }

  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}

function workerFilename(): string {
  const built = join(__dirname, 'redaction.worker.js');
  return existsSync(built) ? built : join(__dirname, 'redaction.worker.dev.js');
}
