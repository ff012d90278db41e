import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { OutboundAddressPolicy } from '../kernel/index.js';

/** A delivery refused before connecting: the URL or every address its host resolves to is not allowed. */
export class WebhookAddressRefused extends Error {
  readonly code = 'WEBHOOK_ADDRESS_REFUSED';
  override readonly name = 'WebhookAddressRefused';
}

/**
 * A DNS lookup for the connection itself (passed to http/https as `lookup`), so the address
 * checked is the address connected to: no second lookup a rebinding DNS server could answer
 * differently. Answers the policy refuses are dropped; when none is left the connection fails
 * with WebhookAddressRefused naming each answer and why. A hostname the allow-list names is
 * trusted with all its answers. (IP literals never reach a lookup: check them with urlProblem.)
 */
export function guardedLookup(policy: OutboundAddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, answers: LookupAddress[]) => {
      if (error) return callback(error, '', undefined);
      const permitted = policy.allowsName(hostname) ? answers : answers.filter((answer) => !policy.addressProblem(answer.address));
      if (permitted.length === 0) {
        const reasons = answers.map((answer) => policy.addressProblem(answer.address)).join('; ');
        return callback(new WebhookAddressRefused(`${hostname} resolves to no public address: ${reasons}`), '', undefined);
      }
      if (options.all) return callback(null, permitted);
      callback(null, permitted[0].address, permitted[0].family);
    });
  };
}

export interface WebhookRequest {
  headers: OutgoingHttpHeaders;
  body: string;
  signal: AbortSignal;
}

/**
 * POSTs `body` to `url` and resolves with the receiver's status code as soon as it answers
 * (the response body is discarded). Never follows a redirect: a 3xx is returned like any other
 * status. The URL must have passed `policy.urlProblem` (IP literals are connected to directly).
 */
export function postWebhook(url: URL, policy: OutboundAddressPolicy, { headers, body, signal }: WebhookRequest): Promise<number> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        lookup: guardedLookup(policy),
        // A connection of its own, never one pooled by other code that did not check its address.
        agent: false,
        signal,
      },
      (response) => {
        response.on('error', () => undefined); // an abort after the status arrived changes nothing
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
