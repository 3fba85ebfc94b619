import { Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { POLICY_RULES_DOC, policyRulesDoc, ruleReference } from '../../../scripts/generate-policy-rules-doc';

describe('docs/policy-rules.md', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']));

  it('gives every rule id of the source an example the engine judges that way, or says why it cannot', async () => {
    const missing = (await ruleReference()).filter((rule) => !rule.example && !rule.note).map((rule) => rule.id);
    expect(missing).toEqual([]);
  }, 60_000);

  it('is what `npm run docs:policy` writes (run it after changing a rule)', async () => {
    expect(readFileSync(POLICY_RULES_DOC, 'utf8')).toBe(await policyRulesDoc());
  }, 60_000);
});
