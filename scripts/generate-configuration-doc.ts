/**
 * Writes docs/configuration.md: one table of every environment variable the service reads, from the
 * one class that reads them (apps/safety-api/src/config/environment.ts): names and JSDoc from its
 * source, defaults from an instance. A test fails when the committed file differs.
 *
 *   npm run docs:config
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { Environment } from '../apps/safety-api/src/config/environment';

const ROOT = join(__dirname, '..');
export const CONFIGURATION_DOC = join(ROOT, 'docs/configuration.md');
const SOURCE = join(ROOT, 'apps/safety-api/src/config/environment.ts');

export interface Variable {
  name: string;
  description: string;
  defaultValue: unknown;
}

/** The Environment class's properties, in source order, with their JSDoc. */
export function environmentVariables(): Variable[] {
  const source = ts.createSourceFile(SOURCE, readFileSync(SOURCE, 'utf8'), ts.ScriptTarget.Latest, true);
  const defaults = new Environment() as unknown as Record<string, unknown>;
  const variables: Variable[] = [];
  source.forEachChild((node) => {
    if (!ts.isClassDeclaration(node) || node.name?.text !== 'Environment') return;
    for (const member of node.members) {
      if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
      const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
      const text = docs.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '').join(' ');
      variables.push({
        name: member.name.text,
        description: text.replace(/\s+/g, ' ').trim(),
        defaultValue: defaults[member.name.text],
      });
    }
  });
  return variables;
}

export function configurationDoc(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = environmentVariables().map(
    ({ name, description, defaultValue }) =>
      `| \`${name}\` | ${defaultValue === undefined ? '–' : `\`${String(defaultValue)}\``} | ${cell(description)} |`,
  );
  return [
    '# Configuration',
    '',
    'Every environment variable the service reads, validated once at boot: a bad value stops the process',
    'with one message naming each bad variable (never its value). Generated from',
    '`apps/safety-api/src/config/environment.ts` by `npm run docs:config`; a test fails when this file',
    'and the code disagree. `.env.example` shows them with comments.',
    '',
    '| Variable | Default | Meaning |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (require.main === module) {
  writeFileSync(CONFIGURATION_DOC, configurationDoc());
  process.stdout.write(`wrote ${CONFIGURATION_DOC}\n`);
}
