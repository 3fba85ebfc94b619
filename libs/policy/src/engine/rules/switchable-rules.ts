/**
 * Built-in rules a policy file may switch off by id (`disable_rules`). Only rules that ask for
 * approval over everyday work a team may well accept (git history, migrations, infrastructure,
 * package publishing, permissions inside the workspace, ...). Never switchable: a rule that can
 * deny, the rules that stop what cannot be judged (unparseable or dynamic commands, encoded
 * payloads, unresolved paths, unknown scripts), secrets, persistence, security controls,
 * production deploys and billing (billing has its own settings). A test keeps this list honest:
 * every id here exists in the engine and is never raised as a deny.
 */
export const SWITCHABLE_BUILTIN_RULES: ReadonlySet<string> = new Set([
  'fs.delete_device',
  'fs.delete_git_file',
  'fs.fanout_delete',
  'fs.perm_outside_workspace',
  'fs.perm_workspace',
  'fs.perm_world_writable',
  'fs.recursive_delete_workspace',
  'fs.shred',
  'fs.write_git_dir',
  'git.clean',
  'git.config_command',
  'git.delete_remote_branch',
  'git.discard_changes',
  'git.force_push',
  'git.history_destroy',
  'git.rewrite_history',
  'infra.apply',
  'infra.cloud_delete',
  'infra.destroy',
  'infra.docker_prune',
  'infra.kubectl_delete',
  'infra.kubectl_disrupt',
  'net.listener',
  'net.remote_copy',
  'net.unknown_method',
  'net.unusual_port',
  'net.write_method',
  'pkg.publish',
  'sql.destructive',
  'sql.unknown_statements',
  'sql.write_production',
  'sys.account_change',
  'sys.kernel',
  'sys.kill_many',
  'sys.privilege_escalation',
  'sys.service_stop',
]);
