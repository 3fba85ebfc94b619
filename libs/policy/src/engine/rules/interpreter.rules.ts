import { approval, deny } from '../finding';
import { judgeDelete } from '../paths/workspace-paths';
import type { CommandCall } from '../shell/shell-session';
import type { CommandEffects } from './rule.types';

/** Option that carries inline code, per interpreter. */
const INLINE_CODE: Record<string, string[]> = {
  python: ['-c'],
  python2: ['-c'],
  python3: ['-c'],
  pypy: ['-c'],
  pypy3: ['-c'],
  node: ['-e', '--eval', '-p', '--print'],
  nodejs: ['-e', '--eval', '-p', '--print'],
  bun: ['-e', '--eval', '-p', '--print'],
  deno: ['eval'],
  perl: ['-e', '-E'],
  ruby: ['-e'],
  php: ['-r'],
  lua: ['-e'],
  rscript: ['-e'],
  osascript: ['-e'],
  pwsh: ['-c', '-command', '-encodedcommand', '-enc', '-e', '-ec'],
  powershell: ['-c', '-command', '-encodedcommand', '-enc', '-e', '-ec'],
  cmd: ['/c', '/k'],
  awk: [],
  gawk: [],
  mawk: [],
};

export const INTERPRETERS = new Set(Object.keys(INLINE_CODE));

/** Calls that run a shell command given as a string literal. */
const SHELL_OUT: RegExp[] = [
  /\b(?:os\.system|os\.popen|subprocess\.(?:run|call|Popen|check_output|check_call|getoutput|getstatusoutput)|commands\.getoutput|pty\.spawn)\s*\(\s*(?:f|r|b)?(["'])((?:\\.|(?!\1).)*)\1/g,
  /\b(?:execSync|exec|spawnSync|spawn|execFileSync|execFile|execa|execaSync|\$)\s*\(\s*(["'`])((?:\\.|(?!\1).)*)\1/g,
  /\b(?:system|exec|shell_exec|passthru|popen|proc_open|qx)\s*\(?\s*(["'])((?:\\.|(?!\1).)*)\1/g,
  /%x\((.)?([^)]*)\)/g,
  // Perl's quote operators: `system(q{rm -rf /})`, `exec qq(…)`, `qx[…]`.
  /\b(?:(?:system|exec)\s*\(?\s*qq?|qx)\s*(\{)([^}]*)\}/g,
  /\b(?:(?:system|exec)\s*\(?\s*qq?|qx)\s*(\()([^)]*)\)/g,
  /\b(?:(?:system|exec)\s*\(?\s*qq?|qx)\s*(\[)([^\]]*)\]/g,
  /`()([^`]+)`/g,
  /\bdo shell script\s+(")((?:\\.|[^"])*)"/g,
];
/** A list form: subprocess.run(["rm", "-rf", "/"]) or spawn('rm', ['-rf', '/']). */
const ARGV_LIST =
  /\b(?:subprocess\.(?:run|call|Popen|check_output|check_call)|os\.exec\w*|spawnSync|spawn|execFileSync|execFile)\s*\(\s*(?:(["'])([^"']+)\1\s*,\s*)?\[([^\]]*)\]/g;
const RECURSIVE_DELETE =
  /(?:\brmSync|\brmdirSync|\)\.rm|\b(?:shutil\.rmtree|os\.removedirs|FileUtils\.rm_rf|FileUtils\.rm_r|FileUtils\.remove_dir|rmtree|remove_tree|fs(?:\.promises)?\.rm(?:Sync)?|fs\.rmdirSync|fsExtra\.remove(?:Sync)?|rimraf(?:\.sync)?|Remove-Item|rm_rf|Deno\.remove|Bun\.\$`rm))\s*\(?\s*(["'`])((?:\\.|(?!\1).)*)\1/g;
const PLAIN_DELETE =
  /\b(?:os\.remove|os\.unlink|pathlib\.Path\([^)]*\)\.unlink|fs\.unlinkSync|fs\.unlink|File\.delete|unlink|FileUtils\.rm)\s*\(\s*(["'`])((?:\\.|(?!\1).)*)\1/g;
const DANGEROUS_CALL =
  /\b(os\.system|subprocess|child_process|execSync|spawnSync|shutil\.rmtree|rmtree|fs\.rm|rmSync|unlinkSync|FileUtils|system\s*\(|exec\s*\(|eval\s*\(|shell_exec|passthru|Runtime\.getRuntime|ctypes|__import__\(['"]os|do shell script|Remove-Item|Invoke-Expression|iex\b|Invoke-WebRequest|DownloadString)/;
const DECODE_EXEC =
  /\b(exec|eval|Function|system|Invoke-Expression|iex)\s*\(?\s*.{0,40}(b64decode|base64|atob|Buffer\.from\([^)]*['"]base64|FromBase64String|decode\(|unhexlify|fromCharCode|rot13|zlib\.decompress|marshal\.loads)/;
const NETWORK_CALL =
  /\b(urllib|urlopen|requests\.(get|post|put)|http\.client|fetch\s*\(|axios|https?\.request|https?\.get|Net::HTTP|open-uri|socket\.|curl_exec|file_get_contents\(\s*['"]https?:|Invoke-WebRequest|Invoke-RestMethod|WebClient|XMLHttpRequest)/;
const SECRET_LITERAL =
  /(\.ssh\/id_|\.aws\/credentials|\/etc\/shadow|\.kube\/config|\.git-credentials|\.netrc|\.docker\/config\.json|\.config\/gcloud|(?:os\.environ|process\.env|ENV\[|getenv\(|\$env:)[^\n]{0,20}(SECRET|TOKEN|PASSWORD|KEY))/i;
const HOME_EXPR =
  /^(?:os\.path\.expanduser\(\s*["']~["']\s*\)|os\.environ\[["']HOME["']\]|process\.env\.HOME|os\.homedir\(\)|Dir\.home|ENV\[["']HOME["']\]|\$HOME|\$env:USERPROFILE)$/;

export function interpreterRule(call: CommandCall): CommandEffects {
  const options = INLINE_CODE[call.name] ?? [];
  const lowerArgs = call.args.map((a) => a.value.toLowerCase());
  let code: string | undefined;
  let dynamic = false;
  if (call.name === 'awk' || call.name === 'gawk' || call.name === 'mawk') {
    const program = call.args.find(
      (a, i) => !a.value.startsWith('-') && !['-f', '-v', '-F'].includes(call.args[i - 1]?.value ?? ''),
    );
    code = program?.value;
  } else {
    for (let i = 0; i < call.args.length; i++) {
      const value = lowerArgs[i];
      const attached = options.find(
        (o) => o.length === 2 && o.startsWith('-') && value.startsWith(o) && value.length > 2 && call.name !== 'cmd',
      );
      if (options.includes(value) || (call.name === 'cmd' && /^\/[ck]/.test(value))) {
        const rest =
          call.name === 'cmd' || call.name === 'pwsh' || call.name === 'powershell'
            ? call.args.slice(i + 1)
            : call.args.slice(i + 1, i + 2);
        code = rest.map((a) => a.value).join(' ');
        dynamic = rest.some((a) => a.dynamic);
        if (
          ['-encodedcommand', '-enc', '-e', '-ec'].includes(value) &&
          (call.name === 'pwsh' || call.name === 'powershell')
        ) {
          code = Buffer.from(code, 'base64').toString('utf16le');
          call.session.add(approval('shell.encoded_payload', `${call.name} runs a base64-encoded command.`, 'high'));
        }
        break;
      }
      if (attached) {
        code = call.args[i].value.slice(2);
        break;
      }
    }
  }
  if (code === undefined) {
    const script = call.args.find((a) => !a.value.startsWith('-'));
    if (!script && call.name !== 'cmd' && !['awk', 'gawk', 'mawk'].includes(call.name))
      return call.session.runStdinScript(call.name, call.stdin);
    return {};
  }
  if (dynamic)
    call.session.add(
      approval('exec.interpreter_dynamic', `${call.name} runs inline code computed at run time.`, 'high'),
    );
  scanInlineCode(call, code);
  return {};
}

/** A network connection opened in code… */
const SOCKET_OPEN =
  /\b(?:socket\.socket|socket\.create_connection|TCPSocket\.(?:new|open)|IO::Socket::INET|fsockopen|net\.connect|net\.createConnection|new\s+net\.Socket|Socket\.new|System\.Net\.Sockets\.TCPClient|TCPClient\s*\(|socket\s*\(\s*S|\/dev\/tcp\/|require\(\s*["'`](?:node:)?net["'`]\s*\))/i;
/** …and a shell attached to it: the shape of a reverse shell in any language. */
const SHELL_ATTACHED =
  /\b(?:os\.dup2|dup2|pty\.spawn|STDIN\.reopen|\$stdin\.reopen|open\s*\(\s*STDIN)|["'`]\/bin\/(?:ba|z|da|k)?sh\b|["'`](?:ba)?sh\s+-i\b|cmd\.exe|powershell(?:\.exe)?["'`]|\.pipe\(\s*\w+\.stdin\)/i;

/** Looks for shell-outs, deletes, decode-and-exec, reverse shells and secret uploads in one-liners. */
export function scanInlineCode(call: CommandCall, code: string): void {
  const before = call.session.findings.length;
  const via = `${call.name} inline code`;
  if (SOCKET_OPEN.test(code) && SHELL_ATTACHED.test(code)) {
    call.session.add(
      deny('net.reverse_shell', `Reverse shell: ${via} connects a socket and attaches a shell to it.`, 'critical'),
    );
  }
  if (call.name === 'cmd' || call.name === 'pwsh' || call.name === 'powershell') scanWindows(call, code);
  for (const pattern of SHELL_OUT) {
    for (const match of code.matchAll(pattern)) {
      if (match[2] !== undefined && match[2].trim() !== '')
        call.session.runPayload(
          {
            value: unescapeLiteral(match[2]),
            dynamic: match[1] === '`' && /\$\{/.test(match[2]),
            glob: false,
            secret: false,
          },
          via,
        );
    }
  }
  for (const match of code.matchAll(ARGV_LIST)) {
    const items = [
      ...(match[2] ? [match[2]] : []),
      ...[...match[3].matchAll(/(["'])((?:\\.|(?!\1).)*)\1/g)].map((m) => m[2]),
    ];
    if (items.length > 0)
      call.session.run(
        items.map((value) => ({ value, dynamic: false, glob: /[*?]/.test(value), secret: false })),
        { kind: 'none' },
        [],
        false,
      );
  }
  for (const [pattern, recursive] of [
    [RECURSIVE_DELETE, true],
    [PLAIN_DELETE, false],
  ] as const) {
    for (const match of code.matchAll(pattern)) {
      call.session.add(
        judgeDelete(
          {
            raw: unescapeLiteral(match[2]),
            recursive,
            via: `${call.name} ${recursive ? 'recursive delete' : 'delete'}`,
          },
          call.session.paths,
        ),
      );
    }
  }
  for (const match of code.matchAll(
    /\b(?:shutil\.rmtree|rmtree|rmSync|rmdirSync|fs\.rm|FileUtils\.rm_rf)\s*\(\s*([^,)'"`]+)[,)]/g,
  )) {
    const expr = match[1].trim();
    if (HOME_EXPR.test(expr))
      call.session.add(
        judgeDelete({ raw: '~', recursive: true, via: `${call.name} recursive delete` }, call.session.paths),
      );
    else if (expr === '"/"' || expr === "'/'") continue;
    else
      call.session.add(
        approval('exec.interpreter_dynamic', `${call.name} deletes a path computed at run time (${expr}).`, 'high'),
      );
  }
  if (DECODE_EXEC.test(code)) {
    call.session.add(approval('shell.encoded_payload', `${via} decodes and executes a hidden payload.`, 'high'));
    for (const literal of code.matchAll(/(["'])([A-Za-z0-9+/=]{12,})\1/g)) {
      const decoded = Buffer.from(literal[2], 'base64').toString('latin1');
      if (/^[\t\n\r -~]+$/.test(decoded)) {
        const inner = call.session.findings.length;
        call.session.runPayload({ value: decoded, dynamic: false, glob: false, secret: false }, via);
        scanInlineCode(call, decoded);
        if (call.session.findings.slice(inner).some((f) => f.outcome === 'deny')) {
          call.session.add(
            deny('shell.obfuscated_destructive', 'Destructive pattern hidden in an encoded payload.', 'critical'),
          );
        }
      }
    }
  }
  if (SECRET_LITERAL.test(code)) {
    call.session.add(
      NETWORK_CALL.test(code)
        ? deny(
            'secret.exfiltration',
            `Secret exfiltration: ${via} reads credentials and makes a network call.`,
            'critical',
          )
        : approval('secret.read', `${via} reads credentials.`, 'high'),
    );
  }
  const found = call.session.findings.length > before;
  if (
    !found &&
    DANGEROUS_CALL.test(code) &&
    !/\b(os\.system|subprocess\.\w+|execSync|exec|system)\s*\(\s*(["'`])/.test(code)
  ) {
    call.session.add(
      approval(
        'exec.interpreter_dynamic',
        `${via} calls a process/file-system API with arguments that cannot be resolved statically.`,
        'medium',
      ),
    );
  }
}

function scanWindows(call: CommandCall, code: string): void {
  for (const match of code.matchAll(/\b(?:rd|rmdir)\s+((?:\/[sq]\s+)+)(\S+)/gi)) {
    call.session.add(
      judgeDelete(
        { raw: match[2].replace(/"/g, ''), recursive: /\/s/i.test(match[1]), via: 'rd /s' },
        call.session.paths,
      ),
    );
  }
  for (const match of code.matchAll(/\bdel\s+((?:\/[sqf]\s+)+)(\S+)/gi)) {
    call.session.add(
      judgeDelete(
        { raw: match[2].replace(/"/g, ''), recursive: /\/s/i.test(match[1]), via: 'del /s' },
        call.session.paths,
      ),
    );
  }
  for (const match of code.matchAll(/\bRemove-Item\b([^;|\n]*)/gi)) {
    const recursive = /-Recurse/i.test(match[1]);
    const path = /(?:-Path\s+|-LiteralPath\s+|\s)(["']?)([A-Za-z]:\\[^"'\s]*|[~/.][^"'\s]*|\$env:\w+)\1/i.exec(
      match[1],
    )?.[2];
    if (path)
      call.session.add(
        judgeDelete(
          { raw: path.replace(/^\$env:(USERPROFILE|HOME)/i, '~'), recursive, via: 'Remove-Item' },
          call.session.paths,
        ),
      );
  }
  if (/\bformat\s+[a-z]:/i.test(code) || /Format-Volume|Clear-Disk/i.test(code)) {
    call.session.add(deny('fs.disk_destroy', 'Destructive pattern: formats or clears a disk.', 'critical'));
  }
  if (
    /\b(iex|Invoke-Expression)\b/i.test(code) &&
    /(DownloadString|Invoke-WebRequest|iwr|irm|Invoke-RestMethod)/i.test(code)
  ) {
    call.session.add(
      deny('net.remote_code', 'Remote code execution: downloaded script is executed (iex).', 'critical'),
    );
  }
}

function unescapeLiteral(text: string): string {
  return text.replace(/\\(["'`\\])/g, '$1').replace(/\\n/g, '\n');
}
