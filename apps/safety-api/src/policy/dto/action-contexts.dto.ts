/**
 * Documented `context` fields per action (OpenAPI only: the body's `context` is
 * a free-form object; other keys are accepted, ignored by the rules and logged).
 */
export class ExecuteCodeContextDto {
  /**
   * The shell command the agent wants to run, as bash would receive it.
   * @example "npm install"
   */
  command: string;
  /** Working directory (absolute, or relative to the workspace). @example "/home/dev/app" */
  cwd?: string;
  /** Workspace root; defaults to the policy's workspace_root or is inferred from cwd. */
  workspace?: string;
  /** Current git branch, used by force-push and history-rewrite rules. @example "feat/login" */
  branch?: string;
  /** Environment the command acts on (production makes infra and SQL rules stricter). */
  environment?: string;
  /** Environment of the database the command talks to (production: destructive SQL is denied). */
  db_environment?: string;
  /**
   * The project's files (path relative to the workspace → content): `bash x.sh`, `npm run x`, `make t`
   * and `BASH_ENV=x.sh` are judged by the bodies found here; without them such scripts are unseen.
   * @example {"package.json": "{\"scripts\":{\"clean\":\"rm -rf dist\"}}"}
   */
  files?: Record<string, string>;
  /**
   * Environment variables the command runs with. Those that change what runs (`BASH_ENV`, `ENV`,
   * `LD_PRELOAD`, `NODE_OPTIONS=--require …`, `GIT_SSH_COMMAND`, `PATH`, …) are judged.
   * @example {"NODE_ENV": "test"}
   */
  env?: Record<string, string>;
}

export class DeployContextDto {
  /** Target environment; `prod`, `production`, `prd`, `live` (case, whitespace and invisible characters folded) need approval. @example "staging" */
  environment: string;
  /** Service being deployed. */
  service?: string;
  /** Cluster, region or URL deployed to; a production target makes the deploy production. */
  target?: string;
  /** Branch being deployed. */
  branch?: string;
  /** Deploy command; judged like execute_code and scanned for production flags. */
  command?: string;
  /** Self-declared dry run; never lowers a production decision. */
  dry_run?: boolean;
}

export class CreateBillingContextDto {
  /** Amount in USD; negative is denied. */
  amount_usd?: number;
  /** Plan name. */
  plan?: string;
  /** Billing interval (month, year, ...). */
  interval?: string;
  /** Customer id. */
  customer?: string;
  /** Payment-provider mode (test, live). */
  mode?: string;
}

export class DeleteFilesContextDto {
  /** One path to delete (`path` or `paths` is required). */
  path?: string;
  /** Several paths to delete. */
  paths?: string[];
  /** Workspace root for relative paths. */
  workspace?: string;
  /** Whether directories are deleted recursively; unspecified means recursive unless the name has a file extension. */
  recursive?: boolean;
}

export class NetworkAccessContextDto {
  /** Host name or IP literal (`domain` or `url` is required). @example "registry.npmjs.org" */
  domain?: string;
  /** Full URL, parsed as the WHATWG URL standard does. */
  url?: string;
  /** TCP port (defaults to the scheme's). */
  port?: number;
  /** HTTP method; writes need approval, DELETE is denied. @example "GET" */
  method?: string;
  /** The address the host resolved to, re-checked against private and metadata ranges (DNS rebinding). */
  resolved_ip?: string;
}
