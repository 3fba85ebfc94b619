import { RedactionService } from '@app/redaction';
import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorator';
import { ApiProblemResponses } from '../common/problem/api-problem-responses.decorator';
import { RedactRequestDto, RedactResponseDto, RedactionPatternListDto } from './dto/redact.dto';

/** Scrub secrets from text before it is logged, stored or returned. */
@ApiTags('redaction')
@Controller('safety/redact')
export class RedactionController {
  constructor(private readonly redaction: RedactionService) {}

  /**
   * Replace every secret with `[REDACTED:<PATTERN_NAME>]`; findings give offsets into the input, never the secret.
   * Linear time in the text; texts above REDACT_MAX_TEXT_BYTES are 413.
   */
  @Post()
  @RequireRole('agent')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: RedactResponseDto })
  @ApiProblemResponses('REDACTION_TEXT_TOO_LARGE', 'REDACTION_INVALID_ARGUMENT')
  redact(@Body() body: RedactRequestDto): RedactResponseDto {
    const result = this.redaction.redact(body.text, { envVars: body.env_vars, secrets: body.secrets });
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
