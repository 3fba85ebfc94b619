import { approval, deny } from '../finding';
import { optionValue, optionValues, positionals } from '../shell/arg-utils';
import type { CommandCall } from '../shell/shell-session';
import type { CommandEffects } from './rule.types';
import { executableSql } from './sql-text';

/** Where each database client takes inline statements. */
const INLINE_OPTIONS: Record<string, string[]> = {
  psql: ['-c', '--command'],
  mysql: ['-e', '--execute'],
  mariadb: ['-e', '--execute'],
  mongosh: ['--eval'],
  mongo: ['--eval'],
  'clickhouse-client': ['-q', '--query'],
  sqlcmd: ['-Q', '-q'],
  cqlsh: ['-e', '--execute'],
  cockroach: ['-e', '--execute'],
  duckdb: ['-c'],
};

export const DATABASE_CLIENTS = new Set([
  ...Object.keys(INLINE_OPTIONS),
  'sqlite3',
  'redis-cli',
  'pg_dump',
  'dropdb',
  'dropuser',
  'mysqladmin',
]);

const DESTRUCTIVE_SQL: { pattern: RegExp; what: string }[] = [
  {
    pattern:
      /\bDROP\s+(TABLE|DATABASE|SCHEMA|VIEW|INDEX|USER|ROLE|COLLECTION|KEYSPACE|MATERIALIZED\s+VIEW|FUNCTION|TRIGGER|SEQUENCE|TYPE|OWNED)\b/,
    what: 'DROP',
  },
  { pattern: /\bTRUNCATE\b/, what: 'TRUNCATE' },
  { pattern: /\bALTER\s+TABLE\b[^;]*\bDROP\b/, what: 'ALTER TABLE ... DROP' },
  {
    pattern:
      /\bDROPDATABASE\s*\(|\.DROP\s*\(\s*\)|\bDELETEMANY\s*\(\s*\{\s*\}\s*\)|\.REMOVE\s*\(\s*\{\s*\}\s*\)|\bDROPALLUSERS\b/,
    what: 'a collection/database drop',
  },
  { pattern: /^\s*(FLUSHALL|FLUSHDB)\b/, what: 'FLUSHALL/FLUSHDB' },
];

/** What is destructive in these statements (empty when nothing is). */
export function destructiveSql(sql: string): string[] {
  const found: string[] = [];
  const statements = [...executableSql(sql, ' ').split(';'), ...executableSql(sql, '').split(';')];
  for (const statement of statements) {
    for (const { pattern, what } of DESTRUCTIVE_SQL) if (pattern.test(statement)) found.push(what);
    if (/\bDELETE\s+FROM\b/.test(statement) && !hasEffectiveWhere(statement)) found.push('DELETE without WHERE');
    if (/\bUPDATE\s+\S+\s+SET\b/.test(statement) && !hasEffectiveWhere(statement)) found.push('UPDATE without WHERE');
  }
  return [...new Set(found)];
}

function hasEffectiveWhere(statement: string): boolean {
  const where = /\bWHERE\b(.*)$/.exec(statement);
  if (!where) return false;
  // Literals are emptied by executableSql: `'1' = '1'` reads `'' = ''`.
  return !/^\s*(1\s*=\s*1|TRUE|''\s*=\s*''|1)\s*($|;|\bOR\b|\bLIMIT\b)/.test(where[1]);
}

export function databaseRule(call: CommandCall): CommandEffects {
  const texts: string[] = [];
  const inline = INLINE_OPTIONS[call.name];
  if (inline) texts.push(...optionValues(call.args, inline).map((a) => a.value));
  if (inline) {
    const attached = optionValue(call.args, inline);
    if (attached && !texts.includes(attached.value)) texts.push(attached.value);
  }
  if (call.name === 'sqlite3' || call.name === 'duckdb')
    texts.push(
      ...positionals(call.args, ['-cmd', '-separator'])
        .slice(1)
        .map((a) => a.value),
    );
  if (call.name === 'sqlite3') texts.push(...optionValues(call.args, ['-cmd']).map((a) => a.value));
  if (call.name === 'redis-cli')
    texts.push(
      positionals(call.args, ['-h', '-p', '-a', '-n', '-u', '--user', '--pass'])
        .map((a) => a.value)
        .join(' '),
    );
  if (call.stdin.kind === 'text') texts.push(call.stdin.text);
  const production = isProductionDatabase(call);
  if (
    ['dropdb', 'dropuser'].includes(call.name) ||
    (call.name === 'mysqladmin' && call.args.some((a) => a.value === 'drop'))
  ) {
    texts.push('DROP DATABASE x');
  }
  const found = texts.flatMap(destructiveSql);
  if (found.length > 0) {
    const what = [...new Set(found)].join(', ');
    call.session.add(
      production
        ? deny('sql.destructive_production', `Destructive pattern: ${what} against a production database.`, 'critical')
        : approval(
            'sql.destructive',
            `Destructive SQL (${what}) needs approval${production === undefined ? ' (database environment unknown)' : ''}.`,
            'high',
          ),
    );
  } else if (
    production &&
    texts.some((t) =>
      /\b(INSERT|UPDATE|DELETE|ALTER|CREATE|GRANT|REVOKE|MERGE|UPSERT|REPLACE)\b/i.test(executableSql(t)),
    )
  ) {
    call.session.add(approval('sql.write_production', 'Writes to a production database need approval.', 'high'));
  }
  if (call.stdin.kind === 'stream' && production !== false) {
    call.session.add(
      approval('sql.unknown_statements', `${call.name} runs statements from a stream whose content is unknown.`),
    );
  }
  return {};
}

/** true: production; false: known non-production; undefined: unknown. */
function isProductionDatabase(call: CommandCall): boolean | undefined {
  const { dbEnvironment, environment, isProduction } = call.session.options;
  const declared = dbEnvironment ?? environment;
  if (declared !== undefined) return isProduction(declared);
  const hints = call.args.map((a) => a.value).filter((v) => /[a-z]/i.test(v));
  if (hints.some((hint) => isProduction(hint.replace(/^-+[a-z-]*=?/i, '')))) return true;
  return undefined;
}
