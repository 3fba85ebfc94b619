import { PolicyGate } from '@app/policy';
(async () => {
  const gate = new PolicyGate({ workspace_root: '/home/dev/app' });
  await gate.ready();
  const cmds = process.argv.slice(2);
  for (const c of cmds) {
    const [action, ...rest] = c.startsWith('@') ? c.slice(1).split('|') : ['execute_code', c];
    const ctx = action === 'execute_code' ? { command: rest.join('|') || c, cwd: '/home/dev/app' } : JSON.parse(rest.join('|'));
    const t = process.hrtime.bigint();
    const d = gate.decide(action, ctx);
    const us = Number(process.hrtime.bigint() - t) / 1000;
    console.log(`${d.decision.padEnd(8)} ${d.risk.padEnd(8)} ${us.toFixed(0).padStart(5)}us ${JSON.stringify(c).slice(0, 70).padEnd(70)} ${d.rule_ids.join(',')} | ${d.reason.slice(0, 120)}`);
  }
})();
