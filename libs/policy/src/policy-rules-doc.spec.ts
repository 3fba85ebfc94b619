import { Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { SWITCHABLE_BUILTIN_RULES } from '@app/policy';
import {
  POLICY_RULES_DOC,
  policyRulesDoc,
  ruleReference,
  sourceRuleIds,
} from '../../../scripts/generate-policy-rules-doc';

describe('docs/policy-rules.md', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']));

  it('gives every rule id of the source an example the engine judges that way, or says why it cannot', async () => {
    const missing = (await ruleReference()).filter((rule) => !rule.example && !rule.note).map((rule) => rule.id);
    expect(missing).toEqual([]);
  }, 60_000);

  it('lists as switchable only rules that exist and are never raised as a deny', () => {
    const ids = new Set(sourceRuleIds());
    const source = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('spec.ts'))
      .map((file) => readFileSync(join(__dirname, file), 'utf8'))
      .join('\n');
    for (const id of SWITCHABLE_BUILTIN_RULES) {
      expect(ids).toContain(id);
      expect(source).not.toMatch(new RegExp(`deny\\(\\s*'${id.replace('.', '\\.')}'`));
    }
  });

  it('is what `npm run docs:policy` writes (run it after changing a rule)', async () => {
    expect(readFileSync(POLICY_RULES_DOC, 'utf8')).toBe(await policyRulesDoc());
  }, 60_000);
});
