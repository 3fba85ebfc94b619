/**
 * Quick reference: the safe workflow. Policy → budget → safe execution → check the result.
 *
 *   npx ts-node examples/safe-workflow.ts [baseUrl]
 */
import { BudgetClient, PolicyBlockedError, PolicyClient, SandboxClient } from '../libs/client/src';
import { runExample } from './run-example';

export async function main(baseUrl?: string, log: (line: string) => void = console.log) {
  const options = { apiKey: process.env.SAFETY_API_KEY };
  const policy = new PolicyClient(baseUrl, options);
  const budget = new BudgetClient(baseUrl, options);
  const sandbox = new SandboxClient(baseUrl, options);
  const runId = `workflow-${Date.now()}`;
  const command = 'node -e "console.log(6 * 7)"';

  // 1. Policy: may the agent run this at all? (The sandbox checks again server-side; asking first gives a clear reason early.)
  try {
    await policy.checkAndEnforce('execute_code', { command });
  } catch (error) {
    if (error instanceof PolicyBlockedError) log(`refused: ${error.decision.reason}`);
    throw error;
  }

  // 2. Budget: the run gets $1, and the work must fit.
  await budget.createBudget(runId, 1.0);
  await budget.enforceLimit(runId, 0.01);

  // 3. Safe execution: policy, budget hold, sandbox, charge and redaction in one call.
  const result = await sandbox.safeExecuteCode({ runId, command, timeout: 30_000, allowedDomains: [] });

  // 4. Check the result: exit code, output, what it cost, what is left.
  if (result.exitCode !== 0 || result.timedOut)
    throw new Error(`command failed (${result.exitCode}): ${result.stderr}`);
  log(`stdout: ${result.stdout.trim()}  cost: $${result.cost}  remaining: $${result.budgetRemaining}`);
  const status = await budget.getStatus(runId);

  return {
    runId,
    exitCode: result.exitCode,
    stdout: result.stdout,
    cost: result.cost,
    budgetRemaining: result.budgetRemaining,
    spent: status.spent,
  };
}

if (require.main === module) runExample(main);
