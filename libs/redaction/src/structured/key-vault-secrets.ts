import type { Candidate } from '../engine/candidate';

/** What names a secret of Azure Key Vault in its JSON: the `id` (or `kid`) URL of the secret. */
const VAULT_SECRET_URL = '.vault.azure.net/secrets/';
/** How far back the object holding a secret's URL may open, and how far it is read (a secret is at most 25 KB). */
export const KEY_VAULT_BACK_REACH = 4 * 1024;
const FORWARD_REACH = 32 * 1024;

/**
 * The `value` of a Key Vault secret as `az keyvault secret show`, the REST API and the SDKs' JSON print it:
 * `{"id": "https://kv.vault.azure.net/secrets/db/…", …, "value": "…"}`, members in any order. The member
 * is called `value` whatever the secret holds, so only the object naming a vault secret tells it apart.
 * Linear: text read forward from an object's `{` is not read again, and a backward search that found no
 * object is not repeated below where it started.
 */
export function findKeyVaultSecretValues(text: string, out: Candidate[], priority: number): void {
  let readUntil = 0;
  let searchedDownTo = 0;
  for (let at = text.indexOf(VAULT_SECRET_URL); at !== -1; at = text.indexOf(VAULT_SECRET_URL, at + 1)) {
    if (at < readUntil) continue;
    const open = objectStart(text, at, Math.max(at - KEY_VAULT_BACK_REACH, searchedDownTo, readUntil));
    if (open === -1) {
      searchedDownTo = at;
      continue;
    }
    const object = readObject(text, open);
    readUntil = Math.max(object.stop, at + 1);
    if (object.value) out.push({ name: 'GENERIC_SECRET', ...object.value, confidence: 'high', priority });
  }
}

/**
 * The `{` of the object around `at`: the nearest one before it whose braces between balance, not below
 * `floor`; -1 if none. (A search that fails from one point fails from any later one down to that point:
 * every `{` it passed was closed before it.)
 */
function objectStart(text: string, at: number, floor: number): number {
  let depth = 0;
  for (let i = at - 1; i >= floor; i--) {
    const ch = text.charCodeAt(i);
    if (ch === 0x7d) depth++;
    else if (ch === 0x7b) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * Reads the object opening at `open` as JSON (strings with their escapes, nested objects and arrays):
 * the span of its own `"value"` member's string, if any, and where reading stopped (the object's end,
 * a string left open, or the reach).
 */
function readObject(text: string, open: number): { value?: { start: number; end: number }; stop: number } {
  const ceiling = Math.min(text.length, open + FORWARD_REACH);
  let depth = 0;
  let value: { start: number; end: number } | undefined;
  let key = '';
  let afterColon = false;
  for (let i = open; i < ceiling; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) {
      const close = stringEnd(text, i, ceiling);
      if (close === -1) return { stop: i + 1 };
      if (depth === 1 && afterColon) {
        if (key === 'value' && close > i + 1) value = { start: i + 1, end: close };
        afterColon = false;
      } else if (depth === 1) key = close - i - 1 === 5 ? text.slice(i + 1, close) : '';
      i = close;
    } else if (depth === 1 && ch === 0x3a) afterColon = true;
    else if (depth === 1 && ch === 0x2c) afterColon = false;
    else if (ch === 0x7b || ch === 0x5b) {
      depth++;
      afterColon = false;
    } else if (ch === 0x7d || ch === 0x5d) {
      depth--;
      if (depth === 0) return { value, stop: i + 1 };
    }
  }
  return { stop: ceiling };
}

/** Index of the quote closing the JSON string opening at `open`, or -1 within `ceiling` (or at a line break). */
function stringEnd(text: string, open: number, ceiling: number): number {
  for (let i = open + 1; i < ceiling; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5c) i++;
    else if (ch === 0x22) return i;
    else if (ch === 0x0a) return -1;
  }
  return -1;
}
