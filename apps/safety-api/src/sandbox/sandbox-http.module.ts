import { ApprovalsService } from '@app/approvals';
import { BudgetService } from '@app/budget';
import { PolicyGate } from '@app/policy';
import { RedactionService } from '@app/redaction';
import { SandboxModule } from '@app/sandbox';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import { tenantOf } from '../auth/tenant-run';
import { ApprovalSandboxGrants } from './approval-grants';
import { SandboxController } from './sandbox.controller';

/**
 * HTTP feature for @app/sandbox: the provider from SANDBOX_PROVIDER (or E2B when
 * E2B_API_KEY is set), limits from the environment, and the app's one PolicyGate,
 * BudgetService and RedactionService (all global modules: the sandbox spends
 * against the same ledger the budget endpoints show).
 */
@Module({
  imports: [
    SandboxModule.forRootAsync({
      inject: [ConfigService, PolicyGate, BudgetService, RedactionService, ApprovalsService],
      useFactory: (
        config: ConfigService<Environment, true>,
        policy: PolicyGate,
        budget: BudgetService,
        redaction: RedactionService,
        approvals: ApprovalsService,
      ) => {
        const apiKey = config.get('E2B_API_KEY', { infer: true });
        const provider = config.get('SANDBOX_PROVIDER', { infer: true }) ?? (apiKey ? 'e2b' : 'local');
        const maxTimeoutMs = config.get('SANDBOX_MAX_TIMEOUT_MS', { infer: true });
        const sessionTtlMs = config.get('SANDBOX_SESSION_TTL_MS', { infer: true });
        // A one-shot execution's sandbox lives for its timeout plus a margin, which may exceed the session TTL.
        const maxSessionTtlMs = Math.max(sessionTtlMs, maxTimeoutMs + 120_000);
        return {
          provider,
          policy,
          budget,
          grants: new ApprovalSandboxGrants(approvals),
          // Its streaming form: output is redacted as the command writes it.
          redactor: redaction,
          costPerSecondUsd: config.get('SANDBOX_COST_PER_SECOND', { infer: true }),
          defaultTimeoutMs: config.get('SANDBOX_DEFAULT_TIMEOUT_MS', { infer: true }),
          maxTimeoutMs,
          maxSessions: config.get('SANDBOX_MAX_SESSIONS', { infer: true }),
          maxSessionsPerOwner: config.get('SANDBOX_MAX_SESSIONS_PER_TENANT', { infer: true }),
          // Sessions count against, and belong to, their run's tenant (a run-less one: the default tenant's).
          sessionOwner: (runId) => tenantOf(runId ?? ''),
          sessionTtlMs,
          sessionIdleMs: config.get('SANDBOX_SESSION_IDLE_MS', { infer: true }),
          local: {
            workspaceRoot: config.get('SANDBOX_WORKSPACE_DIR', { infer: true }),
            hostUid: config.get('SANDBOX_HOST_UID', { infer: true }),
            hostGid: config.get('SANDBOX_HOST_UID', { infer: true }),
            memoryBytes: config.get('SANDBOX_MEMORY_MB', { infer: true }) * 1024 * 1024,
            pids: config.get('SANDBOX_PIDS_MAX', { infer: true }),
            workspaceMaxBytes: config.get('SANDBOX_WORKSPACE_MB', { infer: true }) * 1024 * 1024,
            maxTimeoutMs,
            maxSessionTtlMs,
          },
          e2b: apiKey
            ? {
                apiKey,
                apiUrl: config.get('E2B_API_URL', { infer: true }),
                sandboxUrl: config.get('E2B_SANDBOX_URL', { infer: true }),
                maxTimeoutMs,
                maxSessionTtlMs,
              }
            : undefined,
        };
      },
    }),
  ],
  controllers: [SandboxController],
})
export class SandboxHttpModule {}
