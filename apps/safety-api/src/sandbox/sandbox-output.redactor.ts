import { SandboxRedactor } from '@app/sandbox';
import type { ModuleRef } from '@nestjs/core';

/**
 * Interim: @app/redaction (Redactor, createRedactStream) is being built in
 * parallel and has no public surface yet. Until it lands, sandbox output goes
 * through these high-confidence patterns so a printed credential never leaves
 * unredacted. Replace with an adapter over the lib's streaming Redactor.
 */
const PATTERNS: [name: string, pattern: RegExp][] = [
  ['PRIVATE_KEY', /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g],
  ['AWS_ACCESS_KEY_ID', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g],
  ['GITHUB_TOKEN', /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g],
  ['ANTHROPIC_API_KEY', /\bsk-ant-[A-Za-z0-9_-]{20,}\b/g],
  ['OPENAI_API_KEY', /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}\b/g],
  ['STRIPE_KEY', /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}\b/g],
  ['SLACK_TOKEN', /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g],
  ['JWT', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g],
  ['E2B_API_KEY', /\be2b_[0-9a-f]{40}\b/g],
];

export class InterimPatternRedactor extends SandboxRedactor {
  async redact(text: string): Promise<string> {
    let out = text;
    for (const [name, pattern] of PATTERNS) out = out.replace(pattern, `[REDACTED:${name}]`);
    return out;
  }
}

export function sandboxRedactor(_moduleRef: ModuleRef): SandboxRedactor {
  return new InterimPatternRedactor();
}
