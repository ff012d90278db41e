import { createHash, randomBytes } from 'node:crypto';

/** A new API key: 32 random bytes, prefixed so a leaked key is recognisable in logs and scanners. */
export function newApiKey(): string {
  return `mk_${randomBytes(32).toString('base64url')}`;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('hex')}`;
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}
