import { approval, deny } from '../finding';
import { optionValue, positionals } from '../shell/arg-utils';
import type { CommandCall } from '../shell/shell-session';
import { unwrapArgs } from '../shell/shell-session';
import type { CommandEffects } from './rule.types';

/** Production if the request says so, or any argument names a production environment. */
function targetsProduction(call: CommandCall): boolean {
  const { environment, isProduction } = call.session.options;
  if (environment !== undefined && isProduction(environment)) return true;
  return call.args.some((a) => isProduction(a.value.replace(/^-+[a-z-]*=?/i, '')));
}

function destroy(call: CommandCall, what: string, ruleId = 'infra.destroy'): void {
  call.session.add(
    targetsProduction(call)
      ? deny(ruleId + '_production', `Destructive pattern: ${what} in production.`, 'critical')
      : approval(ruleId, `${what} destroys infrastructure and needs approval.`, 'high'),
  );
}

export function terraformRule(call: CommandCall): CommandEffects {
  const ops = positionals(call.args, ['-chdir', '-var', '-var-file', '-target']).map((a) => a.value);
  const op = ops[0] ?? '';
  const destroyFlag = call.args.some((a) => a.value === '-destroy' || a.value === '--destroy');
  if (op === 'destroy' || (op === 'apply' && destroyFlag)) destroy(call, `${call.name} destroy`);
  else if (
    op === 'apply' ||
    op === 'import' ||
    (op === 'state' && ['rm', 'mv', 'push', 'replace-provider'].includes(ops[1] ?? '')) ||
    op === 'force-unlock' ||
    op === 'taint'
  ) {
    call.session.add(
      approval(
        targetsProduction(call) ? 'infra.apply_production' : 'infra.apply',
        `${call.name} ${op} changes real infrastructure.`,
        targetsProduction(call) ? 'high' : 'medium',
      ),
    );
  } else if (op === 'workspace' && ops[1] === 'delete') destroy(call, `${call.name} workspace delete`);
  return {};
}

export function pulumiRule(call: CommandCall): CommandEffects {
  const op = positionals(call.args, ['-s', '--stack', '-C', '--cwd'])[0]?.value ?? '';
  if (op === 'destroy' || (op === 'stack' && call.args.some((a) => a.value === 'rm')))
    destroy(call, `${call.name} ${op}`);
  else if (['up', 'update', 'import', 'deploy'].includes(op))
    call.session.add(approval('infra.apply', `${call.name} ${op} changes real infrastructure.`));
  return {};
}

const KUBE_VALUE_OPTIONS = [
  '-n',
  '--namespace',
  '--context',
  '--kubeconfig',
  '-l',
  '--selector',
  '-f',
  '--filename',
  '-o',
  '--output',
  '--cluster',
  '--user',
  '-c',
  '--container',
  '--field-selector',
  '--grace-period',
  '--timeout',
  '-s',
  '--server',
  '--token',
];

export function kubectlRule(call: CommandCall): CommandEffects {
  const operands = positionals(call.args, KUBE_VALUE_OPTIONS);
  const verb = operands[0]?.value ?? '';
  const resource = (operands[1]?.value ?? '').toLowerCase();
  const all = call.args.some((a) => ['--all', '-A', '--all-namespaces'].includes(a.value));
  const production = targetsProduction(call);
  switch (verb) {
    case 'delete': {
      const kinds = resource.split(',').map((k) => k.split('/')[0]);
      if (
        kinds.some((k) =>
          [
            'ns',
            'namespace',
            'namespaces',
            'all',
            'nodes',
            'node',
            'no',
            'pv',
            'persistentvolume',
            'persistentvolumes',
            'crd',
            'crds',
            'customresourcedefinition',
            'customresourcedefinitions',
          ].includes(k),
        ) ||
        all
      ) {
        call.session.add(
          deny(
            'infra.kubectl_delete_broad',
            `Destructive pattern: kubectl delete ${resource}${all ? ' --all' : ''} removes namespaces, nodes or every resource.`,
            'critical',
          ),
        );
      } else destroy(call, `kubectl delete ${resource}`, 'infra.kubectl_delete');
      break;
    }
    case 'drain':
    case 'cordon':
    case 'taint':
      call.session.add(approval('infra.kubectl_disrupt', `kubectl ${verb} disrupts workloads on a node.`, 'high'));
      break;
    case 'scale':
      if (
        call.args.some((a) => /^--replicas=0$/.test(a.value)) ||
        optionValue(call.args, ['--replicas'])?.value === '0'
      ) {
        call.session.add(
          approval('infra.kubectl_disrupt', 'kubectl scale --replicas=0 takes a workload down.', 'high'),
        );
      }
      break;
    case 'apply':
    case 'create':
    case 'replace':
    case 'patch':
    case 'edit':
    case 'set':
    case 'rollout':
    case 'label':
    case 'annotate':
      if (production)
        call.session.add(approval('deploy.production', `kubectl ${verb} changes a production cluster.`, 'high'));
      break;
    case 'exec':
    case 'debug':
    case 'attach': {
      call.session.add(
        approval(
          'shell.remote_execution',
          `kubectl ${verb} runs commands inside a running container.`,
          production ? 'high' : 'medium',
        ),
      );
      const sep = call.args.findIndex((a) => a.value === '--');
      if (sep >= 0) call.session.run(call.args.slice(sep + 1), { kind: 'none' }, [], false);
      break;
    }
  }
  return {};
}

export function helmRule(call: CommandCall): CommandEffects {
  const verb =
    positionals(call.args, ['-n', '--namespace', '--kube-context', '-f', '--values', '--set', '--version'])[0]?.value ??
    '';
  if (['uninstall', 'delete', 'del', 'un'].includes(verb)) destroy(call, `helm ${verb}`);
  else if (['install', 'upgrade', 'rollback'].includes(verb) && targetsProduction(call)) {
    call.session.add(approval('deploy.production', `helm ${verb} changes a production release.`, 'high'));
  }
  return {};
}

const CLOUD_DELETE =
  /^(delete|terminate|remove|deregister|purge|destroy|rb|rm|reset|wipe|disable-|detach-|revoke-|stop-instances|cancel)/;

export function cloudRule(call: CommandCall): CommandEffects {
  const words = positionals(call.args, [
    '--region',
    '--profile',
    '--project',
    '-g',
    '--resource-group',
    '--output',
    '-o',
    '--query',
    '--zone',
    '--subscription',
    '--context',
    '-a',
    '--app',
  ]).map((a) => a.value.toLowerCase());
  if (call.name === 'gh') {
    if (words[0] === 'repo' && words[1] === 'delete')
      call.session.add(
        deny(
          'infra.repo_delete',
          'Destructive pattern: gh repo delete removes a repository and its history.',
          'critical',
        ),
      );
    else if (['delete', 'remove'].includes(words[1] ?? ''))
      call.session.add(approval('infra.cloud_delete', `gh ${words[0]} ${words[1]} deletes a GitHub resource.`));
    else if (words[0] === 'secret' || (words[0] === 'auth' && words[1] === 'token'))
      call.session.add(approval('secret.read', 'gh reads or changes secrets/tokens.'));
    return {};
  }
  const deleting = words.some((w) => CLOUD_DELETE.test(w) || /:(destroy|reset|delete)$/.test(w));
  const recursiveS3 =
    call.name === 'aws' &&
    words[0] === 's3' &&
    (words[1] === 'rb' || (words[1] === 'rm' && call.args.some((a) => a.value === '--recursive')));
  if (recursiveS3 || (deleting && words.length > 0))
    destroy(call, `${call.name} ${words.slice(0, 3).join(' ')}`, 'infra.cloud_delete');
  else if (
    call.name === 'aws' &&
    (words.includes('get-secret-value') ||
      words.includes('create-access-key') ||
      (words[0] === 'ssm' && words.includes('get-parameter')))
  ) {
    call.session.add(
      approval('secret.read', `aws ${words.slice(0, 2).join(' ')} reads or creates credentials.`, 'high'),
    );
    return { readsSecret: true };
  } else if (call.name === 'aws' && words[0] === 'iam' && /^(attach|put|create|update|add)-/.test(words[1] ?? '')) {
    call.session.add(approval('sys.privilege_escalation', `aws iam ${words[1]} changes cloud permissions.`, 'high'));
  }
  if (
    ['vercel', 'netlify', 'fly', 'flyctl', 'heroku', 'firebase', 'wrangler', 'railway', 'render'].includes(call.name) &&
    call.args.some((a) => /^--?(prod|production)$/.test(a.value) || (a.value === 'deploy' && targetsProduction(call)))
  ) {
    call.session.add(approval('deploy.production', `${call.name} deploys to production.`, 'high'));
  }
  return {};
}

const CONTAINER_VALUE_OPTIONS = [
  '-e',
  '--env',
  '-u',
  '--user',
  '-w',
  '--workdir',
  '--env-file',
  '--name',
  '-p',
  '--publish',
  '--network',
  '--net',
  '--entrypoint',
  '-h',
  '--hostname',
  '-l',
  '--label',
  '--platform',
  '--pull',
  '-m',
  '--memory',
  '--cpus',
  '--mount',
  '--device',
  '--cap-add',
  '--cap-drop',
  '--security-opt',
  '--pid',
  '--ipc',
  '--uts',
  '--userns',
  '--restart',
  '--log-driver',
  '-a',
  '--attach',
  '--detach-keys',
  '--tmpfs',
  '--add-host',
  '--dns',
  '--gpus',
  '--ulimit',
  '--cgroupns',
  '--volumes-from',
  '--link',
  '-v',
  '--volume',
  '--privileged',
];

export function containerRule(call: CommandCall): CommandEffects {
  const args = call.args;
  const verbIndex = args.findIndex((a) => !a.value.startsWith('-'));
  const verb = args[verbIndex]?.value ?? '';
  const rest = args.slice(verbIndex + 1);
  if (
    verb === 'run' ||
    verb === 'create' ||
    (verb === 'container' && ['run', 'create'].includes(rest[0]?.value ?? ''))
  ) {
    const volumes = rest.flatMap((a, i) =>
      a.value === '-v' || a.value === '--volume'
        ? [rest[i + 1]?.value ?? '']
        : a.value.startsWith('--volume=')
          ? [a.value.slice(9)]
          : a.value.startsWith('--mount')
            ? [rest[i + 1]?.value ?? a.value]
            : [],
    );
    const hostRoot = volumes.some((v) =>
      /^\/(:|$)|^\/(etc|root|var\/run\/docker\.sock|run\/docker\.sock|proc|sys|dev)(\/|:|$)|source=\/(,|$)|src=\/(,|$)/.test(
        v,
      ),
    );
    const privileged =
      rest.some(
        (a) =>
          a.value === '--privileged' ||
          /^--pid=host$|^--cap-add=(SYS_ADMIN|ALL)$|^--security-opt=(apparmor|seccomp)[=:]unconfined$/i.test(a.value),
      ) ||
      rest.some(
        (a, i) =>
          (a.value === '--pid' && rest[i + 1]?.value === 'host') ||
          (a.value === '--cap-add' && /^(SYS_ADMIN|ALL)$/i.test(rest[i + 1]?.value ?? '')),
      );
    if (hostRoot || privileged) {
      call.session.add(
        deny(
          'sys.container_escape',
          `Privilege escalation: ${call.name} ${verb} with ${privileged ? 'a privileged container' : 'the host filesystem or docker socket mounted'}.`,
          'critical',
        ),
      );
    }
    return {};
  }
  if (verb === 'exec') {
    const unwrapped = unwrapArgs({ optionsWithValue: CONTAINER_VALUE_OPTIONS, skipPositional: 1 }, rest);
    if (unwrapped.inner.length > 0) call.session.run(unwrapped.inner, { kind: 'none' }, [], false);
    return {};
  }
  if (
    (verb === 'system' ||
      verb === 'volume' ||
      verb === 'image' ||
      verb === 'container' ||
      verb === 'network' ||
      verb === 'builder') &&
    rest.some((a) => ['prune', 'rm'].includes(a.value))
  ) {
    call.session.add(
      approval(
        'infra.docker_prune',
        `${call.name} ${verb} ${rest[0]?.value ?? ''} deletes containers, images or volumes.`,
      ),
    );
  } else if (verb === 'rm' && rest.some((a) => /^-[a-z]*f|--force|-v|--volumes/.test(a.value))) {
    call.session.add(approval('infra.docker_prune', `${call.name} rm -f removes running containers.`));
  } else if (verb === 'push') {
    call.session.add(approval('pkg.publish', `${call.name} push publishes an image.`));
  }
  return {};
}
