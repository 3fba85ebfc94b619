/** Zero-width and other invisible characters an agent could use to dodge a name match. */
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\u3164\ufeff\uffa0]/g;

/** NFKC, invisible characters removed, trimmed, lower-cased. */
export function foldName(raw: string): string {
  return raw.normalize('NFKC').replace(INVISIBLE, '').trim().toLowerCase();
}

/**
 * Whether a name denotes production: the folded name, or any of its tokens
 * (split on non-alphanumerics: `prod-eu-1`, `us_production`), is a production name.
 */
export function isProductionName(raw: string | undefined, productionNames: string[]): boolean {
  if (raw === undefined || raw === null) return false;
  const folded = foldName(String(raw));
  if (folded === '') return false;
  if (productionNames.includes(folded)) return true;
  return folded.split(/[^a-z0-9]+/).some((token) => productionNames.includes(token));
}

const NON_PRODUCTION = ['dev', 'develop', 'development', 'staging', 'stage', 'stg', 'test', 'testing', 'qa', 'preview', 'sandbox', 'local', 'ci', 'uat', 'demo', 'review', 'feature', 'nonprod', 'non-prod', 'integration', 'int'];

/** Whether a name is recognisably non-production (unknown names are neither). */
export function isNonProductionName(raw: string): boolean {
  const folded = foldName(raw);
  if (NON_PRODUCTION.includes(folded)) return true;
  const tokens = folded.split(/[^a-z0-9]+/).filter(Boolean);
  return tokens.length > 0 && tokens.some((token) => NON_PRODUCTION.includes(token));
}
