import { Logger } from '@nestjs/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPolicyTest } from '../../../../scripts/policy-test';

const EXAMPLES = join(__dirname, '../../../../examples/policy');

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'policy-test-')), name);
  writeFileSync(path, text);
  return path;
}

describe('npm run policy:test', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('passes the example tenant policy against its cases (exit 0)', async () => {
    const result = await runPolicyTest([join(EXAMPLES, 'acme.yaml'), join(EXAMPLES, 'acme.cases.jsonl')]);
    expect(result.output).toMatch(/5 passed, 0 failed/);
    expect(result.code).toBe(0);
  });

  it('fails with exit 1 and says why when a case does not hold', async () => {
    const cases = file('c.jsonl', '{"action":"execute_code","context":{"command":"make deploy"},"expect":"allow"}\n');
    const result = await runPolicyTest([join(EXAMPLES, 'acme.yaml'), cases]);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FAIL #1 expected allow, got deny \[no-make-deploy\] Deploys go through CI/);
  });

  it('applies the policy over --global, like a tenant overlay', async () => {
    const global = file(
      'global.yaml',
      'rules:\n  - { id: no-curl, action: execute_code, match: { program: curl }, decision: deny, reason: r }\n',
    );
    const cases = file(
      'c.jsonl',
      '{"action":"execute_code","context":{"command":"curl https://github.com"},"expect":"deny"}\n',
    );
    expect((await runPolicyTest([join(EXAMPLES, 'acme.yaml'), cases, '--global', global])).code).toBe(0);
    expect((await runPolicyTest([join(EXAMPLES, 'acme.yaml'), cases])).code).toBe(1);
  });

  it('exits 2 naming the line for an invalid policy or case', async () => {
    const policy = file(
      'p.yaml',
      'rules:\n  - id: x\n    action: execute_code\n    match: {}\n    decision: deny\n    reason: r\n',
    );
    const cases = file('c.jsonl', '{"action":"execute_code","context":{"command":"ls"},"expect":"allow"}\nnot json\n');
    expect(await runPolicyTest([policy, join(EXAMPLES, 'acme.cases.jsonl')])).toEqual({
      code: 2,
      output: expect.stringMatching(/line 4: key "rules\[0\]\.match" must name at least one thing to match/),
    });
    expect(await runPolicyTest([join(EXAMPLES, 'acme.yaml'), cases])).toEqual({
      code: 2,
      output: expect.stringMatching(/line 2 is not valid JSON/),
    });
  });
});
