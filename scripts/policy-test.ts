/**
 * Judges test cases under a policy file without a running service, for CI pipelines:
 *
 *   npm run policy:test -- <policy.yaml> <cases.jsonl> [--global <global.yaml>]
 *
 * Each line of the cases file is `{ "action", "context", "expect" }`, where `expect` is a decision
 * or `{ "decision", "rule_ids" }`. The policy is applied the way the service applies a tenant's
 * overlay: on top of `--global` when given, else on top of the defaults. Prints one line per case;
 * exits 0 when every case passes, 1 when one fails, 2 when the policy or a case is invalid.
 */
import { Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import {
  loadPolicyLayer,
  optionsLayer,
  parsePolicyTestCases,
  PolicyError,
  PolicyGate,
  type PolicyTestResult,
} from '../libs/policy/src';

export async function runPolicyTest(args: string[]): Promise<{ code: number; output: string }> {
  const globalAt = args.indexOf('--global');
  const globalFile = globalAt >= 0 ? args[globalAt + 1] : undefined;
  const [policyFile, casesFile] = args.filter((_, i) => globalAt < 0 || (i !== globalAt && i !== globalAt + 1));
  if (!policyFile || !casesFile) {
    return { code: 2, output: 'usage: npm run policy:test -- <policy.yaml> <cases.jsonl> [--global <global.yaml>]\n' };
  }
  try {
    const gate = new PolicyGate();
    const global = globalFile ? loadPolicyLayer(globalFile) : optionsLayer({});
    gate.install({ global: [global], tenants: {} });
    const cases = parsePolicyTestCases(readCases(casesFile));
    return report(await gate.test(loadPolicyLayer(policyFile), cases), casesFile);
  } catch (error) {
    if (error instanceof PolicyError) return { code: 2, output: `${error.message}\n` };
    throw error;
  }
}

function readCases(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'))
    .map(({ line, number }) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new PolicyError('POLICY_TEST_INVALID', `${path}: line ${number} is not valid JSON.`);
      }
    });
}

function report(result: PolicyTestResult, casesFile: string): { code: number; output: string } {
  const lines = result.results.map((r) => {
    const got = r.decision ?? `error ${r.error}`;
    const mark = r.pass ? 'PASS' : 'FAIL';
    return `${mark} #${r.index + 1} expected ${r.expected}, got ${got} [${r.rule_ids.join(', ')}]${r.pass ? '' : ` ${r.reason}`}`;
  });
  lines.push(`${result.passed} passed, ${result.failed} failed (${casesFile}, policy version ${result.version})`);
  return { code: result.failed > 0 ? 1 : 0, output: lines.join('\n') + '\n' };
}

if (require.main === module) {
  Logger.overrideLogger(false);
  void runPolicyTest(process.argv.slice(2)).then(({ code, output }) => {
    (code === 2 ? process.stderr : process.stdout).write(output);
    process.exitCode = code;
  });
}
