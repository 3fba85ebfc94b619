import type { SandboxSession } from '@app/sandbox';
import { unscopedRunId } from '@app/budget';
import type { SessionDto } from './dto/session.dto';

export function sessionBody(session: SandboxSession): SessionDto {
  return {
    session_id: session.id,
    provider: session.provider,
    template: session.template,
    expires_at: session.expiresAt.toISOString(),
    run_id: session.runId === undefined ? null : unscopedRunId(session.runId),
    allowed_domains: session.allowedDomains,
  };
}
