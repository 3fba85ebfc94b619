import { approval, deny } from '../finding';
import { isSecretPath } from '../paths/workspace-paths';
import { positionals } from '../shell/arg-utils';
import type { CommandCall } from '../shell/shell-session';
import type { CommandEffects } from './rule.types';

export function powerRule(call: CommandCall): CommandEffects {
  if (call.name === 'systemctl') {
    const verb = positionals(call.args)[0]?.value ?? '';
    if (['poweroff', 'reboot', 'halt', 'kexec', 'rescue', 'emergency', 'suspend', 'hibernate'].includes(verb)) {
      call.session.add(deny('sys.power', `Destructive pattern: systemctl ${verb} takes the machine down.`, 'critical'));
    } else if (['stop', 'disable', 'mask', 'kill'].includes(verb)) {
      const units = positionals(call.args)
        .slice(1)
        .map((a) => a.value);
      call.session.add(
        units.some((unit) => SECURITY_SERVICES.test(unit))
          ? deny('sys.security_off', `systemctl ${verb} ${units.join(' ')} turns a security control off.`, 'critical')
          : approval('sys.service_stop', `systemctl ${verb} stops or disables a system service.`, 'high'),
      );
    }
    return {};
  }
  if (
    (call.name === 'init' || call.name === 'telinit') &&
    !['0', '6', '1', 's', 'S'].includes(call.args[0]?.value ?? '')
  )
    return {};
  call.session.add(
    deny('sys.power', `Destructive pattern: ${call.name} shuts down or reboots the machine.`, 'critical'),
  );
  return {};
}

export function killRule(call: CommandCall): CommandEffects {
  const values = call.args.map((a) => a.value);
  let i = 0;
  if (values[0] === '-s' || values[0] === '-n') i = 2;
  else if (values[0]?.startsWith('-') && values.length > 1) i = 1;
  const targets = values.slice(i).filter((v) => v !== '--');
  if (call.name === 'kill' && targets.some((t) => t === '-1' || t === '1')) {
    call.session.add(
      deny('sys.kill_all', 'Destructive pattern: kill -1 / kill 1 signals every process or init.', 'critical'),
    );
  } else if (call.name === 'killall5' || (call.name === 'pkill' && values.some((v) => v === '-u' || v === '--euid'))) {
    call.session.add(approval('sys.kill_many', `${call.name} kills many processes.`, 'high'));
  }
  return {};
}

export function crontabRule(call: CommandCall): CommandEffects {
  const values = call.args.map((a) => a.value);
  if (values.some((v) => /^-[a-z]*r[a-z]*$/.test(v))) {
    call.session.add(
      deny('sys.crontab_remove', 'Destructive pattern: crontab -r deletes every scheduled job irrecoverably.', 'high'),
    );
  } else if (!values.some((v) => v === '-l' || v === '-e')) {
    const schedule =
      call.stdin.kind === 'text'
        ? call.stdin.text
        : call.stdin.kind === 'stream'
          ? (call.stdin.from.outputIncludes ?? '')
          : '';
    if (downloadsAndRuns(schedule)) {
      call.session.add(
        deny(
          'sys.persistence_download',
          'crontab schedules a job that downloads and runs code (persistence).',
          'critical',
        ),
      );
    } else call.session.add(approval('sys.persistence', 'crontab replaces scheduled jobs (persistence).', 'high'));
  }
  return {};
}

/** Text that fetches code from the network and runs it (`curl … | sh`, `wget -O- … | bash`, `… | python`). */
export function downloadsAndRuns(text: string): boolean {
  return /\b(?:curl|wget|fetch|iwr|invoke-webrequest)\b[^\n|;&]*\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b|\b(?:curl|wget)\b[^\n|;&]*\|\s*(?:python3?|perl|ruby|node)\b|\b(?:ba)?sh\s+-c\s+["']?\$\((?:curl|wget)\b|\b(?:ba)?sh\s+<\(\s*(?:curl|wget)\b/i.test(
    text,
  );
}

export function accountRule(call: CommandCall): CommandEffects {
  call.session.add(
    approval('sys.account_change', `${call.name} changes users, groups, passwords or sudo rights.`, 'high'),
  );
  return {};
}

export function securityRule(call: CommandCall): CommandEffects {
  const values = call.args.map((a) => a.value);
  // Turning a control off outright (no firewall, SELinux permissive, no audit rules) is certain harm: deny.
  const switchedOff =
    ((call.name === 'iptables' || call.name === 'ip6tables') &&
      (values.some((v) => v === '-F' || v === '--flush') ||
        values.some((v, i) => (v === '-P' || v === '--policy') && values[i + 2]?.toUpperCase() === 'ACCEPT'))) ||
    (call.name === 'nft' && values.includes('flush') && values.includes('ruleset')) ||
    (call.name === 'ufw' && (values.includes('disable') || values.includes('reset'))) ||
    (call.name === 'setenforce' && (values.includes('0') || /^permissive$/i.test(values[0] ?? ''))) ||
    (call.name === 'auditctl' &&
      (values.includes('-D') || (values.includes('-e') && values[values.indexOf('-e') + 1] === '0'))) ||
    call.name === 'aa-teardown' ||
    (call.name === 'aa-disable' && values.length > 0);
  const weakening =
    (call.name === 'iptables' || call.name === 'ip6tables' || call.name === 'nft') &&
    values.some((v) => ['-X', '-P', '-D', 'delete'].includes(v));
  if (switchedOff) {
    call.session.add(
      deny(
        'sys.security_off',
        `${call.name} ${values.join(' ')} turns a firewall or security control off.`,
        'critical',
      ),
    );
  } else if (weakening) {
    call.session.add(
      approval('sys.security_disable', `${call.name} weakens the firewall or security controls.`, 'high'),
    );
  }
  return {};
}

/** Services whose stop or disable switches a security control off. */
export const SECURITY_SERVICES =
  /^(?:apparmor|firewalld|ufw|auditd|selinux|fail2ban|falco|wazuh-agent|osqueryd|crowdstrike|falcon-sensor|clamav-daemon|nftables|iptables)(?:\.service)?$/;

export function kernelRule(call: CommandCall): CommandEffects {
  const values = call.args.map((a) => a.value);
  if (call.name === 'sysctl' && !values.some((v) => v === '-w' || v.includes('='))) return {};
  if ((call.name === 'mount' || call.name === 'umount') && values.length === 0) return {};
  call.session.add(approval('sys.kernel', `${call.name} changes kernel, mounts or swap.`, 'high'));
  return {};
}

export function publishRule(call: CommandCall): CommandEffects {
  const verbs = positionals(call.args, [
    '--registry',
    '--tag',
    '--access',
    '--otp',
    '-w',
    '--workspace',
    '--loglevel',
    '-r',
    '--repository',
  ]).map((a) => a.value);
  const publishing =
    (['npm', 'pnpm', 'yarn', 'bun'].includes(call.name) &&
      (verbs[0] === 'publish' ||
        (verbs[0] === 'npm' && verbs[1] === 'publish') ||
        verbs[0] === 'unpublish' ||
        verbs[0] === 'deprecate')) ||
    (call.name === 'cargo' && ['publish', 'yank', 'owner'].includes(verbs[0])) ||
    (call.name === 'twine' && verbs[0] === 'upload') ||
    (call.name === 'gem' && ['push', 'yank'].includes(verbs[0])) ||
    (['poetry', 'uv', 'hatch', 'flit', 'pdm'].includes(call.name) && verbs[0] === 'publish');
  if (publishing)
    call.session.add(approval('pkg.publish', `${call.name} ${verbs[0]} publishes to a public registry.`, 'high'));
  return {};
}

const READERS = new Set([
  'cat',
  'less',
  'more',
  'head',
  'tail',
  'strings',
  'xxd',
  'od',
  'hexdump',
  'base64',
  'bat',
  'nl',
  'tac',
  'gpg',
  'openssl',
  'cut',
  'awk',
  'grep',
  'sed',
  'jq',
  'zip',
  'tar',
  'gzip',
  'cp',
]);

/** Reading credential files: approval alone, exfiltration when the output reaches the network. */
export function secretReadRule(call: CommandCall): CommandEffects {
  if (!READERS.has(call.name)) return {};
  const args = call.args;
  // `openssl genrsa -out key.pem`, `gpg -o out.gpg`: a file the command writes is not one it reads.
  const written = new Set(
    args.flatMap((a, i) => (/^(?:-out|-keyout|-o|--output)$/.test(a.value) && args[i + 1] ? [i + 1] : [])),
  );
  // cp's last operand is where it writes (`cp .env.example .env` reads no secret).
  if (call.name === 'cp') {
    const operands = args.flatMap((a, i) => (a.value.startsWith('-') ? [] : [i]));
    if (operands.length >= 2) written.add(operands[operands.length - 1]);
  }
  const secrets = args.filter(
    (a, i) => !written.has(i) && !a.value.startsWith('-') && isSecretPath(a.value, call.session.paths),
  );
  if (secrets.length === 0) return {};
  call.session.add(
    approval(
      'secret.read',
      `${call.name} reads credential material (${secrets.map((s) => s.value).join(', ')}).`,
      'high',
    ),
  );
  return { readsSecret: true };
}
