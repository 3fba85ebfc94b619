/** Injection token for the PolicyOptions given to PolicyModule.forRoot/forRootAsync. */
export const POLICY_OPTIONS = Symbol('POLICY_OPTIONS');

/**
 * Optional injection token: a function that scrubs secrets from text. Decision reasons quote the
 * request (a path, a branch, a host), so PolicyGate passes each new reason through it once, before
 * the verdict is cached. Without a provider reasons are returned as they are.
 */
export const POLICY_TEXT_REDACTOR = Symbol('POLICY_TEXT_REDACTOR');
export type TextRedactor = (text: string) => string;

/**
 * Optional injection token: whether a decision-log entry would be written (the logger's level lets
 * `log`/info lines through). When it says no, PolicyGate does not build the entry at all; without a
 * provider every decision is logged.
 */
export const POLICY_DECISION_LOG_ENABLED = Symbol('POLICY_DECISION_LOG_ENABLED');
export type DecisionLogEnabled = () => boolean;
