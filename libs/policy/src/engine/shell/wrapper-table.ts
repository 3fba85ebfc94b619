/**
 * Programs that run another command, described as data: how each passes its
 * inner command. The analyser unwraps them all the same way and judges the
 * inner command; anything not here but carrying a dangerous command goes to approval.
 */
export interface WrapperSpec {
  /** Options whose value is the next argument. */
  optionsWithValue?: string[];
  /** Options whose value is a shell script string (`script -c`, `su -c`, `flock -c`, `npx -c`). */
  payloadOptions?: string[];
  /** Positional arguments before the inner command (timeout's duration, ssh's host, chroot's root). */
  skipPositional?: number;
  /** Leading NAME=value arguments set the inner command's environment. */
  skipAssignments?: boolean;
  /** The remaining arguments are joined into one shell script (`watch`, `ssh host ...`). */
  joinAsScript?: boolean;
  /** The inner command starts after this argument (`kubectl exec pod -- cmd`). */
  separator?: string;
  /** Runs the inner command with raised privileges. */
  privileged?: boolean;
  /** The inner command also receives arguments read from stdin (`xargs`, `parallel`). */
  appendsStdinArgs?: boolean;
  /** Options that turn the wrapper into a lookup that runs nothing (`command -v`). */
  inertOptions?: string[];
  /** Without an inner command this is an interactive (root) shell. */
  bareIsShell?: boolean;
}

const SUDO_VALUE_OPTIONS = [
  '-u',
  '-g',
  '-C',
  '-D',
  '-h',
  '-p',
  '-r',
  '-t',
  '-U',
  '-T',
  '--user',
  '--group',
  '--chdir',
  '--prompt',
  '--role',
  '--type',
  '--host',
  '--other-user',
  '--close-from',
  '--command-timeout',
];
const SSH_VALUE_OPTIONS = [
  '-p',
  '-i',
  '-l',
  '-o',
  '-F',
  '-J',
  '-L',
  '-R',
  '-D',
  '-E',
  '-S',
  '-W',
  '-b',
  '-c',
  '-e',
  '-m',
  '-O',
  '-Q',
  '-w',
  '-B',
  '-I',
];

export const WRAPPERS: Readonly<Record<string, WrapperSpec>> = {
  sudo: { optionsWithValue: SUDO_VALUE_OPTIONS, privileged: true, bareIsShell: true },
  doas: { optionsWithValue: ['-u', '-C'], privileged: true, bareIsShell: true },
  pkexec: { optionsWithValue: ['--user'], privileged: true, bareIsShell: true },
  run0: { optionsWithValue: ['--user', '-u', '--unit'], privileged: true, bareIsShell: true },
  su: {
    payloadOptions: ['-c', '--command'],
    optionsWithValue: ['-s', '--shell', '-g', '-G', '-w'],
    privileged: true,
    skipPositional: 1,
    bareIsShell: true,
  },
  runuser: {
    payloadOptions: ['-c', '--command'],
    optionsWithValue: ['-u', '--user', '-g', '-G', '-s', '--shell'],
    privileged: true,
  },
  env: {
    skipAssignments: true,
    optionsWithValue: ['-u', '--unset', '-C', '--chdir', '--split-string'],
    payloadOptions: ['-S'],
  },
  'cross-env': { skipAssignments: true },
  dotenv: { optionsWithValue: ['-e', '-v', '-c'], separator: '--' },
  timeout: { optionsWithValue: ['-s', '--signal', '-k', '--kill-after'], skipPositional: 1 },
  nice: { optionsWithValue: ['-n', '--adjustment'] },
  ionice: { optionsWithValue: ['-c', '--class', '-n', '--classdata', '-p', '--pid'] },
  stdbuf: { optionsWithValue: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  nohup: {},
  setsid: {},
  time: { optionsWithValue: ['-f', '--format', '-o', '--output'] },
  command: { inertOptions: ['-v', '-V'] },
  builtin: {},
  exec: { optionsWithValue: ['-a'] },
  noglob: {},
  chrt: { optionsWithValue: ['-T', '-P', '-D'], skipPositional: 1 },
  taskset: { optionsWithValue: ['-c', '--cpu-list'], skipPositional: 0 },
  caffeinate: { optionsWithValue: ['-t', '-w'] },
  unbuffer: {},
  strace: { optionsWithValue: ['-o', '-e', '-p', '-s', '-u', '-E', '-P', '-a', '-b', '-I', '-O', '-S', '-X'] },
  ltrace: { optionsWithValue: ['-o', '-e', '-p', '-s', '-u', '-n', '-a'] },
  valgrind: {},
  flock: {
    payloadOptions: ['-c', '--command'],
    optionsWithValue: ['-w', '--timeout', '-E', '--conflict-exit-code'],
    skipPositional: 1,
  },
  chroot: { optionsWithValue: ['--userspec', '--groups'], skipPositional: 1, privileged: true },
  unshare: {},
  nsenter: { optionsWithValue: ['-t', '--target', '-S', '-G'], privileged: true },
  firejail: {},
  proxychains: { optionsWithValue: ['-f'] },
  proxychains4: { optionsWithValue: ['-f'] },
  torsocks: {},
  fakeroot: {},
  'dbus-run-session': {},
  'xvfb-run': { optionsWithValue: ['-n', '-s', '-f', '-e', '-p'] },
  'systemd-run': {
    optionsWithValue: ['-p', '--property', '-u', '--unit', '-E', '--setenv', '--uid', '--gid', '--working-directory'],
    privileged: true,
  },
  script: {
    payloadOptions: ['-c', '--command'],
    optionsWithValue: ['-E', '--echo', '-I', '-O', '-B', '-T', '-m'],
    skipPositional: 1,
  },
  watch: { optionsWithValue: ['-n', '--interval', '-d', '--differences', '-q', '--equexit'], joinAsScript: true },
  xargs: {
    optionsWithValue: [
      '-I',
      '-n',
      '-P',
      '-d',
      '-E',
      '-L',
      '-s',
      '-a',
      '--max-args',
      '--max-procs',
      '--delimiter',
      '--arg-file',
      '--replace',
      '--max-lines',
      '--eof',
    ],
    appendsStdinArgs: true,
  },
  parallel: {
    optionsWithValue: ['-j', '--jobs', '-S', '--sshlogin', '-a', '--arg-file', '--delay', '--timeout'],
    appendsStdinArgs: true,
  },
  busybox: {},
  toybox: {},
  npx: { optionsWithValue: ['-p', '--package'], payloadOptions: ['-c', '--call'] },
  pnpx: { optionsWithValue: ['-p', '--package'] },
  bunx: { optionsWithValue: ['-p', '--package'] },
  uvx: { optionsWithValue: ['--from', '--with', '--python', '-p'] },
  pipx: {},
  ssh: { optionsWithValue: SSH_VALUE_OPTIONS, skipPositional: 1, joinAsScript: true },
  mosh: { optionsWithValue: ['-p', '--ssh', '--port'], skipPositional: 1, separator: '--' },
  rtk: {},
  'git-bash': {},
};

/** `<program> <subcommand>` pairs that run their remaining arguments as a command. */
export const SUBCOMMAND_WRAPPERS: Readonly<Record<string, Record<string, WrapperSpec>>> = {
  npm: {
    exec: { optionsWithValue: ['-p', '--package', '-w', '--workspace'], payloadOptions: ['-c', '--call'] },
    x: { optionsWithValue: ['-p', '--package'] },
  },
  pnpm: { dlx: { optionsWithValue: ['-p', '--package'] }, exec: {} },
  yarn: { dlx: { optionsWithValue: ['-p', '--package'] }, exec: {} },
  bun: { x: {} },
  uv: { run: { optionsWithValue: ['--with', '--python', '-p', '--project', '--directory', '--env-file'] }, tool: {} },
  poetry: { run: {} },
  pipenv: { run: {} },
  pdm: { run: {} },
  hatch: { run: {} },
  rye: { run: {} },
  bundle: { exec: {} },
  mise: { exec: { separator: '--' }, x: { separator: '--' } },
  asdf: { exec: {} },
  nix: { shell: { payloadOptions: ['--command', '-c'] }, develop: { payloadOptions: ['--command', '-c'] } },
  'nix-shell': { '': { payloadOptions: ['--run', '--command'] } },
  devbox: { run: {} },
  direnv: { exec: { skipPositional: 1 } },
  conda: { run: { optionsWithValue: ['-n', '--name', '-p', '--prefix'] } },
};

/** Shells whose `-c` argument (or stdin, or script file) is a script. */
export const SHELLS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'ash',
  'fish',
  'csh',
  'tcsh',
  'rbash',
  'yash',
  'posh',
]);
