import { Logger } from '@nestjs/common';
import { createReadyPolicyGate } from '@app/policy/testing';
(async () => { Logger.overrideLogger(false); const g = await createReadyPolicyGate({workspace_root:'/home/dev/app'});
for (const c of process.argv.slice(2)) { const d = g.decide('execute_code', {command: c, cwd:'/home/dev/app'}); console.log(d.decision, d.rule_ids, d.reason); } })();
