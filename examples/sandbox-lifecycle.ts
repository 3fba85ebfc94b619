/**
 * Quick reference: the sandbox lifecycle, E2BSandbox style. Create, upload, execute, and
 * always destroy in a finally, whatever happened in between.
 *
 *   npx ts-node examples/sandbox-lifecycle.ts [baseUrl]
 */
import { E2BSandbox } from '../libs/client/src';
import { runExample } from './run-example';

export async function main(baseUrl?: string, log: (line: string) => void = console.log) {
  const sandbox = new E2BSandbox(baseUrl, { apiKey: process.env.SAFETY_API_KEY });
  const session = await sandbox.create('base');
  try {
    await sandbox.uploadFiles(session, [
      { path: 'test.js', content: "const sum = (a, b) => a + b;\nconsole.log(sum(2, 3) === 5 ? 'ok' : 'FAIL');\n" },
    ]);
    const result = await sandbox.execute(session, 'node /workspace/test.js', 30_000);
    log(`exit ${result.exitCode}: ${result.stdout.trim()}`);
    return { sessionId: session.sessionId, exitCode: result.exitCode, stdout: result.stdout };
  } finally {
    await sandbox.destroy(session);
  }
}

if (require.main === module) runExample(main);
