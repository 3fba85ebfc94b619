import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
const emptyAsUnset = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every environment variable the service reads, validated once at boot.
 * This class is the only place that knows variable names; everything else
 * receives typed values through ConfigService<Environment, true>.
 */
export class Environment {
  /** HTTP port of the API (and of the console). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 8000;

  /** `development`, `test` or `production`; production requires Redis, API keys and APPROVAL_SIGNING_KEY. */
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  /** pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`. */
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Full Redis URL; wins over REDIS_HOST and friends. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  REDIS_URL?: string;

  /** Redis host (with REDIS_PORT, REDIS_DB, REDIS_PASSWORD) when REDIS_URL is not set. Neither: the embedded in-process store. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  REDIS_HOST?: string;

  /** Redis Cluster seed nodes as `host:port,host:port`; wins over REDIS_URL and REDIS_HOST. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, { message: 'must be host:port[,host:port...]' })
  REDIS_CLUSTER_NODES?: string;

  /** Redis port, with REDIS_HOST. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  REDIS_PORT: number = 6379;

  /** Redis database number, with REDIS_HOST. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(15)
  REDIS_DB: number = 0;

  /** Redis password, with REDIS_HOST (and for every Cluster node). Never logged. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  REDIS_PASSWORD?: string;

  /** Default budget (USD) for a run created without a limit. */
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  DEFAULT_RUN_BUDGET: number = 10;

  /** Largest budget (USD) a run may be given. */
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  MAX_RUN_BUDGET: number = 100;

  /** A run's budget disappears this long after its last change (create, spend, reserve, commit, release); default 7 days. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  BUDGET_TTL_SECONDS: number = 7 * 24 * 3600;

  /** When set, budget alerts (thresholds crossed, overage) are POSTed here as JSON, with retries. Never logged. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  BUDGET_ALERT_WEBHOOK_URL?: string;

  /** `whsec_<base64>`: signs budget alert webhooks per Standard Webhooks. Unset: APPROVAL_WEBHOOK_SECRET, else unsigned. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^whsec_[A-Za-z0-9+/]{16,}={0,2}$/, { message: 'must be whsec_<base64 secret>' })
  BUDGET_ALERT_WEBHOOK_SECRET?: string;

  /** E2B API key: selects the E2B cloud sandbox provider unless SANDBOX_PROVIDER says otherwise. Never logged. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  @MinLength(8)
  E2B_API_KEY?: string;

  /** E2B control-plane URL override (a self-hosted E2B, or the local fake in tests); default the SDK's. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  E2B_API_URL?: string;

  /** E2B sandbox (envd) URL override, used with E2B_API_URL; default the SDK's per-sandbox host. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  E2B_SANDBOX_URL?: string;

  /** `local` (bubblewrap on this host) or `e2b`; unset = `e2b` when E2B_API_KEY is set, else `local`. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsIn(['local', 'e2b'])
  SANDBOX_PROVIDER?: 'local' | 'e2b';

  /** USD charged per second of sandboxed command time; default E2B's default-template price. */
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  SANDBOX_COST_PER_SECOND: number = 0.0000303;

  /** Live sandbox sessions per replica (safe executions included); more is 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SANDBOX_MAX_SESSIONS: number = 10;

  /** Live sandbox sessions one tenant may hold per replica, so one tenant cannot take every slot; more is 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SANDBOX_MAX_SESSIONS_PER_TENANT: number = 5;

  /** Lifetime of a session created without timeout_ms, and the longest allowed (ms). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  SANDBOX_SESSION_TTL_MS: number = 15 * 60 * 1000;

  /** A session unused this long is destroyed (ms). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  SANDBOX_SESSION_IDLE_MS: number = 5 * 60 * 1000;

  /** Timeout of a command sent without timeout_ms (ms). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SANDBOX_DEFAULT_TIMEOUT_MS: number = 30000;

  /** Longest command timeout accepted (ms). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SANDBOX_MAX_TIMEOUT_MS: number = 10 * 60 * 1000;

  /** Local provider: memory limit per command (MiB). */
  @Transform(toInt)
  @IsInt()
  @Min(16)
  SANDBOX_MEMORY_MB: number = 512;

  /** Local provider: process/thread limit per command. */
  @Transform(toInt)
  @IsInt()
  @Min(8)
  SANDBOX_PIDS_MAX: number = 256;

  /** Local provider: size of each session's /workspace (MiB), a tmpfs held in RAM; 0 = no cap (plain directory). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SANDBOX_WORKSPACE_MB: number = 256;

  /** Local provider: directory holding session workspaces (default <tmpdir>/safety-sandbox). */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  SANDBOX_WORKSPACE_DIR?: string;

  /** Local provider, service running as root: the unprivileged host uid (and gid) sandboxes run as. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SANDBOX_HOST_UID: number = 10001;

  /** Comma-separated API keys; `sha256:<hex>` entries hold a key's digest instead of the key. Each is an admin of tenant `default`. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  SAFETY_API_KEYS?: string;

  /** Path of the keys file (YAML or JSON): principals with id, tenant, role and key digests. Re-read on change and on SIGHUP. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  SAFETY_API_KEYS_FILE?: string;

  /** Failed authentications allowed per client address per RATE_LIMIT_WINDOW_MS before 429; 0 turns the throttle off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  AUTH_FAILURE_LIMIT: number = 30;

  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600000)
  SHUTDOWN_GRACE_MS: number = 10000;

  /**
   * How far (percent) V8 lets the old generation grow past the data that survived the
   * last full GC before it collects again; 0 keeps V8's own rule. See runtime/heap-growth.ts.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(400)
  HEAP_GROWING_PERCENT: number = 20;

  /** Largest request body accepted (bytes); above it the answer is 413. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES: number = 2 * 1024 * 1024;

  /** Largest text POST /api/v1/safety/redact accepts (UTF-8 bytes); above it the answer is 413. Keep BODY_LIMIT_BYTES above it. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  REDACT_MAX_TEXT_BYTES: number = 1024 * 1024;

  /** Worker threads that redact texts of 32 KiB or more off the event loop (POST /redact); 0 redacts every text on the event loop. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(64)
  REDACT_WORKERS: number = 1;

  /** Requests allowed per API key (or client IP without auth) per window; 0 turns rate limiting off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_MAX: number = 1200;

  /** Requests allowed per tenant (all its keys together) per window; 0 = no tenant limit. Needs RATE_LIMIT_MAX above 0. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_TENANT_MAX: number = 6000;

  /** Rate-limit window in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  RATE_LIMIT_WINDOW_MS: number = 60000;

  /** Audit events kept per run (oldest trimmed first). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  AUDIT_MAX_EVENTS_PER_RUN: number = 1000;

  /** A run's audit trail expires this long after its last event. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  AUDIT_TTL_SECONDS: number = 7 * 24 * 3600;

  /** Longest hold (seconds) a reservation may ask for with ttl_seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  BUDGET_MAX_RESERVATION_TTL_SECONDS: number = 3600;

  /**
   * When set, /metrics and the API docs are served on this port only (not on PORT), so the public
   * port need not expose them. Unset: both on PORT, as public routes.
   */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  /**
   * Ed25519 private key (PKCS#8 PEM; `\n` escapes allowed) that signs approval receipts. Unset: a fresh key
   * per process (development only; receipts then die with it); required in production.
   */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/-----BEGIN PRIVATE KEY-----/, { message: 'must be a PKCS#8 PEM private key' })
  APPROVAL_SIGNING_KEY?: string;

  /** How long an approval request stays pending before it expires (seconds). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  APPROVAL_TTL_SECONDS: number = 3600;

  /** How long an approved grant stays usable (seconds). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  APPROVAL_GRANT_TTL_SECONDS: number = 900;

  /** When set (with APPROVAL_WEBHOOK_SECRET), approval events are POSTed here, signed per Standard Webhooks. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  APPROVAL_WEBHOOK_URL?: string;

  /** `whsec_<base64>`: signs approval webhooks (and budget alert webhooks when BUDGET_ALERT_WEBHOOK_SECRET is unset). */
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^whsec_[A-Za-z0-9+/]{16,}={0,2}$/, { message: 'must be whsec_<base64 secret>' })
  APPROVAL_WEBHOOK_SECRET?: string;

  /** Serve the operator console at /console/. */
  @Transform(toBoolean)
  @IsBoolean()
  CONSOLE_ENABLED: boolean = true;

  /** Serve Swagger UI at /api/docs (JSON at /api/docs-json). */
  @Transform(toBoolean)
  @IsBoolean()
  SWAGGER_ENABLED: boolean = true;

  /** Path of the global policy file (YAML, or JSON by extension): validated at boot, re-read on change and on SIGHUP. Unset = built-in defaults. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  POLICY_FILE?: string;

  /** Directory of per-tenant policy overlays, `<tenant>.yaml` (or .yml, .json), applied on top of POLICY_FILE; re-read on change and on SIGHUP. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  POLICY_DIR?: string;
}

/** Whether a Redis server was configured; without one the embedded in-process store is used. */
export function hasRedis(env: Pick<Environment, 'REDIS_URL' | 'REDIS_HOST' | 'REDIS_CLUSTER_NODES'>): boolean {
  return Boolean(env.REDIS_URL || env.REDIS_HOST || env.REDIS_CLUSTER_NODES);
}
