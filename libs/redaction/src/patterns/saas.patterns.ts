import type { SecretPattern } from '../redaction.types';
import { looksGenerated, randomPart } from './validators';

/** Further prefixed formats agents meet often (AI providers, observability, infrastructure). */
export const SAAS_PATTERNS: SecretPattern[] = [
  { name: 'GROQ_API_KEY', description: 'Groq API keys (gsk_…)', regex: /(?<![A-Za-z0-9_])gsk_[A-Za-z0-9]{48,56}(?![A-Za-z0-9])/, keywords: ['gsk_'], maxLength: 60, keywordOffset: 0 },
  { name: 'XAI_API_KEY', description: 'xAI API keys (xai-…)', regex: /(?<![A-Za-z0-9_-])xai-[A-Za-z0-9]{60,100}(?![A-Za-z0-9])/, keywords: ['xai-'], maxLength: 104, keywordOffset: 0 },
  { name: 'REPLICATE_API_TOKEN', description: 'Replicate API tokens (r8_…)', regex: /(?<![A-Za-z0-9_])r8_[A-Za-z0-9]{37,40}(?![A-Za-z0-9])/, keywords: ['r8_'], maxLength: 43, keywordOffset: 0, validate: (s) => looksGenerated(s.slice(3)) },
  { name: 'PERPLEXITY_API_KEY', description: 'Perplexity API keys (pplx-…)', regex: /(?<![A-Za-z0-9_-])pplx-[A-Za-z0-9]{40,60}(?![A-Za-z0-9])/, keywords: ['pplx-'], maxLength: 65, keywordOffset: 0 },
  { name: 'LANGSMITH_API_KEY', description: 'LangSmith API keys (lsv2_pt_, lsv2_sk_)', regex: /(?<![A-Za-z0-9_])lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}(?![A-Za-z0-9])/, keywords: ['lsv2_'], maxLength: 51, keywordOffset: 0 },
  { name: 'NVIDIA_API_KEY', description: 'NVIDIA API keys (nvapi-…)', regex: /(?<![A-Za-z0-9_-])nvapi-[A-Za-z0-9_-]{64}(?![A-Za-z0-9_-])/, keywords: ['nvapi-'], maxLength: 70, keywordOffset: 0 },
  { name: 'SENTRY_TOKEN', description: 'Sentry organisation (sntrys_) and user (sntryu_) auth tokens', regex: /(?<![A-Za-z0-9_])(?:sntrys_[A-Za-z0-9+/=_-]{40,400}|sntryu_[a-f0-9]{64})/, keywords: ['sntrys_', 'sntryu_'], maxLength: 410, keywordOffset: 0 },
  { name: 'GRAFANA_TOKEN', description: 'Grafana service-account (glsa_) and cloud (glc_) tokens', regex: /(?<![A-Za-z0-9_])(?:glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2})/, keywords: ['glsa_', 'glc_'], maxLength: 410, keywordOffset: 0, validate: randomPart(4) },
  { name: 'PLANETSCALE_TOKEN', description: 'PlanetScale passwords and tokens (pscale_pw_, pscale_tkn_, pscale_oauth_)', regex: /(?<![A-Za-z0-9_])pscale_(?:pw|tkn|oauth)_[A-Za-z0-9_.-]{32,64}/, keywords: ['pscale_'], maxLength: 80, keywordOffset: 0 },
  { name: 'SUPABASE_TOKEN', description: 'Supabase personal access tokens (sbp_) and secret keys (sb_secret_)', regex: /(?<![A-Za-z0-9_])(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,64})(?![A-Za-z0-9])/, keywords: ['sbp_', 'sb_secret_'], maxLength: 75, keywordOffset: 0 },
  { name: 'DOCKER_HUB_TOKEN', description: 'Docker Hub personal and organisation access tokens (dckr_pat_, dckr_oat_)', regex: /(?<![A-Za-z0-9_])dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40}/, keywords: ['dckr_pat_', 'dckr_oat_'], maxLength: 50, keywordOffset: 0 },
  { name: 'ATLASSIAN_API_TOKEN', description: 'Atlassian API tokens (ATATT3…)', regex: /(?<![A-Za-z0-9_])ATATT3[A-Za-z0-9_=-]{180,220}/, keywords: ['ATATT3'], maxLength: 230, keywordOffset: 0 },
  { name: 'POSTMAN_API_KEY', description: 'Postman API keys (PMAK-…)', regex: /(?<![A-Za-z0-9_-])PMAK-[a-f0-9]{24}-[a-f0-9]{34}(?![A-Za-z0-9])/, keywords: ['PMAK-'], maxLength: 64, keywordOffset: 0 },
  { name: 'NEW_RELIC_KEY', description: 'New Relic user and insert keys (NRAK-, NRII-)', regex: /(?<![A-Za-z0-9_-])NR(?:AK|II)-[A-Z0-9_-]{27,32}(?![A-Za-z0-9])/, keywords: ['NRAK-', 'NRII-'], maxLength: 38, keywordOffset: 0 },
  { name: 'TAILSCALE_KEY', description: 'Tailscale auth and API keys (tskey-…)', regex: /(?<![A-Za-z0-9_-])tskey-[a-z]{3,10}-[A-Za-z0-9]{8,20}-[A-Za-z0-9]{20,40}/, keywords: ['tskey-'], maxLength: 80, keywordOffset: 0 },
  { name: 'PULUMI_ACCESS_TOKEN', description: 'Pulumi access tokens (pul-…)', regex: /(?<![A-Za-z0-9_-])pul-[a-f0-9]{40}(?![A-Za-z0-9])/, keywords: ['pul-'], maxLength: 44, keywordOffset: 0 },
  { name: 'TERRAFORM_CLOUD_TOKEN', description: 'Terraform Cloud / Enterprise API tokens (….atlasv1.…)', regex: /(?<![A-Za-z0-9])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}/, keywords: ['.atlasv1.'], maxLength: 95, keywordOffset: 14 },
  { name: 'AGE_SECRET_KEY', description: 'age encryption secret keys (AGE-SECRET-KEY-1…)', regex: /AGE-SECRET-KEY-1[0-9A-Z]{58}/, keywords: ['AGE-SECRET-KEY-1'], maxLength: 74, keywordOffset: 0 },
  { name: 'ALIBABA_ACCESS_KEY_ID', description: 'Alibaba Cloud AccessKey ids (LTAI…)', regex: /(?<![A-Za-z0-9])LTAI[A-Za-z0-9]{12,20}(?![A-Za-z0-9])/, keywords: ['LTAI'], maxLength: 24, keywordOffset: 0, validate: (s) => looksGenerated(s.slice(4)) },
  { name: 'SQUARE_TOKEN', description: 'Square access tokens and OAuth secrets (sq0atp-, sq0csp-)', regex: /(?<![A-Za-z0-9_-])sq0(?:atp|csp)-[A-Za-z0-9_-]{22,60}/, keywords: ['sq0atp-', 'sq0csp-'], maxLength: 67, keywordOffset: 0 },
  { name: 'FIREBASE_CLOUD_MESSAGING_KEY', description: 'Firebase Cloud Messaging legacy server keys (…:APA91b…)', regex: /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{11}:APA91b[A-Za-z0-9_-]{130,140}/, keywords: [':APA91b'], maxLength: 160, keywordOffset: 11 },
  { name: 'MAPBOX_SECRET_TOKEN', description: 'Mapbox secret tokens (sk.eyJ…); public pk. tokens are kept', regex: /(?<![A-Za-z0-9_.-])sk\.eyJ[A-Za-z0-9_-]{20,300}\.[A-Za-z0-9_-]{20,60}/, keywords: ['sk.eyJ'], maxLength: 370, keywordOffset: 0 },
  { name: 'FACEBOOK_ACCESS_TOKEN', description: 'Facebook / Meta Graph access tokens (EAA…)', regex: /(?<![A-Za-z0-9_-])EAA[A-Za-z0-9]{90,400}(?![A-Za-z0-9])/, keywords: ['EAA'], maxLength: 403, keywordOffset: 0, validate: (s) => looksGenerated(s) },
];
