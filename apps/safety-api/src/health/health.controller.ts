import { Controller, Get, UseFilters, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../auth/access.decorator';
import { HealthCheckFilter } from './health-check.filter';
import { LifecycleState } from './lifecycle.state';
import { RedisHealthIndicator } from './redis.health';

/** Kubernetes probes; outside the /api prefix and version (see configureApp). */
@ApiTags('health')
@UseFilters(HealthCheckFilter)
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisHealthIndicator,
    private readonly lifecycle: LifecycleState,
  ) {}

  /** Liveness: no dependency checks; 200 while the process can serve. */
  @Get('live')
  @Public()
  @HealthCheck({ swaggerDocumentation: true })
  live() {
    return this.health.check([]);
  }

  /** Readiness: 503 while draining on SIGTERM or while Redis (when it is the store) does not answer. */
  @Get('ready')
  @Public()
  @HealthCheck({ swaggerDocumentation: true })
  ready() {
    return this.health.check([
      () => {
        const indicator = this.indicators.check('lifecycle');
        return this.lifecycle.draining ? indicator.down({ message: 'shutting down' }) : indicator.up();
      },
      () => this.redis.check(),
    ]);
  }
}
