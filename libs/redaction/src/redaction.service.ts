import { Inject, Injectable } from '@nestjs/common';
import type { Transform } from 'node:stream';
import { Redactor } from './redactor';
import type {
  PatternInfo,
  RedactionFinding,
  RedactionResult,
  RedactOptions,
  RedactStreamOptions,
} from './redaction.types';

/** The Redactor as a Nest provider; one instance (compiled patterns) per module. */
@Injectable()
export class RedactionService {
  constructor(@Inject(Redactor) readonly redactor: Redactor) {}

  redact(text: string, options?: RedactOptions): RedactionResult {
    return this.redactor.redactWithFindings(text, options);
  }

  redactText(text: string, options?: RedactOptions): string {
    return this.redactor.redact(text, options);
  }

  redactEnvVars(text: string, names: readonly string[]): string {
    return this.redactor.redactEnvVars(text, names);
  }

  findSecrets(text: string, options?: RedactOptions): RedactionFinding[] {
    return this.redactor.findSecrets(text, options);
  }

  createRedactStream(options?: RedactStreamOptions): Transform {
    return this.redactor.createRedactStream(options);
  }

  listPatterns(): PatternInfo[] {
    return this.redactor.listPatterns();
  }

  /** See Redactor.maxSecretLength: what createRedactStream guarantees to catch across chunks. */
  get maxSecretLength(): number {
    return this.redactor.maxSecretLength;
  }

  get maxTextBytes(): number {
    return this.redactor.maxTextBytes;
  }
}
