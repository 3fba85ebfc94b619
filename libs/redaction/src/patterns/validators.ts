import type { Confidence } from '../redaction.types';
import { hasValidCrc32Suffix } from './checksum';
import { entropy, isLowVariety, isPlaceholder, isPlaceholderValue } from './placeholders';

/** Rejects a token whose random part (after `prefixLength` characters) is a placeholder. */
export function randomPart(prefixLength: number): (secret: string) => boolean {
  return (secret) => !isPlaceholder(secret.slice(prefixLength)) && !isPlaceholder(secret);
}

/** Random tokens mix digits and letters, or upper and lower case; prose and identifiers rarely do both ways. */
export function looksGenerated(value: string): boolean {
  const digits = /\d/.test(value);
  const upper = /[A-Z]/.test(value);
  const lower = /[a-z]/.test(value);
  return (digits && (upper || lower)) || (upper && lower && entropy(value) >= 3);
}

/** GitHub classic/OAuth/app/refresh tokens: a valid CRC32 makes a finding `high`, an invalid one `medium`. */
export function githubToken(secret: string): boolean | Confidence {
  if (secret.startsWith('github_pat_')) return !isPlaceholder(secret.slice(11));
  if (isPlaceholder(secret.slice(4))) return false;
  if (secret.length === 40) return hasValidCrc32Suffix(secret, 4) ? 'high' : 'medium';
  return 'medium';
}

export function npmToken(secret: string): boolean | Confidence {
  if (isPlaceholder(secret.slice(4))) return false;
  return hasValidCrc32Suffix(secret, 4) ? 'high' : 'medium';
}

const NOT_AWS_EXAMPLE = (secret: string) => !/EXAMPLE/.test(secret);

export function awsAccessKeyId(secret: string): boolean {
  return NOT_AWS_EXAMPLE(secret) && !isLowVariety(secret.slice(4));
}

export function awsSecretKey(secret: string): boolean {
  return NOT_AWS_EXAMPLE(secret) && !isPlaceholder(secret) && entropy(secret) >= 3.5;
}

/** Discord bot tokens start with the bot's user id (a snowflake) in base64. */
export function discordBotToken(secret: string): boolean {
  const id = Buffer.from(secret.slice(0, secret.indexOf('.')), 'base64url').toString('latin1');
  return /^\d{17,20}$/.test(id);
}

export function basicCredentials(secret: string): boolean {
  const decoded = Buffer.from(secret, 'base64').toString('utf8');
  return (
    /^[\x20-\x7e]{1,256}:[\x20-\x7e]{0,512}$/.test(decoded) &&
    !isPlaceholder(decoded.slice(decoded.indexOf(':') + 1) || 'x')
  );
}

export function opaqueToken(secret: string): boolean {
  return !isPlaceholder(secret) && looksGenerated(secret);
}

export function pemPrivateKey(secret: string): boolean {
  const body = secret.replace(/-----[A-Z ]+-----/g, '').replace(/\\n|[^A-Za-z0-9+/]/g, '');
  return body.length >= 40 && !isLowVariety(body);
}

/**
 * Suffixes of a key name that turn a secret-sounding word into metadata
 * (`token_count`, `secretName`, `password_file`, `max_tokens`).
 */
const METADATA_SUFFIX =
  /^(?:s|es|[_.-]?(?:count|type|name|names|id|ids|len|length|size|limit|limits|max|min|url|uri|endpoint|file|path|dir|policy|policies|expiry|expires|expiration|expires_at|expires_in|ttl|at|usage|used|budget|prefix|header|field|label|version|format|kind|mode|enabled|required|ref|arn|hint|source|store|manager|provider|rotation|lifetime|timeout|stdin|env|prompt|length|strength|reset|changed|updated|created|set|less|izer|ization|ized|ize|ing|ed|able|ability|_?s|list|pattern|regex|validator|bucket|key_id|key_name|key_ref|id_\w*))(?:$|[_.-])/i;

function keySuffix(match: string, keyword: RegExp): string | undefined {
  const found = keyword.exec(match);
  if (!found) return undefined;
  const keyEnd = match.search(/["']?\s*(?::=|=>|[:=\s])/);
  return match.slice(found.index + found[0].length, keyEnd < 0 ? undefined : keyEnd);
}

const PASSWORD_WORD = /password|passwd|passphrase|pwd|pass/i;
const SECRET_WORD =
  /secret|token|api[_-]?key|apikey|access[_-]?key|auth[_-]?key|private[_-]?key|credentials?|signing[_-]?key|encryption[_-]?key|master[_-]?key/i;

export function passwordAssignment(secret: string, match: string): boolean | Confidence {
  // Every condition must hold; the cheap checks of the value go before the key's.
  if (/^\d{1,3}$/.test(secret) || /^\*+$/.test(secret)) return false;
  const suffix = keySuffix(match, PASSWORD_WORD);
  if (suffix === undefined || METADATA_SUFFIX.test(suffix) || (suffix && !/^(?:word|wd|[_.-]|\d)/i.test(suffix)))
    return false;
  if (isPlaceholderValue(secret)) return false;
  return 'medium';
}

export function secretAssignment(secret: string, match: string): boolean | Confidence {
  // Every condition must hold; the cheapest that rejects most (short or prose-like values) goes first.
  if (secret.length < 8 || !looksGenerated(secret)) return false;
  const suffix = keySuffix(match, SECRET_WORD);
  if (suffix === undefined || METADATA_SUFFIX.test(suffix)) return false;
  if (isPlaceholderValue(secret) || /^\d+$/.test(secret) || /^(?:https?:)?\/\//.test(secret) || /^[./~]/.test(secret))
    return false;
  return 'medium';
}

export function urlPassword(secret: string): boolean {
  return !isPlaceholderValue(secret) && !/^\*+$/.test(secret) && !/^%[A-Za-z_]+%$/.test(secret);
}

export function cookieHeader(secret: string): boolean {
  return secret.includes('=') && !isPlaceholderValue(secret.replace(/^[^=]*=/, ''));
}
