/**
 * STOP-GAP, to be deleted: wire shapes of endpoints that are specified (issue 5)
 * but not yet in apps/safety-api/openapi.json, so the client and the examples
 * can be written before the server lands. `pending-contract.spec.ts` fails as
 * soon as one of these paths appears in openapi.json, to force the switch to
 * the generated types (then: delete the entry here, alias the generated schema
 * in client.types.ts, and call `http.api` instead of `http.untyped`).
 */
export const PENDING_PATHS = ['POST /api/v1/safety/redact'] as const;

export interface RedactRequestWire {
  text: string;
  env_vars?: string[];
  secrets?: string[];
}

export interface RedactResponseWire {
  redacted: string;
  /** Offsets into the input; the secret itself is never echoed. */
  findings: { pattern: string; start: number; end: number }[];
  count: number;
}
