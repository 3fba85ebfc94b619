import { approval } from '../finding';
import type { ShellSession } from '../shell/shell-session';
import type { VarValue } from '../shell/word-expander';

/** Read by every non-interactive bash (`BASH_ENV`) or POSIX sh (`ENV`) before its script: code that runs first. */
const STARTUP_FILES = new Set(['BASH_ENV', 'ENV']);
/** Libraries loaded into every program started with them. */
const PRELOADS = new Set(['LD_PRELOAD', 'LD_AUDIT', 'DYLD_INSERT_LIBRARIES']);
/** Options that load code into every run of an interpreter. */
const CODE_OPTIONS: Record<string, RegExp> = {
  NODE_OPTIONS: /(?:^|\s)(?:-r|--require|--import|--loader|--experimental-loader)(?:[=\s]|$)/,
  PERL5OPT: /-[mMI]|-d/,
  RUBYOPT: /-r/,
  PYTHONSTARTUP: /./,
  JAVA_TOOL_OPTIONS: /-javaagent|-agentpath|-agentlib/,
};
/** Variables whose value is a command that programs run (git over ssh, pagers, editors, prompts). */
const COMMAND_VARIABLES = new Set([
  'GIT_SSH_COMMAND',
  'GIT_SSH',
  'GIT_EXTERNAL_DIFF',
  'GIT_PAGER',
  'GIT_EDITOR',
  'GIT_ASKPASS',
  'SSH_ASKPASS',
  'PAGER',
  'EDITOR',
  'VISUAL',
  'PROMPT_COMMAND',
]);

/**
 * The environment is part of the action: a variable that changes what runs (`BASH_ENV=x.sh`,
 * `LD_PRELOAD=…`, `NODE_OPTIONS=--require …`, `GIT_SSH_COMMAND=…`) is judged where it is set, on the
 * line or in the caller's `env`. A startup file or a command is judged by its content when it is
 * known; what cannot be seen needs approval.
 */
export function judgeEnvironmentVariable(session: ShellSession, name: string, value: VarValue): void {
  if (value.value === '' && !value.dynamic) return;
  if (STARTUP_FILES.has(name)) {
    session.runStartupFile(name, value);
  } else if (PRELOADS.has(name)) {
    session.add(
      approval(
        'shell.env_injection',
        `${name} loads ${value.value || 'a library'} into every program started.`,
        'high',
      ),
    );
  } else if (CODE_OPTIONS[name]?.test(value.value) || (CODE_OPTIONS[name] && value.dynamic)) {
    session.add(
      approval('shell.env_injection', `${name}=${value.value} loads code into every run of its interpreter.`, 'high'),
    );
  } else if (COMMAND_VARIABLES.has(name)) {
    session.runPayload({ value: value.value, dynamic: value.dynamic, glob: false, secret: false }, name);
  }
}
