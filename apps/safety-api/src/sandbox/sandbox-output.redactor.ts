import { Redactor } from '@app/redaction';
import { SandboxRedactor } from '@app/sandbox';
import type { ModuleRef } from '@nestjs/core';

/**
 * Sandbox stdout and stderr pass through the full Redactor catalogue. Output
 * is already capped per stream by the provider (1 MiB), so whole-buffer
 * redaction is bounded; unbounded mode keeps the Redactor's request size
 * limit from rejecting a capped stream.
 */
export class RedactorSandboxRedactor extends SandboxRedactor {
  constructor(private readonly redactor = new Redactor({ maxTextBytes: Number.POSITIVE_INFINITY })) {
    super();
  }

  async redact(text: string): Promise<string> {
    return this.redactor.redactUnbounded(text);
  }
}

export function sandboxRedactor(_moduleRef: ModuleRef): SandboxRedactor {
  return new RedactorSandboxRedactor();
}
