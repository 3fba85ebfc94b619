import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/problem/api-problem-responses.decorator';
import { RequireRole } from './access.decorator';
import { CurrentPrincipal } from './current-principal.decorator';
import { WhoamiDto } from './dto/whoami.dto';
import type { Principal } from './principal';

@ApiTags('auth')
@Controller('safety')
export class WhoamiController {
  @Get('whoami')
  @RequireRole('agent')
  @ApiOperation({ operationId: 'whoami', summary: 'The principal behind the API key: id, tenant and role' })
  @ApiOkResponse({ type: WhoamiDto })
  @ApiProblemResponses()
  whoami(@CurrentPrincipal() principal: Principal): WhoamiDto {
    return {
      key_id: principal.keyId,
      tenant: principal.homeTenant,
      role: principal.role,
      acting_tenant: principal.tenant,
    };
  }
}
