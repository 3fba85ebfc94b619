/**
 * Quick reference: batch execution with a budget. Run commands one after another until the
 * work is done or the money runs out; a refused command does not stop the batch.
 *
 *   npx ts-node examples/batch-execution.ts [baseUrl]
 */
import {
  ApprovalRequiredError,
  BudgetClient,
  BudgetExceededError,
  PolicyDeniedError,
  SandboxClient,
} from '../libs/client/src';
import { runExample } from './run-example';

export async function main(baseUrl?: string, log: (line: string) => void = console.log) {
  const options = { apiKey: process.env.SAFETY_API_KEY };
  const budget = new BudgetClient(baseUrl, options);
  const sandbox = new SandboxClient(baseUrl, options);
  const runId = `batch-${Date.now()}`;
  await budget.createBudget(runId, 0.5);

  const commands = ['echo step-1', 'node -e "console.log(1 + 1)"', 'rm -rf /', 'echo step-4'];
  const results: { command: string; outcome: string; cost: number }[] = [];
  for (const command of commands) {
    if (!(await budget.canSpend(runId, 0.001))) {
      results.push({ command, outcome: 'skipped: budget exhausted', cost: 0 });
      continue;
    }
    try {
      const result = await sandbox.safeExecuteCode({ runId, command, timeout: 10_000 });
      results.push({ command, outcome: `exit ${result.exitCode}`, cost: result.cost });
    } catch (error) {
      if (error instanceof PolicyDeniedError || error instanceof ApprovalRequiredError) {
        results.push({ command, outcome: `refused: ${error.message}`, cost: 0 });
      } else if (error instanceof BudgetExceededError) {
        results.push({ command, outcome: 'stopped: budget exceeded', cost: 0 });
        break;
      } else {
        throw error;
      }
    }
  }
  const status = await budget.getStatus(runId);
  for (const entry of results) log(`${entry.command} → ${entry.outcome} ($${entry.cost})`);
  log(`spent $${status.spent} of $${status.limit}`);
  return { runId, results, spent: status.spent, limit: status.limit };
}

if (require.main === module) runExample(main);
