import type { Candidate } from '../engine/candidate';
import { findKeyVaultSecretValues } from './key-vault-secrets';

const SECRET = 'Zq9#vL2mPx7!rT4k';
const spans = (text: string) => {
  const out: Candidate[] = [];
  findKeyVaultSecretValues(text, out, 0);
  return out.map((candidate) => text.slice(candidate.start, candidate.end));
};

describe('findKeyVaultSecretValues', () => {
  it('finds the value of a vault secret whatever the order of its members and however it is printed', () => {
    // `az keyvault secret show` (members sorted, attributes first), pretty-printed.
    const az = `{\n  "attributes": {\n    "enabled": true,\n    "updated": "2026-11-30T10:00:00+00:00"\n  },\n  "contentType": null,\n  "id": "https://kv-prod.vault.azure.net/secrets/db-password/0f1e2d3c4b5a69788796a5b4c3d2e1f0",\n  "name": "db-password",\n  "tags": {\n    "owner": "ops"\n  },\n  "value": "${SECRET}"\n}`;
    // The REST API: value first, on one line.
    const rest = `{"value":"${SECRET}","id":"https://kv.vault.azure.net/secrets/api/1","attributes":{"enabled":true}}`;
    // An escaped quote inside the value.
    const escaped = `{"id":"https://kv.vault.azure.net/secrets/x/1","value":"ab\\"${SECRET}"}`;
    expect(spans(az)).toEqual([SECRET]);
    expect(spans(rest)).toEqual([SECRET]);
    expect(spans(escaped)).toEqual([`ab\\"${SECRET}`]);
    expect(spans(`[${rest},${rest}]`)).toEqual([SECRET, SECRET]);
  });

  it("leaves a list of secrets' ids alone, and a value that is not the vault object's own", () => {
    expect(
      spans(`[{"id":"https://kv.vault.azure.net/secrets/a","name":"a"},{"id":"https://kv.vault.azure.net/secrets/b"}]`),
    ).toEqual([]);
    expect(spans(`{"id":"https://kv.vault.azure.net/secrets/a","tags":{"value":"not-it"}}`)).toEqual([]);
    expect(spans(`{"value":"x","id":"https://example.com/secrets/a"}`)).toEqual([]);
  });

  it('stays linear on hostile text', () => {
    const unit = [
      '.vault.azure.net/secrets/',
      '{.vault.azure.net/secrets/',
      '}.vault.azure.net/secrets/{',
      '{"a":".vault.azure.net/secrets/',
    ];
    for (const piece of unit) {
      const text = piece.repeat(Math.ceil(1_000_000 / piece.length));
      const started = process.hrtime.bigint();
      spans(text);
      // Linear reads take a few ms; a quadratic one (each occurrence reading kilobytes) took seconds.
      expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
    }
  });
});
