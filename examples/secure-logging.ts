/**
 * Quick reference: secure logging through the Redactor. Everything the agent logs passes
 * through redaction first, so keys and connection strings never reach the log.
 *
 *   npx ts-node examples/secure-logging.ts [baseUrl]
 */
import { RedactionClient } from '../libs/client/src';
import { runExample } from './run-example';

/** A logger that writes only redacted lines. */
export class SecureLogger {
  constructor(
    private readonly redactor: RedactionClient,
    private readonly write: (line: string) => void,
    private readonly envVars: string[] = [],
  ) {}

  async info(message: string): Promise<void> {
    const { redacted } = await this.redactor.redact(message, { envVars: this.envVars });
    this.write(redacted);
  }
}

export async function main(baseUrl?: string, log: (line: string) => void = console.log) {
  const redactor = new RedactionClient(baseUrl, { apiKey: process.env.SAFETY_API_KEY });
  const lines: string[] = [];
  const logger = new SecureLogger(
    redactor,
    (line) => {
      lines.push(line);
      log(line);
    },
    ['DATABASE_URL'],
  );

  await logger.info('API key: sk-1234567890abcdef');
  await logger.info('connecting with DATABASE_URL=postgres://app:s3cr3t-pa55@db.internal:5432/app');
  await logger.info('build finished in 42s');

  const { findings, count } = await redactor.redact('API key: sk-1234567890abcdef');
  return { lines, count, patterns: findings.map((finding) => finding.pattern) };
}

if (require.main === module) runExample(main);
