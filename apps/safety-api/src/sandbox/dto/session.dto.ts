import { RUN_ID_PATTERN, RUN_ID_RULE } from '@app/budget';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ExecuteResultDto } from './safe-execute.dto';
import { SandboxFileDto } from './sandbox-file.dto';

export class CreateSessionDto {
  /** Sandbox template (the local provider offers `base`). @example "base" */
  @IsOptional()
  @IsString()
  @MaxLength(128)
  template?: string;

  /** Session lifetime in ms (default and maximum SANDBOX_SESSION_TTL_MS). @example 600000 */
  @IsOptional()
  @IsInt()
  @Min(1000)
  timeout_ms?: number;

  /** Hosts commands may reach over HTTPS (exact or `*.suffix`), policy-checked. @example ["registry.npmjs.org"] */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  allowed_domains?: string[];

  /**
   * Run charged for command time, audited, and named in egress logs; it must have a budget. Omitted: the
   * session gets a run of its own, `session-<uuid>`, with a budget of DEFAULT_RUN_BUDGET, so its time is
   * still charged and audited. @example "run-123"
   */
  @IsOptional()
  @IsString()
  @Matches(RUN_ID_PATTERN, { message: RUN_ID_RULE })
  run_id?: string;
}

export class SessionDto {
  /** @example "lsb_3f9c0a8e1b2d4c6e8f0a1b2c" */
  session_id: string;
  /** Engine serving the session: `local` sessions live on one replica, `e2b` ones on any. */
  @ApiProperty({ enum: ['local', 'e2b'], enumName: 'SandboxProviderName' })
  provider: 'local' | 'e2b';
  template: string;
  /** When the session is destroyed whatever it is doing. */
  @ApiProperty({ format: 'date-time' })
  expires_at: string;
  run_id: string | null;
  allowed_domains: string[];
}

export class UploadFilesDto {
  /** Files to write into /workspace (overwriting). */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SandboxFileDto)
  files: SandboxFileDto[];
}

export class UploadFilesResponseDto {
  /** @example "sbx_3f2a9c" */
  session_id: string;
  /** Paths written, relative to /workspace. @example ["main.py", "src/util.py"] */
  written: string[];
}

export class SessionExecuteDto {
  /** Shell command, run with bash -c. @example "npm test" */
  @IsString()
  @MinLength(1)
  @MaxLength(65536)
  command: string;

  /** Wall-clock limit in ms (default SANDBOX_DEFAULT_TIMEOUT_MS). @example 30000 */
  @IsOptional()
  @IsInt()
  @Min(1)
  timeout_ms?: number;

  /** Working directory inside /workspace. @example "app" */
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  cwd?: string;

  /**
   * Extra environment variables (the service's own environment never reaches the sandbox). Values of
   * variables named like credentials (`*TOKEN*`, `*SECRET*`, `*PASSWORD*`, `*API_KEY*`, `*_KEY`, …) are
   * masked in the output wherever they appear, as `[REDACTED:KNOWN_SECRET]`.
   */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { NODE_ENV: 'test' } })
  @IsOptional()
  @IsObject()
  env?: Record<string, string>;

  /**
   * An approved grant for this command (POST /approvals with action `execute_code` and context
   * `{ "command": <this command> }`, in this run): when the policy asks for approval, the command runs
   * once and the grant is consumed. @example "apr_3f9c0a8e1b2d4c6e8f0a1b2c3d4e5f60"
   */
  @IsOptional()
  @IsString()
  @MaxLength(128)
  approval_id?: string;
}

export class SessionExecuteResponseDto extends ExecuteResultDto {
  /** The run the session belongs to (its audit trail records this execution), or null. @example "run-123" */
  run_id: string | null;
  /** USD charged when the session belongs to a run. @example 0.000061 */
  cost?: number;
  /** Remaining budget of the session's run. @example 9.999939 */
  budget_remaining?: number;
}
