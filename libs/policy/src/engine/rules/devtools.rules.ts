import { approval } from '../finding';
import { hasFlag, optionValue, positionals } from '../shell/arg-utils';
import type { CommandCall } from '../shell/shell-session';
import type { CommandEffects } from './rule.types';

/**
 * Developer tools whose everyday-looking subcommands destroy data or go live: ORM and migration
 * resets, volume deletes, deploy CLIs. Each is approval: the tool does what it says, but what it
 * says is irreversible.
 */

type Verbs = (verbs: string[], call: CommandCall) => boolean;

/** Migration and ORM commands that drop, reset, wipe or roll back a database, by program. */
const SCHEMA_RESETS: Record<string, Verbs> = {
  prisma: ([a, b], call) =>
    (a === 'migrate' && b === 'reset') ||
    (a === 'db' && b === 'push' && call.args.some((x) => ['--force-reset', '--accept-data-loss'].includes(x.value))),
  rails: ([a]) => RAILS_DESTRUCTIVE.test(a ?? ''),
  rake: ([a]) => RAILS_DESTRUCTIVE.test(a ?? ''),
  alembic: ([a]) => a === 'downgrade',
  knex: ([a]) => a === 'migrate:rollback' || a === 'migrate:down',
  sequelize: ([a]) => /^db:(?:drop|migrate:undo(?::all)?|seed:undo(?::all)?)$/.test(a ?? ''),
  'sequelize-cli': ([a]) => /^db:(?:drop|migrate:undo(?::all)?|seed:undo(?::all)?)$/.test(a ?? ''),
  typeorm: ([a]) => a === 'schema:drop' || a === 'migration:revert',
  'drizzle-kit': ([a], call) => a === 'drop' || (a === 'push' && hasFlag(call.args, '', ['--force'])),
  supabase: ([a, b]) => a === 'db' && b === 'reset',
  flyway: ([a]) => a === 'clean' || a === 'undo',
  liquibase: ([a]) => /^(?:drop-all|dropAll|rollback.*)$/.test(a ?? ''),
  dbmate: ([a]) => a === 'drop' || a === 'rollback' || a === 'down',
  goose: (verbs) => verbs.some((v) => v === 'reset' || v === 'down' || v === 'down-to'),
  migrate: (verbs) => verbs.some((v) => v === 'drop' || v === 'down'),
  mix: ([a]) => /^ecto\.(?:drop|reset|rollback)$/.test(a ?? ''),
  'django-admin': ([a], call) => djangoDestructive(a, call),
  artisan: ([a]) => ARTISAN_DESTRUCTIVE.test(a ?? ''),
};
const RAILS_DESTRUCTIVE =
  /^db:(?:drop(?::all)?|reset|purge(?::all)?|schema:load|structure:load|migrate:reset|rollback|truncate_all|seed:replant)$/;
const ARTISAN_DESTRUCTIVE = /^(?:migrate:(?:fresh|reset|rollback|refresh)|db:wipe)$/;

function djangoDestructive(command: string | undefined, call: CommandCall): boolean {
  if (command === 'flush' || command === 'reset_db' || command === 'sqlflush') return true;
  // `migrate <app> zero` unapplies every migration of the app.
  return command === 'migrate' && positionals(call.args).some((a) => a.value === 'zero');
}

export function schemaResetRule(call: CommandCall): CommandEffects {
  const judge = SCHEMA_RESETS[call.name];
  const verbs = positionals(call.args, ['--schema', '-e', '--env', '--config', '-c', '--app']).map((a) => a.value);
  if (judge?.(verbs, call)) {
    call.session.add(
      approval(
        'sql.schema_reset',
        `${call.name} ${verbs.slice(0, 2).join(' ')} drops, resets or rolls back database data.`,
        'high',
      ),
    );
  }
  return {};
}

/** `python manage.py flush`, `php artisan migrate:fresh`: the framework's own command runner. */
export function frameworkScriptReset(call: CommandCall): void {
  const operands = positionals(call.args, ['-m', '-c', '-W', '-X']).map((a) => a.value);
  const script = operands[0]?.split('/').pop();
  if (script === 'manage.py' && djangoDestructive(operands[1], { ...call, args: call.args.slice(1) })) {
    call.session.add(approval('sql.schema_reset', `manage.py ${operands[1]} deletes database data.`, 'high'));
  }
  if (script === 'artisan' && ARTISAN_DESTRUCTIVE.test(operands[1] ?? '')) {
    call.session.add(
      approval('sql.schema_reset', `artisan ${operands[1]} drops or rolls back database tables.`, 'high'),
    );
  }
}

export const SCHEMA_RESET_PROGRAMS = Object.keys(SCHEMA_RESETS);

/** `docker compose down -v`, `docker-compose down --volumes`: the project's named volumes go with it. */
export function composeVolumesRule(call: CommandCall): CommandEffects {
  const args =
    call.name === 'docker' ? call.args.slice(call.args.findIndex((a) => a.value === 'compose') + 1) : call.args;
  if (call.name === 'docker' && !call.args.some((a) => a.value === 'compose')) return {};
  const verb = positionals(args, [
    '-f',
    '--file',
    '-p',
    '--project-name',
    '--profile',
    '--env-file',
    '--project-directory',
  ])[0]?.value;
  if (verb === 'down' && hasFlag(args, 'v', ['--volumes'])) {
    call.session.add(
      approval(
        'infra.volume_delete',
        `${call.name} compose down -v deletes the project's volumes (their data).`,
        'high',
      ),
    );
  }
  if (verb === 'rm' && hasFlag(args, 'v', ['--volumes'])) {
    call.session.add(approval('infra.volume_delete', `${call.name} compose rm -v deletes anonymous volumes.`));
  }
  return {};
}

/** `aws s3 sync … --delete`: every object missing locally is deleted from the bucket. */
export function s3SyncDeleteRule(call: CommandCall): CommandEffects {
  const verbs = positionals(call.args, [
    '--profile',
    '--region',
    '--exclude',
    '--include',
    '--acl',
    '--endpoint-url',
  ]).map((a) => a.value);
  if (verbs[0] === 's3' && verbs[1] === 'sync' && call.args.some((a) => a.value === '--delete')) {
    call.session.add(
      approval('infra.cloud_delete', 'aws s3 sync --delete deletes every object the source does not have.', 'high'),
    );
  }
  return {};
}

/**
 * Deploy CLIs. Platforms without environments (fly, firebase, wrangler, amplify, kamal) deploy to
 * what users see; serverless and Elastic Beanstalk by the stage or environment they name.
 */
export function deployCliRule(call: CommandCall): CommandEffects {
  const verbs = positionals(call.args, [
    '--stage',
    '-s',
    '--app',
    '-a',
    '--config',
    '-c',
    '--project',
    '-P',
    '--env',
    '-e',
    '--region',
    '-r',
  ]).map((a) => a.value);
  const isProduction = call.session.options.isProduction;
  let live = false;
  switch (call.name) {
    case 'fly':
    case 'flyctl':
      live = verbs[0] === 'deploy';
      break;
    case 'firebase':
      live = verbs[0] === 'deploy';
      break;
    case 'wrangler':
      live = verbs[0] === 'deploy' || verbs[0] === 'publish';
      break;
    case 'amplify':
      live = verbs[0] === 'publish' || verbs[0] === 'push';
      break;
    case 'kamal':
      live = verbs[0] === 'deploy' || verbs[0] === 'redeploy';
      break;
    case 'serverless':
    case 'sls':
      live =
        verbs[0] === 'deploy' &&
        isProduction(optionValue(call.args, ['--stage', '-s'])?.value ?? call.session.options.environment);
      break;
    case 'eb':
      live = verbs[0] === 'deploy' && isProduction(verbs[1] ?? call.session.options.environment);
      break;
    case 'cap':
      live = isProduction(verbs[0]) && verbs.includes('deploy');
      break;
  }
  if (live) {
    call.session.add(
      approval('deploy.cli_production', `${call.name} ${verbs.slice(0, 2).join(' ')} deploys to production.`, 'high'),
    );
  }
  return {};
}

export const DEPLOY_CLIS = [
  'fly',
  'flyctl',
  'firebase',
  'wrangler',
  'amplify',
  'kamal',
  'serverless',
  'sls',
  'eb',
  'cap',
];
