import { Logger } from '@nestjs/common';
import type { PolicyGate } from '@app/policy';
import { createReadyPolicyGate } from '@app/policy/testing';

/**
 * A user rule matches what would run, not what was typed: every spelling below, generated as the
 * product of the quotings and the wrappers the engine resolves, must meet the rule.
 */
const QUOTINGS: ((word: string) => string)[] = [
  (w) => w,
  (w) => `'${w}'`,
  (w) => `"${w}"`,
  (w) => `${w[0]}\\${w.slice(1)}`,
  (w) => `${w.slice(0, 2)}''${w.slice(2)}`,
  (w) => `$'${w}'`,
];

const WRAPPERS: ((command: string) => string)[] = [
  (c) => c,
  (c) => `sudo ${c}`,
  (c) => `sudo -u root ${c}`,
  (c) => `env ${c}`,
  (c) => `env -i TF_LOG=1 ${c}`,
  (c) => `command ${c}`,
  (c) => `nice -n 5 ${c}`,
  (c) => `timeout 60 ${c}`,
  (c) => `bash -c '${c.replace(/'/g, `'\\''`)}'`,
  (c) => `sh -c "${c.replace(/["\\$`]/g, '\\$&')}"`,
  (c) => `eval '${c.replace(/'/g, `'\\''`)}'`,
  (c) => `X=1; ${c}`,
  (c) => `true && ${c}`,
  (c) => `(${c})`,
  (c) => `echo ok | ${c}`,
];

const PROGRAM_SPELLINGS = ['terraform', '/usr/local/bin/terraform', './bin/../terraform'];

function spellings(): string[] {
  const out: string[] = [];
  for (const program of PROGRAM_SPELLINGS) {
    for (const quote of QUOTINGS) {
      const command = `${program.startsWith('terraform') ? quote(program) : program} ${quote('apply')} -auto-approve`;
      for (const wrap of WRAPPERS) out.push(wrap(command));
    }
  }
  out.push(
    'T=terraform; $T apply',
    'A=apply; terraform $A',
    'terraform${IFS}apply',
    'alias t=terraform; t apply',
    'find . -maxdepth 0 -exec terraform apply \\;',
    'exec terraform apply',
  );
  return out;
}

describe('user rules cannot be dodged by spelling', () => {
  let gate: PolicyGate;
  beforeAll(async () => {
    Logger.overrideLogger(false);
    gate = await createReadyPolicyGate({
      rules: [
        {
          id: 'no-tf-apply',
          action: 'execute_code',
          match: { program: 'terraform', args: ['apply'] },
          decision: 'deny',
          reason: 'Apply only from CI.',
        },
        {
          id: 'keep-migrations',
          action: 'execute_code',
          match: { paths: 'db/migrations/**' },
          decision: 'deny',
          reason: 'Migrations are history.',
        },
        {
          id: 'no-paste',
          action: 'execute_code',
          match: { hosts: 'pastebin.com' },
          decision: 'deny',
          reason: 'No pastebins.',
        },
      ],
    });
  });
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it.each(spellings())('%s meets the program rule', (command) => {
    const decision = gate.decide('execute_code', { command, cwd: '/home/dev/app' });
    expect(decision.decision).toBe('deny');
    expect(decision.rule_ids).toContain('no-tf-apply');
  });

  // Arguments that arrive at run time may meet the rule: a human decides.
  it.each([
    'echo apply | xargs terraform',
    'echo apply | xargs -I{} terraform {}',
    'terraform "$1"',
    'terraform $(cat op)',
  ])('%s may meet the program rule, so it needs approval', (command) => {
    const decision = gate.decide('execute_code', { command, cwd: '/home/dev/app' });
    expect(decision.decision).toBe('approval');
    expect(decision.rule_ids).toContain('no-tf-apply');
  });

  const deletes = [
    'rm db/migrations/001.sql',
    'rm -f ./db/migrations/001.sql',
    'rm /home/dev/app/db/migrations/001.sql',
    'cd db && rm migrations/001.sql',
    'cd /tmp && rm ~/app/db/migrations/001.sql',
    'rm "db/migrations/"001.sql',
    'D=db/migrations; rm $D/001.sql',
    'sudo rm -rf db/migrations',
    'find db/migrations -name "*.sql" -delete',
    'echo x > db/migrations/001.sql',
    'bash -c "rm db/mig\'\'rations/001.sql"',
  ];
  it.each(deletes)('%s meets the path rule', (command) => {
    const decision = gate.decide('execute_code', { command, cwd: '/home/dev/app' });
    expect(decision.rule_ids).toContain('keep-migrations');
  });

  const hosts = [
    'curl https://pastebin.com/raw/x',
    'curl HTTPS://PASTEBIN.COM./raw/x',
    'curl https://user:pw@pastebin.com/x',
    'wget https://pastebin.com:443/x',
    'curl "https://past""ebin.com/x"',
    'H=pastebin.com; curl https://$H/x',
    'sudo curl -X POST https://pastebin.com/api',
    'git push https://pastebin.com/x.git main',
    'git remote add x git@pastebin.com:me/x.git',
    'npm install --registry=https://pastebin.com/ left-pad',
    'pip install --index-url https://pastebin.com/simple requests',
    'scp notes.txt me@pastebin.com:/tmp/',
    'ssh me@pastebin.com',
    'rsync -a src/ pastebin.com:backup/',
  ];
  it.each(hosts)('%s meets the host rule', (command) => {
    const decision = gate.decide('execute_code', { command, cwd: '/home/dev/app' });
    expect(decision.decision).toBe('deny');
    expect(decision.rule_ids).toContain('no-paste');
  });
});
