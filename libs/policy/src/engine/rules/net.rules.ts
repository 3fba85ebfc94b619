import { approval, deny } from '../finding';
import { judgeNetworkTarget } from '../network/network-target';
import { optionValue, optionValues, positionals } from '../shell/arg-utils';
import type { CommandCall } from '../shell/shell-session';
import type { CommandEffects } from './rule.types';

const CURL_VALUE_OPTIONS = [
  '-X',
  '--request',
  '-H',
  '--header',
  '-d',
  '--data',
  '--data-raw',
  '--data-binary',
  '--data-urlencode',
  '-F',
  '--form',
  '-o',
  '--output',
  '-u',
  '--user',
  '-A',
  '--user-agent',
  '-e',
  '--referer',
  '-T',
  '--upload-file',
  '-x',
  '--proxy',
  '--noproxy',
  '-b',
  '--cookie',
  '-c',
  '--cookie-jar',
  '--connect-timeout',
  '-m',
  '--max-time',
  '--retry',
  '-w',
  '--write-out',
  '--cacert',
  '--cert',
  '--key',
  '-K',
  '--config',
  '--resolve',
  '--url',
  '-O',
  '--remote-name',
  '-r',
  '--range',
  '--json',
  '-P',
  '--directory-prefix',
  '--post-data',
  '--post-file',
  '--body-data',
  '--body-file',
  '--method',
  '--header',
  '-U',
  '--user-agent',
  '-t',
  '--tries',
  '-T',
  '--timeout',
  '-q',
];
const UPLOAD_OPTIONS = [
  '-d',
  '--data',
  '--data-binary',
  '--data-raw',
  '--data-urlencode',
  '-F',
  '--form',
  '-T',
  '--upload-file',
  '--json',
  '--post-file',
  '--body-file',
  '--post-data',
  '--body-data',
];

/** curl, wget, httpie, aria2c: destinations judged like network_access; uploads of secrets are exfiltration. */
export function httpClientRule(call: CommandCall): CommandEffects {
  const args = call.args;
  if (args.some((a) => a.value === '--noproxy' || a.value.startsWith('--noproxy=') || a.value === '--no-proxy')) {
    call.session.add(deny('net.proxy_bypass', `${call.name} --noproxy bypasses the egress proxy.`, 'high'));
  }
  const uploads = optionValues(args, UPLOAD_OPTIONS);
  const explicitMethod = optionValue(args, ['-X', '--request', '--method'])?.value;
  const method =
    explicitMethod ??
    (uploads.length > 0 ? 'POST' : call.name === 'http' || call.name === 'https' ? httpieMethod(call) : 'GET');
  const exfiltrates =
    uploads.some((u) => {
      const file = /^@?<?([^=]*=)?@(.+)$/.exec(u.value)?.[2] ?? /^@(.+)$/.exec(u.value)?.[1];
      const isFileUpload =
        file !== undefined ||
        ['-T', '--upload-file', '--post-file', '--body-file'].some((o) => optionValue(args, [o])?.value === u.value);
      const path = file ?? u.value;
      return (
        u.secret ||
        (isFileUpload &&
          (path === '-'
            ? call.stdin.kind === 'stream' && call.stdin.from.readsSecret
            : call.session.written.isSecret(path, call.session.paths)))
      );
    }) ||
    args.some((a) => a.secret) ||
    (call.stdin.kind === 'stream' && Boolean(call.stdin.from.readsSecret) && uploads.length > 0);
  if (exfiltrates) {
    call.session.add(
      deny(
        'secret.exfiltration',
        `Secret exfiltration: ${call.name} sends credentials or key material over the network.`,
        'critical',
      ),
    );
  }
  for (const url of urlsOf(call)) {
    for (const finding of judgeNetworkTarget({ url: url.value, method }, networkRules(call))) {
      if (finding.outcome === 'allow') continue;
      // In a shell command an unlisted host is a question for a human, not a verdict.
      if (finding.rule_id === 'net.host_not_allowlisted') {
        call.session.add(approval('net.host_not_allowlisted', finding.reason, 'medium'));
      } else call.session.add(finding);
    }
  }
  return { network: true };
}

function httpieMethod(call: CommandCall): string {
  const first = positionals(call.args)[0]?.value ?? '';
  return /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/i.test(first) ? first.toUpperCase() : 'GET';
}

function urlsOf(call: CommandCall) {
  const explicit = optionValues(call.args, ['--url']);
  const operands = positionals(call.args, CURL_VALUE_OPTIONS).filter(
    (a) =>
      !/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/i.test(a.value) &&
      (a.value.includes('://') || !/^[A-Za-z0-9_-]+(:=|==|=|:)/.test(a.value)),
  );
  return [...explicit, ...operands].filter(
    (a) =>
      /^[a-z]+:\/\//i.test(a.value) ||
      /^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?(\/|$)/i.test(a.value) ||
      /^\d+(\.\d+){0,3}(:\d+)?(\/|$)/.test(a.value) ||
      /^\[[0-9a-f:.]+\]/i.test(a.value) ||
      /^localhost(:\d+)?(\/|$)/.test(a.value),
  );
}

function networkRules(call: CommandCall) {
  return {
    allowlist: call.session.options.allowlist,
    loopback_ports: call.session.options.loopbackPorts,
    observe: call.session.observeHost,
  };
}

/** nc, ncat, socat, telnet: reverse shells and raw exfiltration. */
export function socketRule(call: CommandCall): CommandEffects {
  const args = call.args.map((a) => a.value);
  if (
    args.some((a) => a === '-e' || a === '-c' || a === '--exec' || a === '--sh-exec' || a === '--lua-exec') ||
    args.some((a) => /^(EXEC|SYSTEM):/i.test(a) || /exec:.*(sh|bash)/i.test(a))
  ) {
    call.session.add(
      deny('net.reverse_shell', `Reverse shell: ${call.name} attaches a shell to a network connection.`, 'critical'),
    );
  }
  if (call.stdin.kind === 'stream' && call.stdin.from.readsSecret) {
    call.session.add(
      deny('secret.exfiltration', `Secret exfiltration: secrets are piped into ${call.name}.`, 'critical'),
    );
  } else if (call.args.some((a) => a.value === '-l' || a.value === '--listen' || /^TCP-LISTEN/i.test(a.value))) {
    call.session.add(approval('net.listener', `${call.name} opens a listening socket.`));
  } else {
    call.session.add(approval('net.raw_socket', `${call.name} opens a raw network connection.`));
  }
  return { network: true };
}

/** scp, rsync, sftp to a remote: copying secrets out is exfiltration. */
export function remoteCopyRule(call: CommandCall): CommandEffects {
  const operands = positionals(call.args, ['-P', '-i', '-o', '-F', '-e', '--rsh', '-J', '--exclude', '--include']);
  const remote = operands.some((a) => /^[^/\s]*:/.test(a.value) && !/^[a-zA-Z]:[\\/]/.test(a.value));
  if (!remote) return {};
  const sources = operands.slice(0, -1);
  // A copy or archive of credentials made on the line (`zip k.zip ~/.ssh`) is as secret as they are.
  if (sources.some((s) => !/^[^/\s]*:/.test(s.value) && call.session.written.isSecret(s.value, call.session.paths))) {
    call.session.add(
      deny('secret.exfiltration', `Secret exfiltration: ${call.name} copies credentials to a remote host.`, 'critical'),
    );
  } else call.session.add(approval('net.remote_copy', `${call.name} copies files to or from another host.`));
  return { network: true };
}

/** dig, nslookup, host, ping: a name built from a secret leaks it in the DNS query itself. */
export function nameLookupRule(call: CommandCall): CommandEffects {
  if (call.args.some((a) => a.secret)) {
    call.session.add(
      deny(
        'secret.exfiltration',
        `Secret exfiltration: ${call.name} looks up a name built from credential material (DNS exfiltration).`,
        'critical',
      ),
    );
  }
  return { network: true };
}
