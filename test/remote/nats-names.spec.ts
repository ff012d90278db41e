// @modulith-covers remote
import { describe, expect, it } from '@jest/globals';
import { dottedName, inboxPrefix, placementKey, relayNames, subjects, SubjectNameError } from 'nest-modulith';

// Every name the framework puts into a NATS subject, and so into a broker permission written from
// it, is one plain token: a module, facade or method named with '.', '*', '>' or a space would
// otherwise name other subjects (`a.>` is every subject below `a`).

describe('subject names', () => {
  it('builds one subject per facade method, below the facade subject', () => {
    expect(subjects.facade('shop', 'billing', 'BillingFacade')).toBe('shop.facade.billing.BillingFacade');
    expect(subjects.facadeMethod('shop', 'billing', 'BillingFacade', 'charge')).toBe('shop.facade.billing.BillingFacade.charge');
    expect(subjects.http('shop', 'media')).toBe('shop.http.media');
  });

  it.each([
    ['module', () => subjects.facade('shop', 'billing.>', 'BillingFacade')],
    ['module', () => subjects.http('shop', '*')],
    ['facade', () => subjects.facade('shop', 'billing', 'Billing Facade')],
    ['method', () => subjects.facadeMethod('shop', 'billing', 'BillingFacade', 'get.*')],
    ['method', () => subjects.facadeMethod('shop', 'billing', 'BillingFacade', '>')],
    ['method', () => subjects.facadeMethod('shop', 'billing', 'BillingFacade', '$ref')],
    ['namespace', () => subjects.facade('shop.>', 'billing', 'BillingFacade')],
    ['namespace', () => inboxPrefix('a b', 'serve:media')],
    ['event', () => dottedName('event name', 'media.job.>')],
    ['event', () => dottedName('event name', 'media..failed')],
  ])('refuses a %s name that would widen a subject', (_kind, build) => {
    expect(build).toThrow(SubjectNameError);
    expect(build).toThrow(/cannot be used in a NATS subject/);
  });

  it('names each process group its own reply inbox and durable consumer', () => {
    expect(placementKey({ serve: ['media'] })).toBe('serve:media');
    expect(placementKey({ remote: ['media', 'billing'] })).toBe('remote:billing,media');
    expect(inboxPrefix('shop', 'serve:media')).toMatch(/^_INBOX_shop_serve_media_[0-9a-f]{8}$/);
    expect(inboxPrefix('shop', 'serve:media')).not.toBe(inboxPrefix('shop', 'remote:media'));
    expect(relayNames('shop', 'serve:media')).toMatchObject({ stream: 'SHOP_EVENTS', subjects: 'shop.events.>', durable: expect.stringMatching(/^shop_serve_media_[0-9a-f]{8}$/) });
  });
});
