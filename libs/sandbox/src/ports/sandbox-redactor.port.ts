/**
 * Removes secrets from command output before it leaves the service. The
 * Redactor of @app/redaction is adapted to it (its streaming form, so a secret
 * split across output chunks is still caught).
 */
export abstract class SandboxRedactor {
  abstract redact(text: string): Promise<string>;
}
