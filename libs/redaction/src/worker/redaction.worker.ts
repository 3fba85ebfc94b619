import { workerData } from 'node:worker_threads';
import { RedactionError } from '../redaction.errors';
import type { RedactorOptions } from '../redaction.options';
import type { RedactionResult, RedactOptions } from '../redaction.types';
import { Redactor } from '../redactor';

/** What the pool sends a worker: one text and its per-call options. */
export interface RedactionTask {
  text: string;
  options: RedactOptions;
}

/** A worker's answer: the result, or the RedactionError it raised (errors lose their class between threads). */
export type RedactionTaskOutcome =
  | { ok: true; result: RedactionResult }
  | { ok: false; error: { code: RedactionError['code']; message: string; extensions: Record<string, unknown> } };

/** Built once per worker thread, with the options the pool was given (patterns compiled once). */
const redactor = new Redactor((workerData as { redactor?: RedactorOptions } | undefined)?.redactor ?? {});

export default function redact(task: RedactionTask): RedactionTaskOutcome {
  try {
    return { ok: true, result: redactor.redactWithFindings(task.text, task.options) };
  } catch (error) {
    if (error instanceof RedactionError) {
      return { ok: false, error: { code: error.code, message: error.message, extensions: error.extensions } };
    }
    throw error;
  }
}
