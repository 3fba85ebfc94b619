import { PolicyGate } from '../policy-gate.service';
import type { PolicyOptions } from '../policy-options.types';

export { loadCorpus, CORPUS_DIR, CORPUS_POLICY, type CorpusCase } from './policy-corpus';

/** A ready PolicyGate (parser loaded) for specs. */
export async function createReadyPolicyGate(options: PolicyOptions = {}): Promise<PolicyGate> {
  const gate = new PolicyGate(options);
  await gate.ready();
  return gate;
}
