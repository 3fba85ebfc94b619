import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redactor } from './redactor';

interface Entry {
  kind: string;
  text: string;
  secrets: string[];
}

const corpus: Entry[] = readFileSync(join(__dirname, '../corpus/redaction-corpus.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Entry);
const positives = corpus.filter((e) => e.secrets.length > 0);
const negatives = corpus.filter((e) => e.secrets.length === 0);
const redactor = new Redactor();

describe('redaction corpus', () => {
  it('has at least 300 lines, a third of them negatives', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(negatives.length * 3).toBeGreaterThanOrEqual(corpus.length);
  });

  it.each(positives.map((e) => [e.kind, e.text, e]))('%s: removes every secret from %j', (_kind, _text, entry) => {
    const { text, secrets, kind } = entry as Entry;
    const out = redactor.redact(text);
    for (const secret of secrets) expect(out).not.toContain(secret);
    expect(out).toContain(`[REDACTED:${kind}]`);
    expect(redactor.redact(out)).toBe(out);
  });

  it.each(negatives.map((e) => [e.text]))('leaves %j untouched', (text) => {
    expect(redactor.findSecrets(text)).toEqual([]);
  });
});
