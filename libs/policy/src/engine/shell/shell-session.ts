import type { Parser } from 'web-tree-sitter';
import { allow, approval, deny, type Finding } from '../finding';
import type { PathContext } from '../paths/workspace-paths';
import { judgeWrite, normalisePath } from '../paths/workspace-paths';
import type { SyntaxNode } from './bash-parser';
import { judgeProgram } from '../rules/program-rules';
import type { CommandEffects } from '../rules/rule.types';
import { hostsInArgs } from '../network/hosts-in-args';
import { judgeSourceVariable } from '../rules/package-source.rules';
import { judgeEnvironmentVariable } from '../rules/environment.rules';
import { makeRecipes, packageScripts, projectScriptCall } from './project-scripts';
import { optionValue } from './arg-utils';
import { Observations } from '../observations';
import { staticOutput } from './static-output';
import { expandWord, type ExpandedArg, type ExpansionHooks, type VarValue } from './word-expander';
import { type WrittenFile, WrittenFiles } from './written-files';
import { SHELLS, SUBCOMMAND_WRAPPERS, WRAPPERS, type WrapperSpec } from './wrapper-table';

/** bun's own commands; any other first word that is not a file is a package binary bun runs. */
const BUN_COMMANDS = new Set(
  'run test x repl exec install i add a remove rm update outdated audit link unlink pm build init create c upgrade publish patch info why help completions feedback'.split(
    ' ',
  ),
);

function runsPackageBinary(args: readonly ExpandedArg[]): boolean {
  const first = args.find((arg) => !arg.value.startsWith('-'));
  return first !== undefined && !first.dynamic && !BUN_COMMANDS.has(first.value) && !/[/.]/.test(first.value);
}

/** What feeds a fan-out (`xargs`, `parallel`): the producer's effects, or the text itself when it is known. */
function feedOf(stdin: StdinSource): CommandEffects | undefined {
  if (stdin.kind === 'stream') return stdin.from;
  if (stdin.kind === 'text') return { output: stdin.text, obfuscated: stdin.obfuscated };
  return undefined;
}

/** What a command reads on stdin. */
export type StdinSource =
  { kind: 'none' } | { kind: 'text'; text: string; obfuscated: boolean } | { kind: 'stream'; from: CommandEffects };

export interface Redirect {
  op: string;
  target: ExpandedArg;
  fd?: string;
}

/** Everything a program rule sees about one simple command after expansion. */
export interface CommandCall {
  name: string;
  argv0: ExpandedArg;
  args: ExpandedArg[];
  stdin: StdinSource;
  redirects: Redirect[];
  session: ShellSession;
  /** Extra arguments arrive at run time (inner command of xargs/parallel/find -exec {}). */
  openArgs: boolean;
  /** For xargs and parallel: what produces those run-time arguments (their stdin), when known. */
  openArgsFrom?: CommandEffects;
}

export interface ShellAnalysisOptions {
  paths: PathContext;
  protectedBranches: string[];
  productionNames: string[];
  branch?: string;
  environment?: string;
  dbEnvironment?: string;
  isProduction(name: string | undefined): boolean;
  allowlist: string[];
  loopbackPorts: number[];
  /** The project's files the caller knows (path relative to the workspace → content): scripts run from them are judged by their content. */
  files?: Readonly<Record<string, string>>;
}

const MAX_DEPTH = 12;
const POSITIONAL_NAMES = ['@', '*', '#', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const MAX_COMMANDS = 2000;

/**
 * Walks a tree-sitter-bash tree the way bash would run it: each simple command
 * is expanded (assignments from earlier on the line, aliases, functions, cd)
 * and judged by program-rules; wrappers and payloads recurse. Findings accumulate.
 */
export class ShellSession {
  readonly findings: Finding[] = [];
  readonly canonical: string[] = [];
  /** Files this line wrote, so running one later on the line is judged by its content. */
  readonly written = new WrittenFiles();
  /** `git remote add` on this line: remote name → URL, so a later push there is judged by its host. */
  readonly gitRemotes = new Map<string, string>();
  /** What the line does, as resolved (programs, paths, hosts), for user rules. */
  readonly observed = new Observations();
  readonly observeHost = (host: string, port: number, method: string): void => this.observed.host(host, port, method);
  private vars = new Map<string, VarValue>();
  private aliases = new Map<string, string>();
  private functions = new Map<string, SyntaxNode>();
  /** Per function defined and not yet called: what its body does with unknown arguments. */
  private uncalledFunctions = new Map<string, Finding[]>();
  private cwdDynamic = false;
  /** `<(...)` placeholders (/dev/fd/N) and what their scripts produce. */
  private readonly processSubstitutions = new Map<string, CommandEffects>();
  private commandCount = 0;
  depth = 0;
  paths: PathContext;

  constructor(
    private readonly parser: Parser,
    readonly options: ShellAnalysisOptions,
  ) {
    this.paths = { ...options.paths, observe: (operation, path) => this.observed.path(path, operation) };
    this.vars.set('HOME', { value: options.paths.home, dynamic: false });
    this.vars.set('PWD', { value: options.paths.cwd, dynamic: false });
    this.vars.set('IFS', { value: ' \t\n', dynamic: false });
    // The usual search path, so that `PATH=dir:$PATH` keeps a known value (see writtenOnPath).
    this.vars.set('PATH', { value: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', dynamic: false });
    for (const [path, content] of Object.entries(options.files ?? {})) this.written.provide(path, content, this.paths);
  }

  /** The caller's environment for the command (`env` of the context): each variable judged as if exported first. */
  applyEnvironment(env: Readonly<Record<string, string>>): void {
    for (const [name, value] of Object.entries(env)) this.setVariable(name, { value, dynamic: false });
  }

  /** `BASH_ENV=f`, `ENV=f`: every shell started runs f first; judged by its content when known. */
  runStartupFile(name: string, file: VarValue): void {
    const known = file.dynamic ? undefined : this.written.get(file.value, this.paths);
    if (known?.network) {
      this.add(
        deny(
          'net.remote_code',
          `Remote code execution: ${name} points at ${file.value}, downloaded on this line.`,
          'critical',
        ),
      );
    } else if (known?.content !== undefined) {
      this.analyse(known.content);
    } else {
      this.add(
        approval(
          'shell.env_injection',
          `${name} makes every shell run ${file.value || 'a file'} first, which cannot be inspected.`,
          'high',
        ),
      );
    }
  }

  /** A scratch session with the same state, for "what if" probes whose findings are weighed separately. */
  fork(): ShellSession {
    const probe = new ShellSession(this.parser, this.options);
    probe.paths = { ...this.paths, observe: probe.paths.observe };
    probe.vars = new Map(this.vars);
    probe.depth = this.depth;
    return probe;
  }

  add(finding: Finding): void {
    this.findings.push(finding);
  }

  /** Parses and walks one script; nested scripts (payloads, substitutions) come back here. */
  analyse(script: string): void {
    if (this.depth >= MAX_DEPTH) {
      this.add(approval('shell.too_complex', 'The command nests scripts too deeply to judge statically.', 'high'));
      return;
    }
    this.depth++;
    const tree = this.parser.parse(script);
    try {
      if (!tree) {
        this.add(approval('shell.unparseable', 'The command could not be parsed as bash.', 'high'));
        return;
      }
      if (tree.rootNode.hasError) {
        this.add(
          approval(
            'shell.unparseable',
            'The command is not valid bash (syntax error); it cannot be judged safely.',
            'high',
          ),
        );
      }
      this.visit(tree.rootNode, { kind: 'none' });
    } finally {
      tree?.delete();
      this.depth--;
      if (this.depth === 0) this.flushUncalledFunctions();
    }
  }

  private visit(node: SyntaxNode, stdin: StdinSource): CommandEffects {
    if (++this.commandCount > MAX_COMMANDS) {
      if (this.commandCount === MAX_COMMANDS + 1) {
        this.add(approval('shell.too_complex', 'The command is too large to judge statically.', 'high'));
      }
      return {};
    }
    switch (node.type) {
      case 'command':
        return this.visitCommand(node, stdin, []);
      case 'redirected_statement':
        return this.visitRedirected(node, stdin);
      case 'pipeline':
        return this.visitPipeline(node.namedChildren.filter(isPresent), stdin);
      case 'variable_assignment':
        this.assign(node, false);
        return {};
      case 'variable_assignments':
        for (const child of node.namedChildren.filter(isPresent)) this.assign(child, false);
        return {};
      case 'declaration_command':
        return this.visitDeclaration(node);
      case 'unset_command':
        return this.visitUnset(node);
      case 'function_definition':
        return this.visitFunction(node);
      case 'for_statement':
        return this.visitFor(node);
      case 'subshell': {
        const saved = this.paths.cwd;
        const effects = this.visitGroup(node, stdin);
        this.paths.cwd = saved;
        return effects;
      }
      case 'compound_statement':
        // `((...))` is arithmetic when it parses as such, else bash runs it as nested subshells: judge both readings.
        if (node.child(0)?.type === '((') this.analyse(node.text.slice(1, -1));
        return this.visitGroup(node, stdin);
      case 'comment':
      case 'heredoc_body':
      case 'heredoc_start':
      case 'heredoc_end':
      case 'file_descriptor':
        return {};
      default:
        return this.visitChildren(node, stdin);
    }
  }

  private visitChildren(node: SyntaxNode, stdin: StdinSource): CommandEffects {
    let last: CommandEffects = {};
    for (const child of node.namedChildren) if (child) last = this.visit(child, stdin);
    return last;
  }

  /**
   * `( … )` and `{ …; }`: their output is what each command in them prints, in order. Known in full only
   * when every part is; otherwise the known parts are kept as `outputIncludes`
   * (`(crontab -l; echo "* * * * * curl … | sh") | crontab -`), and what any part reads or fetches counts.
   */
  private visitGroup(node: SyntaxNode, stdin: StdinSource): CommandEffects {
    const parts: CommandEffects[] = [];
    for (const child of node.namedChildren) if (child) parts.push(this.visit(child, stdin));
    const known = parts.map((part) => part.output ?? part.outputIncludes);
    const complete = parts.every((part) => part.output !== undefined);
    return {
      ...(complete
        ? { output: known.join('') }
        : { outputIncludes: known.filter((text) => text !== undefined).join('\n') }),
      obfuscated: parts.some((part) => part.obfuscated),
      network: parts.some((part) => part.network),
      readsSecret: parts.some((part) => part.readsSecret),
    };
  }

  private visitPipeline(stages: SyntaxNode[], stdin: StdinSource): CommandEffects {
    let input = stdin;
    let effects: CommandEffects = {};
    for (const stage of stages) {
      effects = this.visit(stage, input);
      input = pipeInput(effects);
    }
    return effects;
  }

  /** `cmd <<EOF | next` puts the rest of the pipeline inside the heredoc node; handled here. */
  private visitRedirected(node: SyntaxNode, stdin: StdinSource): CommandEffects {
    const body = node.childForFieldName('body');
    const redirects: Redirect[] = [];
    let input = stdin;
    const continuations: SyntaxNode[] = [];
    for (const child of node.namedChildren) {
      if (!child || child === body || child.id === body?.id) continue;
      if (child.type === 'heredoc_redirect') {
        const text = child.namedChildren.find((c) => c?.type === 'heredoc_body')?.text ?? '';
        const start = child.namedChildren.find((c) => c?.type === 'heredoc_start')?.text ?? '';
        const quoted = /['"\\]/.test(start);
        input = { kind: 'text', text: quoted ? text : this.expandHeredoc(text), obfuscated: false };
        for (const inner of child.namedChildren) {
          if (inner && !['heredoc_body', 'heredoc_start', 'heredoc_end', 'file_descriptor'].includes(inner.type))
            continuations.push(inner);
        }
      } else if (child.type === 'herestring_redirect') {
        input = this.herestringInput(child);
      } else if (child.type === 'file_redirect') {
        redirects.push(...this.redirectOf(child));
      } else {
        this.visit(child, { kind: 'none' });
      }
    }
    let effects: CommandEffects = {};
    if (body) {
      if (body.type === 'command') effects = this.visitCommand(body, input, redirects);
      else {
        effects = this.visit(body, input);
        this.judgeRedirects(redirects, '');
      }
    }
    for (const continuation of continuations) {
      if (continuation.type === 'pipeline')
        effects = this.visitPipeline(continuation.namedChildren.filter(isPresent), pipeInput(effects));
      else effects = this.visit(continuation, pipeInput(effects));
    }
    return effects;
  }

  /** `<<< word`: the command reads the expanded word and a newline. */
  private herestringInput(node: SyntaxNode): StdinSource {
    const word = node.namedChildren.find((c) => c && c.type !== 'file_descriptor');
    const text = word
      ? this.expand([word])
          .map((a) => a.value)
          .join(' ') + '\n'
      : '';
    return { kind: 'text', text, obfuscated: false };
  }

  private redirectOf(node: SyntaxNode): Redirect[] {
    const fd = node.childForFieldName('descriptor')?.text;
    const op = node.children.find((c) => c && !c.isNamed)?.text ?? '>';
    const destinations = node.childrenForFieldName('destination').filter(isPresent);
    const targets = destinations.length > 0 ? this.expand(destinations) : [];
    return targets.map((target) => ({ op, target, fd }));
  }

  private expandHeredoc(text: string): string {
    // An unquoted heredoc expands $vars and $(...) (which run) but does no quote removal.
    return text.replace(/\$\([^()]*\)|`[^`]*`|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, (match) =>
      this.expand([], match.startsWith('$(') || match.startsWith('`') ? match : `"${match}"`)
        .map((a) => a.value)
        .join(' '),
    );
  }

  private visitCommand(node: SyntaxNode, stdin: StdinSource, outerRedirects: Redirect[]): CommandEffects {
    const prefixAssignments: SyntaxNode[] = [];
    const words: SyntaxNode[] = [];
    const redirects = [...outerRedirects];
    let input = stdin;
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'variable_assignment' && words.length === 0) prefixAssignments.push(child);
      else if (child.type === 'file_redirect') redirects.push(...this.redirectOf(child));
      else if (child.type === 'herestring_redirect') {
        input = this.herestringInput(child);
      } else if (child.type !== 'comment') words.push(child);
    }
    const argv = this.expand(words);
    if (argv.length === 0) {
      for (const assignment of prefixAssignments) this.assign(assignment, false);
      this.judgeRedirects(redirects, '');
      return {};
    }
    // `VAR=x cmd` only sets VAR for cmd, but the value is what cmd sees: evaluate in a copy.
    const savedVars = prefixAssignments.length > 0 ? new Map(this.vars) : undefined;
    for (const assignment of prefixAssignments) this.assign(assignment, true);
    try {
      return this.run(argv, input, redirects, false);
    } finally {
      if (savedVars) this.vars = savedVars;
    }
  }

  /** Judges one expanded argv: aliases, functions, builtins, wrappers, shells, then program rules. */
  run(
    argv: ExpandedArg[],
    stdin: StdinSource,
    redirects: Redirect[],
    openArgs: boolean,
    openArgsFrom?: CommandEffects,
  ): CommandEffects {
    // Leading NAME=value words after a wrapper (`time FOO=1 cmd`) are assignments to bash or a
    // failed exec elsewhere; skipping them judges the command that would run.
    const firstReal = argv.findIndex((arg) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg.value));
    if (firstReal !== 0) argv = firstReal < 0 ? [] : argv.slice(firstReal);
    if (argv.length === 0) return {};
    const [argv0, ...args] = argv;
    this.canonical.push(argv.map((arg) => arg.value).join(' '));
    const name = programName(argv0.value);
    // An alias or function call is not the program that runs; what it expands to is recorded instead.
    const resolved =
      !argv0.dynamic && !(this.aliases.has(name) && this.depth < MAX_DEPTH) && !this.functions.has(argv0.value);
    const observed = resolved
      ? this.observed.enterCommand({
          program: name,
          path: argv0.value,
          args: args.map((arg) => arg.value),
          dynamicArgs: args.map((arg) => arg.dynamic || (openArgs && arg.value === '{}')),
          openArgs,
          cwd: this.paths.cwd,
          findingsFrom: this.findings.length,
        })
      : -1;
    if (observed >= 0)
      for (const host of hostsInArgs(
        name,
        args.map((arg) => arg.value),
      ))
        this.observeHost(host, 0, '');
    try {
      const effects = this.runProgram(name, argv0, args, stdin, redirects, openArgs, openArgsFrom);
      this.written.recordRedirects(redirects, effects, this.paths);
      if (!argv0.dynamic) {
        this.written.recordProgram(name, args, stdin.kind === 'text' ? stdin.text : undefined, this.paths);
      }
      return effects;
    } finally {
      this.observed.leaveCommand(observed, this.findings.length);
    }
  }

  private runProgram(
    name: string,
    argv0: ExpandedArg,
    args: ExpandedArg[],
    stdin: StdinSource,
    redirects: Redirect[],
    openArgs: boolean,
    openArgsFrom?: CommandEffects,
  ): CommandEffects {
    this.judgeRedirects(redirects, argv0.value);
    if (argv0.dynamic) {
      return this.runDynamicProgram(argv0, args);
    }
    const written = argv0.value.includes('/')
      ? this.written.get(argv0.value, this.paths)
      : this.writtenOnPath(argv0.value);
    if (written) return this.runWrittenFile(argv0.value, written, args, stdin, openArgs);
    if (this.aliases.has(name) && this.depth < MAX_DEPTH) {
      const aliasText = this.aliases.get(name) as string;
      this.analyse(aliasText + ' ' + args.map((arg) => shellQuote(arg.value)).join(' '));
      return {};
    }
    if (this.functions.has(argv0.value)) return this.callFunction(argv0.value, args, stdin);
    const wrapper = WRAPPERS[name];
    if (wrapper) return this.runWrapper(name, wrapper, args, stdin, openArgs);
    // `bun prisma migrate reset`: bun runs a package binary named as its first word, like bunx.
    if (name === 'bun' && runsPackageBinary(args)) return this.runWrapper('bun', WRAPPERS.bunx, args, stdin, openArgs);
    const sub = SUBCOMMAND_WRAPPERS[name];
    if (sub) {
      const first = args.findIndex((arg) => !arg.value.startsWith('-'));
      const subName = first >= 0 ? args[first].value : '';
      const spec = sub[subName] ?? sub[''];
      if (spec)
        return this.runWrapper(
          `${name} ${subName}`.trim(),
          spec,
          sub[subName] ? args.slice(first + 1) : args,
          stdin,
          openArgs,
        );
    }
    if (SHELLS.has(name)) return this.runShell(name, args, stdin);
    switch (name) {
      case 'cd':
      case 'pushd':
        this.changeDirectory(args);
        return {};
      case 'eval':
        return this.runEval(args);
      case 'alias':
        this.defineAliases(args);
        return {};
      case 'source':
      case '.':
        return this.runSource(args, stdin);
      case 'set':
        // `set -- a b` / `set a b`: new positional parameters (`set -e`, `set -o x` leave them alone).
        if (args.length > 0 && (args[0].value === '--' || !/^[-+]/.test(args[0].value)))
          this.bindPositional(args[0].value === '--' ? args.slice(1) : args);
        break;
      case 'trap':
        if (args[0] && args.length >= 2) this.runPayload(args[0], 'trap handler');
        return {};
    }
    this.runProjectScripts(name, args);
    return judgeProgram({ name, argv0, args, stdin, redirects, session: this, openArgs, openArgsFrom });
  }

  /**
   * `npm run x`, `yarn x`, `make t`: the bodies from the project's files (the caller's `files`, or files
   * written on the line) are judged like the line itself. A body the gate has not seen keeps the
   * judgement of the call alone, and the reason says so.
   */
  private runProjectScripts(name: string, args: ExpandedArg[]): void {
    const script = projectScriptCall(name, args);
    if (script === undefined) return;
    const bodies =
      script.kind === 'package' ? this.packageScriptBodies(script.name) : this.makeRecipeLines(args, script.targets);
    if (bodies === undefined) {
      const what =
        script.kind === 'package'
          ? `${name} run ${script.name}`
          : `make ${script.targets.join(' ') || '(its first target)'}`;
      this.add(
        allow('exec.unseen_script', `${what} runs a project script the gate has not seen (its files were not given).`),
      );
      return;
    }
    for (const body of bodies) this.analyse(body);
  }

  private packageScriptBodies(script: string): string[] | undefined {
    const manifest = this.written.get('package.json', this.paths)?.content;
    return manifest === undefined ? undefined : packageScripts(manifest, script);
  }

  private makeRecipeLines(args: ExpandedArg[], targets: string[]): string[] | undefined {
    const file = optionValue(args, ['-f', '--file', '--makefile']);
    const directory = optionValue(args, ['-C', '--directory']);
    if (file?.dynamic || directory?.dynamic) return undefined;
    const base = directory ? `${directory.value}/` : '';
    const names = file ? [file.value] : ['GNUmakefile', 'makefile', 'Makefile'];
    const makefile = names
      .map((candidate) => this.written.get(base + candidate, this.paths)?.content)
      .find((c) => c !== undefined);
    return makefile === undefined ? undefined : makeRecipes(makefile, targets);
  }

  private runDynamicProgram(argv0: ExpandedArg, args: ExpandedArg[]): CommandEffects {
    this.add(
      approval(
        'shell.dynamic_program',
        `The program name "${argv0.value || '(empty)'}" is computed at run time and cannot be judged statically.`,
        'high',
      ),
    );
    // If the computed program were rm, would this be catastrophic? Then it is obfuscated destruction.
    const probe = this.fork();
    probe.run([{ value: 'rm', dynamic: false, glob: false, secret: false }, ...args], { kind: 'none' }, [], false);
    if (probe.findings.some((finding) => finding.outcome === 'deny' && finding.risk === 'critical')) {
      this.add(
        deny(
          'shell.obfuscated_destructive',
          'Destructive pattern hidden behind a computed program name (recursive delete of a protected path).',
          'critical',
        ),
      );
    }
    if (argv0.value) {
      const name = programName(argv0.value);
      if (name !== argv0.value || /^[a-z0-9_.-]+$/i.test(name)) {
        return this.run([{ ...argv0, dynamic: false }, ...args], { kind: 'none' }, [], false);
      }
    }
    return {};
  }

  private runWrapper(
    name: string,
    spec: WrapperSpec,
    args: ExpandedArg[],
    stdin: StdinSource,
    openArgs: boolean,
  ): CommandEffects {
    if (spec.inertOptions && args.some((arg) => spec.inertOptions?.includes(arg.value))) return {};
    const unwrapped = unwrapArgs(spec, args);
    if (spec.privileged) {
      this.add(approval('sys.privilege_escalation', `${name} runs a command with elevated privileges.`, 'high'));
    }
    if (name === 'env') this.checkEnvUnset(args);
    if (name === 'ssh' || name === 'mosh') {
      this.add(approval('shell.remote_execution', `${name} runs commands on another host.`, 'high'));
    }
    if (unwrapped.payload !== undefined) {
      this.runPayload(unwrapped.payload, name);
      return {};
    }
    if (unwrapped.inner.length === 0) {
      // `env` alone prints the environment (tokens, keys).
      if (name === 'env') return { readsSecret: true };
      if (spec.bareIsShell)
        this.add(approval('sys.privilege_escalation', `${name} without a command opens a privileged shell.`, 'high'));
      return {};
    }
    if (spec.joinAsScript) {
      this.runPayload(
        {
          value: unwrapped.inner.map((arg) => arg.value).join(' '),
          dynamic: unwrapped.inner.some((a) => a.dynamic),
          glob: false,
          secret: false,
        },
        name,
      );
      return {};
    }
    const inner = unwrapped.inner;
    if (name === 'parallel') {
      const sep = inner.findIndex((arg) => arg.value === ':::');
      if (sep >= 0) {
        for (const value of inner.slice(sep + 1))
          this.run([...inner.slice(0, sep), value], { kind: 'none' }, [], false);
        return {};
      }
    }
    return this.run(
      inner,
      spec.appendsStdinArgs ? { kind: 'none' } : stdin,
      [],
      openArgs || Boolean(spec.appendsStdinArgs),
      spec.appendsStdinArgs ? feedOf(stdin) : undefined,
    );
  }

  /** A string that a shell will run: `bash -c`, `ssh host '...'`, `watch '...'`, `eval`. */
  runPayload(payload: ExpandedArg, via: string): void {
    if (payload.network) {
      this.add(
        deny('net.remote_code', `Remote code execution: ${via} runs a script downloaded from the network.`, 'critical'),
      );
    }
    if (payload.dynamic) {
      this.add(approval('shell.eval_dynamic', `${via} runs a script computed at run time.`, 'high'));
    }
    this.analyse(payload.value);
  }

  private runShell(name: string, args: ExpandedArg[], stdin: StdinSource): CommandEffects {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i].value;
      if (arg === '--') break;
      if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg) || arg === '--command') {
        const payload = args[i + 1];
        if (payload) this.runPayload(payload, `${name} -c`);
        return {};
      }
      if (arg === '-o' || arg === '+o' || arg === '--rcfile' || arg === '--init-file') {
        i++;
        continue;
      }
      if (arg.startsWith('-') || arg.startsWith('+')) continue;
      // `bash script.sh`: a file we cannot see; `bash /dev/stdin` or `bash <(...)` read a stream.
      if (arg.startsWith('/dev/fd/') && this.processSubstitutions.has(arg)) {
        return this.runStdinScript(name, {
          kind: 'stream',
          from: this.processSubstitutions.get(arg) as CommandEffects,
        });
      }
      if (arg.startsWith('/dev/fd/') || arg === '/dev/stdin' || arg === '-') break;
      return this.runScriptFile(name, args[i]);
    }
    return this.runStdinScript(name, stdin);
  }

  /**
   * Runs a file the same line wrote: a copy or link of a program runs as that program; text written
   * from static content is judged as the script it is; a download is remote code; anything else
   * written here cannot be seen and needs a human.
   */
  private runWrittenFile(
    shown: string,
    file: WrittenFile,
    args: ExpandedArg[],
    stdin: StdinSource,
    openArgs: boolean,
  ): CommandEffects {
    if (file.aliasOf) {
      return this.run(
        [{ value: file.aliasOf, dynamic: false, glob: false, secret: false }, ...args],
        stdin,
        [],
        openArgs,
      );
    }
    if (file.network) {
      this.add(
        deny(
          'net.remote_code',
          `Remote code execution: ${shown} was downloaded on this line and is then run.`,
          'critical',
        ),
      );
    } else if (file.content !== undefined) {
      this.analyse(file.content);
    } else {
      this.add(
        approval(
          'shell.write_then_run',
          `${shown} is written on this line, with content that cannot be seen, then run.`,
          'high',
        ),
      );
    }
    return {};
  }

  private runScriptFile(name: string, file: ExpandedArg): CommandEffects {
    const written = file.dynamic ? undefined : this.written.get(file.value, this.paths);
    if (written)
      return this.runWrittenFile(file.value, { ...written, aliasOf: undefined }, [], { kind: 'none' }, false);
    const path = normalisePath(file.value, this.paths);
    const inside = path.startsWith(this.paths.workspace + '/') || path.startsWith('/tmp/');
    if (!inside || file.dynamic) {
      this.add(
        approval(
          'shell.unknown_script',
          `${name} runs ${file.value}, a script outside the workspace that cannot be inspected.`,
        ),
      );
    }
    return {};
  }

  /** A shell or interpreter reading its program from stdin. */
  runStdinScript(name: string, stdin: StdinSource): CommandEffects {
    if (stdin.kind === 'text') {
      if (stdin.obfuscated) {
        this.add(approval('shell.encoded_payload', `${name} runs a decoded (obfuscated) payload.`, 'high'));
      }
      const before = this.findings.length;
      if (SHELLS.has(name)) this.analyse(stdin.text);
      else this.add(approval('shell.stdin_script', `${name} runs a script fed on stdin.`));
      if (stdin.obfuscated && this.findings.slice(before).some((f) => f.outcome === 'deny')) {
        this.add(
          deny(
            'shell.obfuscated_destructive',
            'Destructive pattern hidden in an encoded payload piped into a shell.',
            'critical',
          ),
        );
      }
      return {};
    }
    if (stdin.kind === 'stream') {
      if (stdin.from.network) {
        this.add(
          deny(
            'net.remote_code',
            `Remote code execution: content downloaded from the network is piped into ${name}.`,
            'critical',
          ),
        );
      } else if (stdin.from.obfuscated) {
        this.add(
          deny(
            'shell.obfuscated_destructive',
            `An encoded payload that cannot be decoded statically is piped into ${name}.`,
            'critical',
          ),
        );
      } else {
        this.add(
          approval(
            'shell.stdin_script',
            `${name} runs a script produced by another command; its content is unknown.`,
            'high',
          ),
        );
      }
    }
    return {};
  }

  private runEval(args: ExpandedArg[]): CommandEffects {
    const text = args.map((arg) => arg.value).join(' ');
    this.runPayload(
      {
        value: text,
        dynamic: args.some((arg) => arg.dynamic),
        glob: false,
        secret: false,
        network: args.some((arg) => arg.network),
      },
      'eval',
    );
    return {};
  }

  private runSource(args: ExpandedArg[], stdin: StdinSource): CommandEffects {
    const file = args[0];
    if (!file) return {};
    const substituted = this.processSubstitutions.get(file.value);
    if (substituted) return this.runStdinScript('bash', { kind: 'stream', from: substituted });
    if (file.value.startsWith('/dev/fd/') || file.value === '/dev/stdin') return this.runStdinScript('bash', stdin);
    return this.runScriptFile('source', file);
  }

  private changeDirectory(args: ExpandedArg[]): void {
    const target = args.find((arg) => !arg.value.startsWith('-') || arg.value === '-');
    if (!target || target.value === '') {
      this.paths.cwd = this.paths.home;
      return;
    }
    if (target.dynamic || target.value === '-') this.cwdDynamic = true;
    this.paths.cwd = normalisePath(target.value, this.paths);
    this.vars.set('PWD', { value: this.paths.cwd, dynamic: target.dynamic });
  }

  get cwdUnknown(): boolean {
    return this.cwdDynamic;
  }

  private defineAliases(args: ExpandedArg[]): void {
    for (const arg of args) {
      const eq = arg.value.indexOf('=');
      if (eq > 0) this.aliases.set(arg.value.slice(0, eq), arg.value.slice(eq + 1));
    }
  }

  private visitFunction(node: SyntaxNode): CommandEffects {
    const name = node.childForFieldName('name')?.text ?? '';
    const body = node.childForFieldName('body');
    if (!body) return {};
    this.functions.set(name, body);
    if (callsItselfInBackgroundOrPipe(body, name)) {
      this.add(
        deny('sys.fork_bomb', `Destructive pattern: fork bomb (function ${name} spawns copies of itself).`, 'critical'),
      );
    }
    // Judged with unknown arguments, in a probe: those findings count only if no call is seen (each
    // call is judged with its own arguments, `f rm -rf /` as `rm -rf /`).
    const probe = this.fork();
    probe.bindPositional(undefined);
    probe.visit(body, { kind: 'none' });
    this.uncalledFunctions.set(name, probe.findings);
    return {};
  }

  /**
   * `PATH=/tmp/x:$PATH; … ls`: a bare name found first in a PATH directory where the line wrote a file of
   * that name runs that file. Only the directories before the first system one are looked at.
   */
  private writtenOnPath(name: string): WrittenFile | undefined {
    const path = this.vars.get('PATH');
    if (!path || path.dynamic) return undefined;
    for (const dir of path.value.split(':')) {
      if (dir === '' || /^\/(?:usr\/(?:local\/)?)?s?bin\/?$/.test(dir)) return undefined;
      const file = this.written.get(`${dir}/${name}`, this.paths);
      if (file) return file;
    }
    return undefined;
  }

  /** A call of a function defined on the line: its body runs with the call's arguments as `$1`… `$@`. */
  private callFunction(name: string, args: ExpandedArg[], stdin: StdinSource): CommandEffects {
    const body = this.functions.get(name) as SyntaxNode;
    this.uncalledFunctions.delete(name);
    if (this.depth >= MAX_DEPTH) {
      this.add(
        approval('shell.too_complex', 'The command nests function calls too deeply to judge statically.', 'high'),
      );
      return {};
    }
    const saved = this.positional();
    this.bindPositional(args);
    this.depth++;
    try {
      return this.visit(body, stdin);
    } finally {
      this.depth--;
      this.restorePositional(saved);
    }
  }

  /** `set -- a b`, a function's arguments: `$1`…`$9`, `$#`, `$@` and `$*`; undefined makes them unknown. */
  bindPositional(args: ExpandedArg[] | undefined): void {
    for (const name of POSITIONAL_NAMES) this.vars.delete(name);
    if (args === undefined) return;
    const dynamic = args.some((arg) => arg.dynamic);
    const fields = args.map((arg) => arg.value);
    const list: VarValue = { value: fields.join(' '), dynamic, fields, secret: args.some((arg) => arg.secret) };
    this.vars.set('@', list);
    this.vars.set('*', list);
    this.vars.set('#', { value: String(args.length), dynamic: false });
    args.slice(0, 9).forEach((arg, i) => this.vars.set(String(i + 1), { value: arg.value, dynamic: arg.dynamic }));
    for (let i = args.length + 1; i <= 9; i++) this.vars.set(String(i), { value: '', dynamic: false });
  }

  private positional(): Map<string, VarValue> {
    return new Map(POSITIONAL_NAMES.flatMap((name) => (this.vars.has(name) ? [[name, this.vars.get(name)!]] : [])));
  }

  private restorePositional(saved: Map<string, VarValue>): void {
    for (const name of POSITIONAL_NAMES) {
      const value = saved.get(name);
      if (value) this.vars.set(name, value);
      else this.vars.delete(name);
    }
  }

  /** Findings of functions defined but never called on the line: their bodies with unknown arguments. */
  private flushUncalledFunctions(): void {
    for (const findings of this.uncalledFunctions.values()) this.findings.push(...findings);
    this.uncalledFunctions.clear();
  }

  private visitFor(node: SyntaxNode): CommandEffects {
    const variable = node.childForFieldName('variable')?.text;
    const valueNodes = node.childrenForFieldName('value').filter(isPresent);
    const body = node.childForFieldName('body');
    const values =
      valueNodes.length > 0 ? this.expand(valueNodes) : [{ value: '', dynamic: true, glob: false, secret: false }];
    if (!body) return {};
    for (const value of values.slice(0, 8)) {
      if (variable)
        this.vars.set(variable, { value: value.value, dynamic: value.dynamic || value.glob, secret: value.secret });
      this.visit(body, { kind: 'none' });
    }
    return {};
  }

  private visitDeclaration(node: SyntaxNode): CommandEffects {
    for (const child of node.namedChildren) {
      if (child?.type === 'variable_assignment') this.assign(child, false);
      else if (child && child.type !== 'word' && child.type !== 'variable_name') this.visit(child, { kind: 'none' });
    }
    return {};
  }

  private visitUnset(node: SyntaxNode): CommandEffects {
    for (const child of node.namedChildren) {
      if (!child) continue;
      const name = child.text;
      if (/^(https?|all|no)_proxy$/i.test(name)) {
        this.add(deny('net.proxy_bypass', `Unsetting ${name} bypasses the egress proxy.`, 'high'));
      }
      this.vars.delete(name);
    }
    return {};
  }

  private checkEnvUnset(args: ExpandedArg[]): void {
    for (let i = 0; i < args.length; i++) {
      const value = args[i].value;
      const name =
        value === '-u' || value === '--unset'
          ? args[i + 1]?.value
          : value.startsWith('--unset=')
            ? value.slice(8)
            : undefined;
      const cleared = value === '-i' || value === '-' || value === '--ignore-environment';
      if ((name && /^(https?|all)_proxy$/i.test(name)) || /^(https?|all)_proxy=$/i.test(value)) {
        this.add(deny('net.proxy_bypass', `Clearing ${name ?? value} bypasses the egress proxy.`, 'high'));
      }
      if (cleared)
        this.add(approval('net.proxy_bypass', 'env -i clears the environment, including the egress proxy settings.'));
    }
  }

  private assign(node: SyntaxNode, _scopedToCommand: boolean): void {
    const name = node.childForFieldName('name')?.text;
    const valueNode = node.childForFieldName('value');
    if (!name) return;
    const isArray = valueNode?.type === 'array';
    // `a=(rm -rf /)`: each element is a word of its own (expanded and split like arguments).
    const fields = valueNode
      ? isArray
        ? this.expand(valueNode.namedChildren.filter(isPresent))
        : this.expand([valueNode], true)
      : [];
    const value: VarValue = {
      value: fields.map((field) => field.value).join(' '),
      dynamic: fields.some((field) => field.dynamic),
      secret: fields.some((field) => field.secret),
      ...(isArray ? { fields: fields.map((field) => field.value) } : {}),
    };
    this.setVariable(name, value);
  }

  /** A variable set on the line or by the caller: stored, and judged for what it changes about what runs. */
  private setVariable(name: string, value: VarValue): void {
    this.vars.set(name, value);
    judgeSourceVariable(this, name, value.value);
    judgeEnvironmentVariable(this, name, value);
    if (/^(https?|all)_proxy$/i.test(name) && value.value === '') {
      this.add(deny('net.proxy_bypass', `Emptying ${name} bypasses the egress proxy.`, 'high'));
    }
    if (
      name === 'PATH' &&
      !value.value.includes('$PATH') &&
      value.value.split(':').some((dir) => dir.startsWith('.') || dir.startsWith('/tmp'))
    ) {
      this.add(approval('shell.path_hijack', 'PATH is changed to look up programs in a writable directory first.'));
    }
  }

  /**
   * Expands word nodes to argv. Adjacent nodes with no gap are one bash word
   * (tree-sitter sometimes splits `rm$IFS-rf$IFS/` into several nodes).
   */
  expand(nodes: SyntaxNode[], rawText?: string | boolean): ExpandedArg[] {
    const texts: string[] = [];
    if (typeof rawText === 'string') texts.push(rawText);
    let previousEnd = -1;
    for (const node of nodes) {
      if (node.startIndex === previousEnd && texts.length > 0) texts[texts.length - 1] += node.text;
      else texts.push(node.text);
      previousEnd = node.endIndex;
    }
    const noSplit = rawText === true;
    const out: ExpandedArg[] = [];
    for (const text of texts) {
      const fields = expandWord(text, this.hooks);
      if (noSplit)
        out.push({
          value: fields.map((f) => f.value).join(' '),
          dynamic: fields.some((f) => f.dynamic),
          glob: false,
          secret: fields.some((f) => f.secret),
        });
      else out.push(...fields);
    }
    return out;
  }

  /** Expands a string as bash would expand one word (used by rules on raw payload words). */
  expandText(text: string): ExpandedArg[] {
    return expandWord(text, this.hooks);
  }

  private readonly hooks: ExpansionHooks = {
    lookup: (name) => this.vars.get(name),
    home: this.options.paths.home,
    ifs: () => {
      const ifs = this.vars.get('IFS');
      return ifs && !ifs.dynamic ? ifs.value : ' \t\n';
    },
    substitute: (script, kind) => {
      const effects = this.analyseCapturing(script);
      if (kind === 'process') {
        const path = `/dev/fd/${63 + this.processSubstitutions.size}`;
        this.processSubstitutions.set(path, effects);
        return { value: path };
      }
      const value = effects.network ? undefined : staticOutput(script, this.parser, this.hooks);
      return { value, secret: effects.readsSecret, network: effects.network };
    },
  };

  /** Runs a substitution's script and reports what its last command does (network fetch, secret read). */
  private analyseCapturing(script: string): CommandEffects {
    if (this.depth >= MAX_DEPTH) {
      this.add(approval('shell.too_complex', 'The command nests scripts too deeply to judge statically.', 'high'));
      return {};
    }
    this.depth++;
    const tree = this.parser.parse(script);
    try {
      if (!tree) return {};
      if (tree.rootNode.hasError)
        this.add(approval('shell.unparseable', 'A command substitution is not valid bash.', 'high'));
      return this.visit(tree.rootNode, { kind: 'none' });
    } finally {
      tree?.delete();
      this.depth--;
    }
  }

  private judgeRedirects(redirects: Redirect[], program: string): void {
    for (const redirect of redirects) judgeRedirect(this, redirect, program);
  }
}

function judgeRedirect(session: ShellSession, redirect: Redirect, program: string): void {
  const target = redirect.target.value;
  if (/^\/dev\/(tcp|udp)\//.test(target)) {
    const shellish = SHELLS.has(programName(program)) || redirect.op.includes('&');
    session.add(
      shellish
        ? deny('net.reverse_shell', `Reverse shell: a shell's input/output is redirected to ${target}.`, 'critical')
        : approval('net.raw_socket', `Raw network socket via ${target}.`, 'high'),
    );
    return;
  }
  const writes =
    />|<>/.test(redirect.op) &&
    !/^>&\d*-?$|^<&/.test(redirect.op + (/^\d+$/.test(target) || target === '-' ? '&' : ''));
  if (!writes || /^\d+-?$/.test(target) || target === '-') return;
  const finding = session.options && judgeWriteTarget(session, redirect.target, `redirect ${redirect.op}`);
  if (finding) session.add(finding);
}

function judgeWriteTarget(session: ShellSession, target: ExpandedArg, via: string): Finding | null {
  return judgeWrite({ raw: target.value, dynamic: target.dynamic, via }, session.paths);
}

function pipeInput(effects: CommandEffects): StdinSource {
  if (effects.output !== undefined)
    return { kind: 'text', text: effects.output, obfuscated: Boolean(effects.obfuscated) };
  return { kind: 'stream', from: effects };
}

function isPresent<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

/** The program's identity as the rules know it: `/opt/x/git`, `./sed`, `RM.EXE` → git, sed, rm. */
export function programName(argv0: string): string {
  const base = argv0.split(/[\\/]/).pop() ?? argv0;
  const lowered = /\.(exe|cmd|bat|com)$/i.test(base) ? base.replace(/\.(exe|cmd|bat|com)$/i, '').toLowerCase() : base;
  return lowered;
}

export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function callsItselfInBackgroundOrPipe(body: SyntaxNode, name: string): boolean {
  const text = body.text;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (
    new RegExp(`(^|[\\s;{|&(])${escaped}\\s*(\\||&)`).test(text) ||
    new RegExp(`\\|\\s*${escaped}\\b|\\|\\s*${escaped}\\s*&`).test(text)
  );
}

interface Unwrapped {
  inner: ExpandedArg[];
  payload?: ExpandedArg;
}

/** Applies a WrapperSpec to the wrapper's arguments. */
export function unwrapArgs(spec: WrapperSpec, args: ExpandedArg[]): Unwrapped {
  let i = 0;
  let positional = spec.skipPositional ?? 0;
  if (spec.separator) {
    const sep = args.findIndex((arg) => arg.value === spec.separator);
    if (sep >= 0) {
      const payloadIndex = findPayload(spec, args.slice(0, sep));
      if (payloadIndex !== undefined) return { inner: [], payload: args[payloadIndex] };
      return { inner: args.slice(sep + 1) };
    }
  }
  while (i < args.length) {
    const value = args[i].value;
    if (value === '--') {
      i++;
      break;
    }
    if (spec.skipAssignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) {
      i++;
      continue;
    }
    if (value.startsWith('-') && value.length > 1) {
      if (spec.payloadOptions?.includes(value)) return { inner: [], payload: args[i + 1] ?? emptyArg() };
      const eq = value.indexOf('=');
      if (eq > 0 && spec.payloadOptions?.includes(value.slice(0, eq))) {
        return { inner: [], payload: { ...args[i], value: value.slice(eq + 1) } };
      }
      // Combined short flags ending in a payload option: `script -qc 'cmd'`.
      if (!value.startsWith('--') && spec.payloadOptions?.some((opt) => opt.length === 2 && value.endsWith(opt[1]))) {
        return { inner: [], payload: args[i + 1] ?? emptyArg() };
      }
      i += spec.optionsWithValue?.includes(value) ? 2 : 1;
      continue;
    }
    if (positional > 0) {
      positional--;
      i++;
      continue;
    }
    break;
  }
  return { inner: args.slice(i) };
}

function findPayload(spec: WrapperSpec, args: ExpandedArg[]): number | undefined {
  const index = args.findIndex((arg) => spec.payloadOptions?.includes(arg.value));
  return index >= 0 && index + 1 < args.length ? index + 1 : undefined;
}

function emptyArg(): ExpandedArg {
  return { value: '', dynamic: true, glob: false, secret: false };
}
