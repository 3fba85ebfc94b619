/** Zero-width, bidi and other invisible code points an agent could use to dodge a name match. */
const INVISIBLE_RANGES: [number, number][] = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x206a, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
];

function isInvisible(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return INVISIBLE_RANGES.some(([from, to]) => code >= from && code <= to);
}

/** NFKC, invisible characters removed, trimmed, lower-cased. */
export function foldName(raw: string): string {
  return [...raw.normalize('NFKC')]
    .filter((ch) => !isInvisible(ch))
    .join('')
    .trim()
    .toLowerCase();
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

const NON_PRODUCTION = [
  'dev',
  'develop',
  'development',
  'staging',
  'stage',
  'stg',
  'test',
  'testing',
  'qa',
  'preview',
  'sandbox',
  'local',
  'ci',
  'uat',
  'demo',
  'review',
  'feature',
  'nonprod',
  'non-prod',
  'integration',
  'int',
];

/** Whether a name is recognisably non-production (unknown names are neither). */
export function isNonProductionName(raw: string): boolean {
  const folded = foldName(raw);
  if (NON_PRODUCTION.includes(folded)) return true;
  const tokens = folded.split(/[^a-z0-9]+/).filter(Boolean);
  return tokens.length > 0 && tokens.some((token) => NON_PRODUCTION.includes(token));
}
