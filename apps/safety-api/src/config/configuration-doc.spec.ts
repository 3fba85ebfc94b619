import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONFIGURATION_DOC,
  configurationDoc,
  environmentVariables,
} from '../../../../scripts/generate-configuration-doc';

describe('docs/configuration.md', () => {
  it('is what `npm run docs:config` writes from environment.ts (run it after changing a variable)', () => {
    expect(readFileSync(CONFIGURATION_DOC, 'utf8')).toBe(configurationDoc());
  });

  it('says what every variable means', () => {
    expect(
      environmentVariables()
        .filter((variable) => !variable.description)
        .map((variable) => variable.name),
    ).toEqual([]);
  });

  it('lists every variable in .env.example too', () => {
    const example = readFileSync(join(__dirname, '../../../../.env.example'), 'utf8');
    const missing = environmentVariables().filter(({ name }) => !new RegExp(`^#? ?${name}=`, 'm').test(example));
    expect(missing.map((variable) => variable.name)).toEqual([]);
  });
});
