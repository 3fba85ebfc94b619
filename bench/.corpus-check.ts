import { Logger } from '@nestjs/common';
import { createReadyPolicyGate, loadCorpus, CORPUS_POLICY } from '@app/policy/testing';
(async () => {
  Logger.overrideLogger(false);
  const gate = await createReadyPolicyGate(CORPUS_POLICY);
  let bad = 0;
  for (const c of loadCorpus()) {
    const d = gate.decide(c.action, c.context);
    if (d.decision !== c.expect) { bad++; console.log(`${c.expect}->${d.decision} ${c.label.slice(0, 110)} :: ${d.rule_ids.join(',')} | ${d.reason.slice(0, 140)}`); }
  }
  console.log('mismatches', bad);
})();
