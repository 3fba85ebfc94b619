import { ApprovalsService, type Jwks } from '@app/approvals';
import { Controller, Get, Header, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access.decorator';

/** The public keys that verify approval receipts (RFC 7517), at the well-known path, without auth. */
@ApiTags('approvals')
@Controller({ path: '.well-known', version: VERSION_NEUTRAL })
export class JwksController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Get('jwks.json')
  @Public()
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ operationId: 'getJwks', summary: 'Public keys (JWK Set) that verify approval receipts' })
  @ApiOkResponse({ description: 'A JWK Set with the Ed25519 key(s), each with its kid' })
  jwks(): Jwks {
    return this.approvals.jwks;
  }
}
