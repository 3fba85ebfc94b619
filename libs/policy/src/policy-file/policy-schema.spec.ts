import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { POLICY_SCHEMA_FILE, policySchemaText } from '../../../../scripts/generate-policy-schema';

describe('libs/policy/policy.schema.json', () => {
  it('is what `npm run schema:policy` writes (run it after changing the schema)', () => {
    expect(readFileSync(POLICY_SCHEMA_FILE, 'utf8')).toBe(policySchemaText());
  });

  it('is a schema a stock JSON Schema validator accepts and applies', () => {
    const validate = new Ajv({ discriminator: true, strict: false }).compile(
      JSON.parse(readFileSync(POLICY_SCHEMA_FILE, 'utf8')) as object,
    );
    const rule = {
      id: 'tf',
      action: 'execute_code',
      match: { program: 'terraform' },
      decision: 'approval',
      reason: 'r',
    };
    expect(validate({ version: 1, rules: [rule] })).toBe(true);
    expect(validate({ rules: [{ ...rule, match: { environments: 'x' } }] })).toBe(false);
    expect(validate({ rules: [{ ...rule, id: 'fs.mine' }] })).toBe(false);
  });
});
