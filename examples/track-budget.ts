/**
 * Quick reference: give a run a money budget and spend against it.
 *
 *   npx ts-node examples/track-budget.ts [baseUrl]
 */
import { BudgetClient, BudgetExceededError, BudgetNotFoundError } from '../libs/client/src';
import { runExample } from './run-example';

export async function main(baseUrl?: string, log: (line: string) => void = console.log) {
  const budget = new BudgetClient(baseUrl, { apiKey: process.env.SAFETY_API_KEY });
  const runId = `run-123-${Date.now()}`;

  await budget.createBudget(runId, 10.0);

  // Before an expensive call: is there room?
  if (await budget.canSpend(runId, 0.05)) {
    // Record what it cost. The client sends an idempotency key, so its retries never double-charge.
    await budget.spend(runId, 0.05);
  }
  const status = await budget.getStatus(runId);
  log(`${runId}: spent $${status.spent} of $${status.limit}, $${status.remaining} left (${status.state})`);

  // A guard that throws instead of returning false.
  let exceeded: string | undefined;
  try {
    await budget.enforceLimit(runId, 50);
  } catch (error) {
    if (!(error instanceof BudgetExceededError)) throw error;
    exceeded = error.message;
  }

  // Unknown runs are a typed error with the server's message.
  let notFound: string | undefined;
  try {
    await budget.spend('xyz', 0.05);
  } catch (error) {
    if (!(error instanceof BudgetNotFoundError)) throw error;
    notFound = error.message; // "Budget not found for run_id: xyz"
  }

  return { runId, spent: status.spent, remaining: status.remaining, exceeded, notFound };
}

if (require.main === module) runExample(main);
