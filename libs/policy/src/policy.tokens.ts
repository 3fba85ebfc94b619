/** Injection token for the PolicyOptions given to PolicyModule.forRoot/forRootAsync. */
export const POLICY_OPTIONS = Symbol('POLICY_OPTIONS');
