import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** Same rule as the lib's env var names (kept literal so the DTO stays self-describing). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

export class RedactRequestDto {
  /**
   * Text to scrub (logs, command output, a prompt). Above REDACT_MAX_TEXT_BYTES (UTF-8) the answer is 413.
   * @example "API key: sk-1234567890abcdef"
   */
  @IsString()
  text: string;

  /**
   * Environment variable names whose values must disappear: where assigned (`NAME=v`, `export NAME=v`, `NAME: v`,
   * `"NAME": "v"`, `--name v`) and wherever the value recurs, raw or JSON-escaped, URL-encoded or base64.
   * @example ["DATABASE_URL"]
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  @Matches(ENV_NAME, { each: true, message: 'each env_vars entry must match [A-Za-z_][A-Za-z0-9_.-]{0,127}' })
  env_vars?: string[];

  /**
   * Literal secret values you know (e.g. what you injected into a sandbox); masked with the same encoded variants.
   * Values shorter than 4 characters are masked only where assigned, never as free text.
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(4096, { each: true })
  secrets?: string[];
}

export class RedactFindingDto {
  /**
   * Pattern name, as in the placeholder `[REDACTED:<pattern>]` (an env var's own name for env_vars, KNOWN_SECRET for secrets).
   * @example "OPENAI_API_KEY"
   */
  pattern: string;

  /**
   * Offset of the first redacted character in the input (UTF-16 code units, as JavaScript string indices).
   * @example 9
   */
  start: number;

  /**
   * Offset just past the last redacted character in the input.
   * @example 28
   */
  end: number;
}

export class RedactResponseDto {
  /** @example "API key: [REDACTED:OPENAI_API_KEY]" */
  redacted: string;

  /** Where each secret was, as offsets into the input; the secret itself is never echoed. */
  findings: RedactFindingDto[];

  /**
   * Number of findings.
   * @example 1
   */
  count: number;
}

export class RedactionPatternDto {
  /** @example "GITHUB_TOKEN" */
  name: string;

  /** @example "GitHub tokens: classic ghp_, OAuth gho_, app ghu_/ghs_, refresh ghr_ (CRC32-checked), fine-grained github_pat_" */
  description: string;

  /** Whether the pattern was added through configuration. */
  custom: boolean;
}

export class RedactionPatternListDto {
  patterns: RedactionPatternDto[];

  /**
   * Largest text accepted by POST /api/v1/safety/redact, in UTF-8 bytes.
   * @example 1048576
   */
  max_text_bytes: number;
}
