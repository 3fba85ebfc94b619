import { Logger } from '@nestjs/common';
import { parsePolicyLayer, PolicyError, PolicyGate, type PolicyLayer, type PolicyOptions } from '@app/policy';
import { createReadyPolicyGate } from '@app/policy/testing';

/**
 * One test per sentence of the combination semantics written in docs/policy-as-data.md
 * ("How rules combine"); the headings below quote them.
 */
const APP = { cwd: '/home/dev/app' };
const exec = (command: string, extra: Record<string, unknown> = {}) => ({ command, ...APP, ...extra });

async function gateWith(options: PolicyOptions): Promise<PolicyGate> {
  return createReadyPolicyGate(options);
}

function layer(yaml: string, source = 'tenant.yaml'): PolicyLayer {
  return parsePolicyLayer(yaml, source);
}

describe('policy as data', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  describe('the strictest decision wins (deny > approval > allow) across built-in and user rules', () => {
    it('a user deny beats a built-in allow', async () => {
      const gate = await gateWith({
        rules: [
          {
            id: 'no-make-deploy',
            action: 'execute_code',
            match: { command: 'make deploy*' },
            decision: 'deny',
            reason: 'Deploy through CI.',
          },
        ],
      });
      expect(gate.decide('execute_code', exec('make build')).decision).toBe('allow');
      const decision = gate.decide('execute_code', exec('make deploy'));
      expect(decision).toMatchObject({ decision: 'deny', rule_ids: ['no-make-deploy'], reason: 'Deploy through CI.' });
    });

    it('a user approval beats a built-in allow', async () => {
      const gate = await gateWith({
        rules: [
          {
            id: 'tf-plan-approval',
            action: 'execute_code',
            match: { program: 'terraform', args: ['plan'] },
            decision: 'approval',
            reason: 'Ask first.',
          },
        ],
      });
      expect(gate.decide('execute_code', exec('terraform plan -out x')).decision).toBe('approval');
    });

    it('a built-in deny beats a user allow, even one that relaxes', async () => {
      const gate = await gateWith({
        rules: [
          {
            id: 'rm-ok',
            action: 'execute_code',
            match: { program: 'rm' },
            decision: 'allow',
            relax: true,
            reason: 'We trust rm.',
          },
        ],
      });
      const decision = gate.decide('execute_code', exec('rm -rf /'));
      expect(decision.decision).toBe('deny');
      expect(decision.rule_ids).not.toContain('rm-ok');
    });

    it('a user allow without relax does not lower a built-in approval', async () => {
      const gate = await gateWith({
        rules: [
          { id: 'tf-ok', action: 'execute_code', match: { program: 'terraform' }, decision: 'allow', reason: 'ok' },
        ],
      });
      const decision = gate.decide('execute_code', exec('terraform apply'));
      expect(decision.decision).toBe('approval');
      expect(decision.rule_ids).toEqual(['infra.apply']);
    });

    it('a user deny beats a user allow that matches the same command', async () => {
      const gate = await gateWith({
        rules: [
          {
            id: 'git-ok',
            action: 'execute_code',
            match: { program: 'git' },
            decision: 'allow',
            relax: true,
            reason: 'ok',
          },
          {
            id: 'no-git-gc',
            action: 'execute_code',
            match: { program: 'git', args: ['gc'] },
            decision: 'deny',
            reason: 'no',
          },
        ],
      });
      expect(gate.decide('execute_code', exec('git gc --prune=now')).rule_ids).toEqual(['no-git-gc']);
    });
  });

  describe('a user allow with relax: true lifts the built-in approvals raised by the command it matched', () => {
    const relaxForcePush: PolicyOptions = {
      rules: [
        {
          id: 'force-push-feature-branches',
          action: 'execute_code',
          match: { program: 'git', args: ['push', '--force*', 'origin', 'feat*'], cwd: '/home/dev/app/**' },
          decision: 'allow',
          relax: true,
          reason: 'Feature branches of this repo are rebased routinely.',
        },
      ],
    };

    it('lifts them for the matched command, and only where the rule says', async () => {
      const plain = await createReadyPolicyGate();
      expect(plain.decide('execute_code', exec('git push --force origin feat-1')).decision).toBe('approval');
      const gate = await gateWith(relaxForcePush);
      expect(gate.decide('execute_code', exec('git push --force origin feat-1'))).toMatchObject({
        decision: 'allow',
        rule_ids: ['force-push-feature-branches'],
      });
      expect(gate.decide('execute_code', exec('cd src && git push --force origin feat-1')).decision).toBe('allow');
      expect(
        gate.decide('execute_code', { command: 'git push --force origin feat-1', cwd: '/home/dev/other' }).decision,
      ).toBe('approval');
      expect(gate.decide('execute_code', exec('git push --force origin main')).decision).not.toBe('allow');
    });

    it('does not lift the approvals of other commands on the same line', async () => {
      const gate = await gateWith(relaxForcePush);
      const decision = gate.decide('execute_code', exec('git push --force origin feat-1 && terraform apply'));
      expect(decision.decision).toBe('approval');
      expect(decision.rule_ids).toEqual(['infra.apply']);
    });

    it('never lifts the approvals that say the engine could not see what runs', async () => {
      const gate = await gateWith({
        rules: [
          {
            id: 'bash-ok',
            action: 'execute_code',
            match: { program: 'bash' },
            decision: 'allow',
            relax: true,
            reason: 'ok',
          },
        ],
      });
      const decision = gate.decide('execute_code', exec('bash -c "$(echo cm0gLXJmIH4= | base64 -d)"'));
      expect(decision.decision).not.toBe('allow');
    });

    it('is refused on a rule whose decision is not allow', () => {
      expect(() =>
        layer(
          'rules:\n  - id: x\n    action: deploy\n    match: { environments: qa }\n    decision: deny\n    reason: r\n    relax: true\n',
        ),
      ).toThrow(/line 7: key "rules\[0\]\.relax" is only meaningful with decision: allow/);
    });
  });

  describe('built-in rules have stable ids; switchable ones can be switched off by id', () => {
    it('switches off a switchable rule', async () => {
      const gate = await gateWith({ disable_rules: ['git.force_push'] });
      expect(gate.decide('execute_code', exec('git push --force origin feature')).decision).toBe('allow');
    });

    it('refuses a rule that can deny, or an unknown id, naming the line', () => {
      for (const id of ['fs.delete_root', 'shell.unparseable', 'nope.nothing']) {
        expect(() => layer(`disable_rules:\n  - ${id}\n`)).toThrow(/line 2: key "disable_rules\[0\]"/);
      }
    });
  });

  describe('a tenant overlay: settings replace the global ones, rules and disable_rules add to them', () => {
    const global = layer(
      [
        'network:',
        '  loopback_ports: [3000]',
        'rules:',
        '  - id: no-kubectl-delete-ns',
        '    action: execute_code',
        '    match: { program: kubectl, args: [delete, "ns*"] }',
        '    decision: deny',
        '    reason: Namespaces are managed by the platform team.',
      ].join('\n'),
      'global.yaml',
    );

    it('keeps the global rules, adds the tenant ones, and names each rule with its file and line', async () => {
      const gate = await createReadyPolicyGate();
      gate.install({
        global: [global],
        tenants: {
          acme: layer(
            'network:\n  extend_default_allowlist: true\nrules:\n  - id: tf-apply\n    action: execute_code\n    match: { command: "terraform apply*" }\n    decision: approval\n    reason: Terraform apply needs a human.\n',
            'acme.yaml',
          ),
        },
      });
      const ns = gate.decide('execute_code', exec('kubectl delete ns payments'), { tenant: 'acme' });
      expect(ns.matched_rules).toContainEqual({
        id: 'no-kubectl-delete-ns',
        source: 'user',
        file: 'global.yaml',
        line: 4,
      });
      expect(ns.matched_rules).toContainEqual({ id: 'infra.kubectl_delete_broad', source: 'builtin' });
      const tf = gate.decide('execute_code', exec('terraform apply -auto-approve'), { tenant: 'acme' });
      expect(tf.matched_rules).toContainEqual({ id: 'tf-apply', source: 'user', file: 'acme.yaml', line: 4 });
      expect(gate.decide('execute_code', exec('terraform plan'), { tenant: 'acme' }).decision).toBe('allow');
      // Another tenant gets the global policy only.
      expect(gate.decide('execute_code', exec('kubectl delete ns x'), { tenant: 'other' }).decision).toBe('deny');
      expect(gate.effectivePolicy('acme').settings.network.loopback_ports).toEqual([3000]);
      expect(gate.effectivePolicy('acme').version).not.toBe(gate.effectivePolicy('other').version);
    });

    it('refuses a tenant rule id the global policy already defines, and the tenant keeps its policy', async () => {
      const gate = await createReadyPolicyGate();
      const good = layer('disable_rules: [git.force_push]\n', 'acme.yaml');
      gate.install({ global: [global], tenants: { acme: good } });
      const before = gate.effectivePolicy('acme').version;
      const clash = layer(
        'rules:\n  - id: no-kubectl-delete-ns\n    action: deploy\n    match: { environments: qa }\n    decision: deny\n    reason: r\n',
        'acme.yaml',
      );
      const result = gate.install({ global: [global], tenants: { acme: clash } });
      expect(result.failed).toHaveLength(1);
      expect(result.failed[0].error.message).toMatch(
        /acme\.yaml: line 2: rule id "no-kubectl-delete-ns" is already defined in global\.yaml/,
      );
      expect(gate.effectivePolicy('acme').version).toBe(before);
    });
  });

  describe('every decision carries policy_version; a new policy gets a new version and a fresh cache', () => {
    it('changes decisions and version on install, with nothing cached from before', async () => {
      const gate = await createReadyPolicyGate();
      const first = gate.decide('execute_code', exec('make deploy'), { tenant: 'acme' });
      expect(first.decision).toBe('allow');
      gate.install({
        global: [layer('{}', 'global.yaml')],
        tenants: {
          acme: layer(
            'rules:\n  - { id: no-make-deploy, action: execute_code, match: { command: "make deploy" }, decision: deny, reason: CI only }\n',
            'acme.yaml',
          ),
        },
      });
      const second = gate.decide('execute_code', exec('make deploy'), { tenant: 'acme' });
      expect(second.decision).toBe('deny');
      expect(second.policy_version).not.toBe(first.policy_version);
    });
  });

  describe('matches per action', () => {
    it('delete_files and the files a command writes or deletes, by path glob after workspace resolution', async () => {
      const gate = await gateWith({
        rules: [
          {
            id: 'keep-migrations',
            action: 'delete_files',
            match: { paths: 'migrations/**' },
            decision: 'deny',
            reason: 'history',
          },
          { id: 'no-pem-writes', action: 'execute_code', match: { paths: '*.pem' }, decision: 'deny', reason: 'keys' },
        ],
      });
      expect(
        gate.decide('delete_files', { path: '/home/dev/app/migrations/001.sql', workspace: '/home/dev/app' }).decision,
      ).toBe('deny');
      expect(gate.decide('delete_files', { path: 'migrations', workspace: '/home/dev/app' }).decision).toBe('deny');
      expect(gate.decide('delete_files', { path: 'src/a.ts', workspace: '/home/dev/app' }).decision).toBe('allow');
      expect(gate.decide('execute_code', exec('echo x > certs/server.pem')).rule_ids).toEqual(['no-pem-writes']);
      expect(gate.decide('execute_code', exec('cd certs && rm ./server.pem')).rule_ids).toEqual(['no-pem-writes']);
    });

    it('network_access and the hosts commands reach, with methods', async () => {
      const gate = await gateWith({
        network: { allowlist: ['npm.corp.example'] },
        rules: [
          {
            id: 'mirror-publish',
            action: 'network_access',
            match: { hosts: 'npm.corp.example', methods: ['PUT'] },
            decision: 'allow',
            relax: true,
            reason: 'Publishing to the company mirror.',
          },
          {
            id: 'no-paste',
            action: 'execute_code',
            match: { hosts: '*.pastebin.com' },
            decision: 'deny',
            reason: 'No pastebins.',
          },
        ],
      });
      expect(gate.decide('network_access', { url: 'https://npm.corp.example/x', method: 'PUT' }).rule_ids).toEqual([
        'mirror-publish',
      ]);
      expect(gate.decide('network_access', { url: 'https://npm.corp.example/x', method: 'POST' }).rule_ids).toEqual([
        'net.write_method',
      ]);
      expect(gate.decide('execute_code', exec('curl https://eu.pastebin.com/raw/x')).rule_ids).toEqual(['no-paste']);
      expect(gate.decide('execute_code', exec('curl https://EU.PASTEBIN.COM./raw/x')).rule_ids).toEqual(['no-paste']);
      expect(gate.decide('execute_code', exec('wget -q -O- http://user@eu.pastebin.com/x')).decision).toBe('deny');
    });

    it('cannot lift a built-in deny of a host off the allowlist (the allowlist is the setting for that)', async () => {
      const gate = await gateWith({
        rules: [
          {
            id: 'any-host',
            action: 'network_access',
            match: { hosts: '*.example.net' },
            decision: 'allow',
            relax: true,
            reason: 'no',
          },
        ],
      });
      expect(gate.decide('network_access', { url: 'https://a.example.net/' }).decision).toBe('deny');
    });

    it('deploy environments and create_billing amounts', async () => {
      const gate = await gateWith({
        rules: [
          { id: 'qa-ok', action: 'deploy', match: { environments: 'qa-*' }, decision: 'deny', reason: 'qa frozen' },
          {
            id: 'small',
            action: 'create_billing',
            match: { amount_usd: { max: 5 } },
            decision: 'allow',
            relax: true,
            reason: 'small',
          },
          {
            id: 'huge',
            action: 'create_billing',
            match: { amount_usd: { min: 10000 } },
            decision: 'deny',
            reason: 'huge',
          },
        ],
      });
      expect(gate.decide('deploy', { environment: 'QA-EU' }).rule_ids).toEqual(['qa-ok']);
      expect(gate.decide('create_billing', { amount_usd: 5 }).decision).toBe('allow');
      expect(gate.decide('create_billing', { amount_usd: 50 }).decision).toBe('approval');
      expect(gate.decide('create_billing', { amount_usd: 20000 }).rule_ids).toEqual(['huge']);
    });
  });

  describe('the policy file is validated by its JSON Schema, with lines', () => {
    it('names the key and line of each problem', () => {
      let error: PolicyError | undefined;
      try {
        layer(
          'rules:\n  - id: a\n    action: execute_code\n    match: { program: 5 }\n    decision: maybe\n    reason: r\n',
        );
      } catch (caught) {
        error = caught as PolicyError;
      }
      expect(error?.code).toBe('POLICY_FILE_INVALID');
      const problems = error?.extensions.errors as { key: string; line: number }[];
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: 'rules[0].match.program', line: 4 }),
          expect.objectContaining({ key: 'rules[0].decision', line: 5 }),
        ]),
      );
    });

    it('points an unknown key at its own line, and refuses ids of the built-in families', () => {
      expect(() =>
        layer(
          'rules:\n  - id: a\n    action: deploy\n    match:\n      environment: qa\n    decision: deny\n    reason: r\n',
        ),
      ).toThrow(/line 5: key "rules\[0\]\.match\.environment" is not a known key/);
      expect(() =>
        layer('rules:\n  - { id: fs.mine, action: deploy, match: { environments: qa }, decision: deny, reason: r }\n'),
      ).toThrow(/rules\[0\]\.id/);
    });
  });
});
