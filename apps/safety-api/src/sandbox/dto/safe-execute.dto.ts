import { RUN_ID_PATTERN, RUN_ID_RULE } from '@app/budget';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { SandboxFileDto } from './sandbox-file.dto';

export class SafeExecuteDto {
  /** The run whose budget pays for the command. @example "run-123" */
  @IsString()
  @Matches(RUN_ID_PATTERN, { message: RUN_ID_RULE })
  run_id: string;

  /** Shell command, run with bash -c in /workspace. @example "node /workspace/test.js" */
  @IsString()
  @MinLength(1)
  @MaxLength(65536)
  command: string;

  /** Wall-clock limit in ms (default SANDBOX_DEFAULT_TIMEOUT_MS); the whole process tree is killed at it. @example 30000 */
  @IsOptional()
  @IsInt()
  @Min(1)
  timeout_ms?: number;

  /**
   * Hosts the command may reach over HTTPS (exact names or `*.suffix`); each is checked by the policy.
   * Empty or absent: no network at all.
   * @example ["registry.npmjs.org"]
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  allowed_domains?: string[];

  /** Files placed in /workspace before the command runs. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SandboxFileDto)
  files?: SandboxFileDto[];

  /** Sandbox template (the local provider offers `base`). @example "base" */
  @IsOptional()
  @IsString()
  @MaxLength(128)
  template?: string;

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

export class ExecuteResultDto {
  /** Exit status; 137 when killed by the timeout or the memory limit. */
  exit_code: number;
  /** Standard output (at most 1 MiB, secrets redacted). */
  stdout: string;
  /** Standard error (at most 1 MiB, secrets redacted). */
  stderr: string;
  /** The command was killed at its timeout. */
  timed_out: boolean;
  /** Measured wall-clock time of the command (ms). */
  duration_ms: number;
  /** Output went past the cap and the rest was discarded. */
  truncated: boolean;
  /** Id of the policy decision that allowed the command. */
  decision_id: string;
}

export class SafeExecuteResponseDto extends ExecuteResultDto {
  /** USD charged for the measured duration. @example 0.000046 */
  cost: number;
  /** What is left of the run's budget (USD). @example 9.999954 */
  budget_remaining: number;
}
