import { ApiProperty } from '@nestjs/swagger';

export class MatchedRuleDto {
  /** The rule id, as in `rule_ids`. @example "terraform-apply-needs-approval" */
  id: string;

  @ApiProperty({
    enum: ['builtin', 'user'],
    enumName: 'MatchedRuleSource',
    description: '`builtin` (docs/policy-rules.md) or `user` (a rule of the policy files).',
  })
  source: 'builtin' | 'user';

  /** For a user rule: the policy file it is written in. @example "acme.yaml" */
  file?: string;

  /** For a user rule: its line in that file. @example 12 */
  line?: number;
}
