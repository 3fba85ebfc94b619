/**
 * Quick reference: check policy before an agent acts.
 *
 *   npx ts-node examples/check-policy.ts [baseUrl]
 */
import { ActionType, PolicyBlockedError, PolicyClient } from '../libs/client/src';
import { runExample } from './run-example';

export async function main(baseUrl?: string, log: (line: string) => void = console.log) {
  const policy = new PolicyClient(baseUrl, { apiKey: process.env.SAFETY_API_KEY });

  // Safe commands are allowed.
  const install = await policy.checkCodeExecution('npm install');
  const test = await policy.checkCodeExecution('npm test');
  log(`npm install → ${install.decision} (${install.reason})`);

  // A destructive command is not: a deny is a normal answer, with a reason and the rules that fired.
  const destructive = await policy.checkCodeExecution('rm -rf /');
  log(`rm -rf / → ${destructive.decision}: ${destructive.reason} [${destructive.rule_ids.join(', ')}]`);

  // Or let the client throw unless the action is allowed.
  let blockedMessage: string | undefined;
  try {
    await policy.checkAndEnforce(ActionType.EXECUTE_CODE, { command: 'rm -rf /' });
  } catch (error) {
    if (!(error instanceof PolicyBlockedError)) throw error;
    blockedMessage = error.message; // "Action blocked by policy: <reason>"
  }

  // Other actions: a production deploy needs a human; a package registry is reachable.
  const deploy = await policy.check(ActionType.DEPLOY, { environment: 'production', service: 'api' });
  const network = await policy.check(ActionType.NETWORK_ACCESS, { domain: 'registry.npmjs.org' });

  return {
    npmInstallAllowed: install.allowed,
    npmTestAllowed: test.allowed,
    destructiveAllowed: destructive.allowed,
    destructiveReason: destructive.reason,
    blockedMessage,
    deployDecision: deploy.decision,
    npmRegistryAllowed: network.allowed,
  };
}

if (require.main === module) runExample(main);
