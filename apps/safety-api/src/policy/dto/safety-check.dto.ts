import { ActionType, CONTEXT_FIELDS } from '@app/policy';
import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { IsEnum, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  CreateBillingContextDto,
  DeleteFilesContextDto,
  DeployContextDto,
  ExecuteCodeContextDto,
  NetworkAccessContextDto,
} from './action-contexts.dto';

export const CONTEXT_DTOS = [
  ExecuteCodeContextDto,
  DeployContextDto,
  CreateBillingContextDto,
  DeleteFilesContextDto,
  NetworkAccessContextDto,
];

export class SafetyCheckDto {
  @ApiProperty({
    enum: ActionType,
    enumName: 'ActionType',
    description: 'What the agent wants to do.',
    example: ActionType.EXECUTE_CODE,
  })
  @IsEnum(ActionType, { message: `action must be one of: ${Object.values(ActionType).join(', ')}` })
  action: ActionType;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'Facts about the action. Fields per action: ' +
      Object.entries(CONTEXT_FIELDS)
        .map(([action, fields]) => `${action}: ${Object.keys(fields).join(', ')}`)
        .join('; ') +
      '. Other keys are accepted, ignored by the rules and kept in the decision log. Self-asserted approval (`approved`, `approved_by`) never changes a decision.',
    anyOf: CONTEXT_DTOS.map((dto) => ({ $ref: getSchemaPath(dto) })),
    example: { command: 'npm install', cwd: '/home/dev/app' },
  })
  @IsObject()
  context: Record<string, unknown>;

  /**
   * Use an approved grant: when the policy asks for approval and this approval is approved, unused,
   * unexpired, of the caller's tenant and for this exact action (same digest; same run when it names
   * one), the answer is `allow` and the grant is consumed. @example "apr_3f9c0a8e1b2d4c6e8f0a1b2c3d4e5f60"
   */
  @IsOptional()
  @IsString()
  @MaxLength(128)
  approval_id?: string;
}
