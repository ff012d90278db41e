import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature.js';

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'e1', type: 'media.job.completed', data: { jobId: 'j1' } });

  it('is sha256=<hex HMAC-SHA256 of the raw body>', () => {
    expect(signWebhookBody(body, 'whsec_1')).toBe(`sha256=${createHmac('sha256', 'whsec_1').update(body).digest('hex')}`);
  });

  it('verifies its own signature and rejects a changed body, another secret or no header', () => {
    const signature = signWebhookBody(body, 'whsec_1');
    expect(verifyWebhookSignature(body, 'whsec_1', signature)).toBe(true);
    expect(verifyWebhookSignature(body.replace('j1', 'j2'), 'whsec_1', signature)).toBe(false);
    expect(verifyWebhookSignature(body, 'whsec_2', signature)).toBe(false);
    expect(verifyWebhookSignature(body, 'whsec_1', undefined)).toBe(false);
    expect(verifyWebhookSignature(body, 'whsec_1', 'sha256=00')).toBe(false);
  });
});
