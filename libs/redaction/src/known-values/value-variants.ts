/** Shorter recurring values are not masked outside their assignment: masking `1` or `dev` everywhere would destroy the text. */
export const MIN_RECURRING_VALUE_LENGTH = 4;
const MIN_BASE64_FRAGMENT = 8;

/**
 * The forms a known value takes once printed (after the GitHub Actions
 * runner's masker): raw, JSON-escaped, URL-encoded (both space styles),
 * and base64 / base64url at each of the three byte alignments it can have
 * inside a longer encoded string (only the characters fully determined by the
 * value's own bytes).
 */
export function valueVariants(value: string): string[] {
  if (value.length < MIN_RECURRING_VALUE_LENGTH) return [];
  const variants = new Set<string>([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
  variants.add(encodeURIComponent(value).replace(/%20/g, '+'));
  const bytes = Buffer.from(value, 'utf8');
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString('base64').replace(/=+$/, '');
    const total = padded.length;
    const skip = [0, 2, 3][offset];
    const end = Math.floor(total / 3) * 4 + [0, 1, 2][total % 3];
    const fragment = encoded.slice(skip, end);
    if (fragment.length >= MIN_BASE64_FRAGMENT) {
      variants.add(fragment);
      variants.add(fragment.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...variants].filter((variant) => variant.length >= MIN_RECURRING_VALUE_LENGTH);
}
