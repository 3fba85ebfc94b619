import { RedactionPool, RedactionService } from '@app/redaction';
import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Optional, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorator';
import { ApiProblemResponses } from '../common/problem/api-problem-responses.decorator';
import { RedactRequestDto, RedactResponseDto, RedactionPatternListDto } from './dto/redact.dto';

/**
 * Texts from this many UTF-16 units go to a worker thread when there is a pool. Below it the worst
 * input measured costs the event loop about 9 ms, and a typical text microseconds, less than the
 * hand-off to a thread.
 */
export const OFFLOAD_TEXT_CHARS = 32 * 1024;

/** Scrub secrets from text before it is logged, stored or returned. */
@ApiTags('redaction')
@Controller('safety/redact')
export class RedactionController {
  constructor(
    private readonly redaction: RedactionService,
    @Optional() @Inject(RedactionPool) private readonly pool: RedactionPool | null,
  ) {}

  /**
   * Replace every secret with `[REDACTED:<PATTERN_NAME>]`; findings give offsets into the input, never the secret.
   * Linear time in the text; texts above REDACT_MAX_TEXT_BYTES are 413.
   */
  @Post()
  @RequireRole('agent')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: RedactResponseDto })
  @ApiProblemResponses('REDACTION_TEXT_TOO_LARGE', 'REDACTION_INVALID_ARGUMENT', 'REDACTION_BUSY')
  async redact(@Body() body: RedactRequestDto): Promise<RedactResponseDto> {
    const options = { envVars: body.env_vars, secrets: body.secrets };
    const result =
      this.pool && body.text.length >= OFFLOAD_TEXT_CHARS
        ? await this.pool.redact(body.text, options)
        : this.redaction.redact(body.text, options);
    return {
      redacted: result.redacted,
      findings: result.findings.map(({ pattern, start, end }) => ({ pattern, start, end })),
      count: result.count,
    };
  }

  /** The detectors in use (built-in and configured), by name. */
  @Get('patterns')
  @RequireRole('agent')
  @ApiOkResponse({ type: RedactionPatternListDto })
  @ApiProblemResponses()
  patterns(): RedactionPatternListDto {
    return { patterns: this.redaction.listPatterns(), max_text_bytes: this.redaction.maxTextBytes };
  }
}
