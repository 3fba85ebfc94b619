/**
 * Quick reference: human approval. An agent asks to deploy to production, which the policy sends to a
 * human; it waits while an operator approves (with curl, the console, or any client), then proceeds
 * with a grant that works once, for exactly this deploy.
 *
 *   SAFETY_API_KEY=<agent key> npx ts-node examples/approval-flow.ts [baseUrl]
 *   # in another terminal, as an operator of the same tenant:
 *   curl -s -XPOST localhost:8000/api/v1/safety/approvals/<approval_id>/decision \
 *     -H "X-API-Key: <operator key>" -H 'content-type: application/json' -d '{"decision":"approve"}'
 */
import { ActionType, PolicyClient } from '../libs/client/src';
import { runExample } from './run-example';

export async function main(
  baseUrl?: string,
  log: (line: string) => void = console.log,
  apiKey: string | undefined = process.env.SAFETY_API_KEY,
) {
  const policy = new PolicyClient(baseUrl, { apiKey });
  const runId = `release-${Date.now()}`;
  const deploy = { environment: 'production', service: 'api' };

  // Resolves once a human approved and the grant was used; throws ApprovalRejectedError,
  // ApprovalExpiredError or ApprovalTimeoutError otherwise.
  const decision = await policy.checkAndEnforce(ActionType.DEPLOY, deploy, {
    runId,
    justification: 'release 1.4.2 passed staging',
    waitForApproval: {
      timeoutMs: 10 * 60_000,
      onRequested: (approval) => log(`waiting for approval ${approval.approval_id}: ${approval.reason}`),
    },
  });
  log(`approved by ${decision.approved_by?.join(', ')}: deploying ${deploy.service} to ${deploy.environment}`);
  return { runId, decision: decision.decision, approvalId: decision.approval_id, approvedBy: decision.approved_by };
}

if (require.main === module) runExample(main);
