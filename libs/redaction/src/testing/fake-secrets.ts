import { withCrc32Suffix } from '../patterns/checksum';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const B64URL = ALNUM + '-_';

/** Deterministic pseudo-random source (mulberry32) so corpora and benchmarks are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Builders of format-valid fake credentials (GitHub and npm ones carry a
 * valid CRC32). For tests, the corpus and benchmarks: never real secrets.
 */
export class FakeSecrets {
  constructor(private readonly random: () => number = seededRandom(42)) {}

  /** `length` characters drawn from `alphabet` (an array for characters outside the BMP). */
  pick(alphabet: string | readonly string[], length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.random() * alphabet.length)];
    return out;
  }
  alnum = (n: number) => this.pick(ALNUM, n);
  hex = (n: number) => this.pick(HEX, n);
  b64url = (n: number) => this.pick(B64URL, n);
  upper = (n: number) => this.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', n);

  githubClassic = (prefix: 'ghp_' | 'gho_' | 'ghu_' | 'ghs_' | 'ghr_' = 'ghp_') =>
    withCrc32Suffix(prefix, this.alnum(30));
  githubFineGrained = () => `github_pat_${this.alnum(22)}_${this.alnum(59)}`;
  npm = () => withCrc32Suffix('npm_', this.alnum(30));
  openaiLegacy = () => `sk-${this.alnum(20)}T3BlbkFJ${this.alnum(20)}`;
  openaiProject = () => `sk-proj-${this.b64url(74)}T3BlbkFJ${this.b64url(74)}`;
  anthropic = () => `sk-ant-api03-${this.b64url(93)}AA`;
  awsKeyId = () => `AKIA${this.upper(16)}`;
  awsSecret = () => this.pick(ALNUM + '+/', 40);
  slackBot = () => `xoxb-${this.pick('0123456789', 12)}-${this.pick('0123456789', 13)}-${this.alnum(24)}`;
  stripe = () => `sk_live_${this.alnum(99)}`;
  googleApiKey = () => `AIza${this.b64url(35)}`;
  jwt = () => `eyJhbGciOiJIUzI1NiJ9.eyJ${this.b64url(40)}.${this.b64url(43)}`;
  e2b = () => `e2b_${this.hex(40)}`;
  huggingFace = () => `hf_${this.alnum(34)}`;
  password = () => `${this.alnum(6)}~!*${this.alnum(6)}`;
  digits = (n: number) => this.pick('0123456789', n);
  gitlab = () => `glpat-${this.b64url(20)}`;
  sendgrid = () => `SG.${this.b64url(22)}.${this.b64url(43)}`;
  vault = () => `hvs.${this.b64url(90)}`;
  digitalOcean = () => `dop_v1_${this.hex(64)}`;
  telegram = () => `${this.digits(10)}:AA${this.b64url(33)}`;
  twilioKey = () => `SK${this.hex(32)}`;
  databricks = () => `dapi${this.hex(32)}`;
  doppler = () => `dp.pt.${this.alnum(43)}`;
  discordBot = () => `${Buffer.from(this.digits(18)).toString('base64url')}.${this.b64url(6)}.${this.b64url(38)}`;
  slackWebhook = () => `https://hooks.slack.com/services/T${this.upper(8)}/B${this.upper(8)}/${this.alnum(24)}`;
  azureAccountKey = () => `${this.pick(ALNUM + '+/', 86)}==`;
  /** PEM private key: `lines` base64 lines of 64 characters between the BEGIN and END lines. */
  pemBody = (lines = 8) => Array.from({ length: lines }, () => this.pick(ALNUM + '+/', 64));
}
