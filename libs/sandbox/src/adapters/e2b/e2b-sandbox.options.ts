/** Settings of the E2B cloud provider. */
export interface E2bSandboxOptions {
  apiKey: string;
  /** Control-plane URL override (tests point it at the fake server). Marked internal by the SDK. */
  apiUrl?: string;
  /** envd URL override ("local development" in the SDK). */
  sandboxUrl?: string;
  /** E2B domain. Default the SDK's (`e2b.app`). */
  domain?: string;
  /** Per-request timeout of SDK calls (ms). Default 30 s. */
  requestTimeoutMs?: number;
  /** Per-stream output cap (bytes). Default 1 MiB. */
  outputCapBytes?: number;
  maxUploadFiles?: number;
  maxUploadBytes?: number;
  maxTimeoutMs?: number;
  /** Longest session lifetime (ms); E2B kills the sandbox at the end of it. Default 1 h. */
  maxSessionTtlMs?: number;
}
