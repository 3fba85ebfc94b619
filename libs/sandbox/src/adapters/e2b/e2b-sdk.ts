import type * as E2bModule from 'e2b';

export type E2bSdk = typeof E2bModule;

let sdk: E2bSdk | undefined;

/**
 * The `e2b` SDK, loaded when an E2B provider is first built: deployments on the
 * local provider never load it (it pulls in an ESM-only dependency and ~MBs of code).
 */
export function loadE2bSdk(): E2bSdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdk ??= require('e2b') as E2bSdk;
  return sdk;
}
