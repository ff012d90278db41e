import { createHash } from 'node:crypto';
import { printable } from '../core/index.js';

/**
 * Every name this framework puts on NATS, in one place, so the processes that use them and the
 * broker authorization written from the module graph (`modulith broker-config`) always agree.
 *
 * A name that goes into a subject is checked to be one plain token: a module named `>` or `a.b`
 * must never widen a subject (or a broker permission written from it) to other subjects.
 */

/** One subject token made of names we generate subjects from: letters, digits, `_` and `-`. */
const TOKEN = /^[A-Za-z0-9_-]+$/;
/** A dotted name (an event name such as `media.job.completed`): tokens joined by single dots. */
const DOTTED = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
/** The namespace: one lowercase token (it also names JetStream streams and consumers). */
export const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

/** A name that cannot be put into a NATS subject as it is. */
export class SubjectNameError extends Error {
  constructor(
    readonly kind: string,
    readonly value: string,
  ) {
    super(
      `${kind} '${printable(value)}' cannot be used in a NATS subject: use letters, digits, '_' and '-' only` +
        `${kind.startsWith('event') ? ' (dots between words)' : ''}; never '.', '*', '>', spaces or '$', which would change which subjects it names`,
    );
    this.name = 'SubjectNameError';
  }
}

/** `value` when it is one plain subject token, else throws SubjectNameError naming `kind`. */
export function subjectToken(kind: string, value: string): string {
  if (typeof value !== 'string' || !TOKEN.test(value)) throw new SubjectNameError(kind, String(value));
  return value;
}

/** `value` when it is plain tokens joined by dots (an event name), else throws SubjectNameError. */
export function dottedName(kind: string, value: string): string {
  if (typeof value !== 'string' || !DOTTED.test(value)) throw new SubjectNameError(kind, String(value));
  return value;
}

export function isSubjectToken(value: string): boolean {
  return TOKEN.test(value);
}

export function namespaceToken(namespace: string): string {
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new SubjectNameError('namespace', namespace);
  }
  return namespace;
}

/** The subjects of one facade: `<ns>.facade.<module>.<Facade>` and one per method below it. */
export function facadeSubject(namespace: string, module: string, facade: string): string {
  return `${namespaceToken(namespace)}.facade.${subjectToken('module name', module)}.${subjectToken('facade name', facade)}`;
}

/** What a client calls: `<ns>.facade.<module>.<Facade>.<method>`, so the broker can allow callers method by method. */
export function facadeMethodSubject(namespace: string, module: string, facade: string, method: string): string {
  return `${facadeSubject(namespace, module, facade)}.${subjectToken('facade method', method)}`;
}

export function httpSubject(namespace: string, module: string): string {
  return `${namespaceToken(namespace)}.http.${subjectToken('module name', module)}`;
}

/**
 * The short name of a process's place in the topology, the same for every instance of it:
 * `monolith`, `serve:media`, `remote:media` (module lists sorted, comma-separated). The event
 * relay of the reference app uses it as its origin, and it names the process's reply inbox.
 */
export function placementKey(placement: { serve?: readonly string[]; remote?: readonly string[] }): string {
  if (placement.serve) return `serve:${[...placement.serve].sort().join(',')}`;
  if (placement.remote) return `remote:${[...placement.remote].sort().join(',')}`;
  return 'monolith';
}

/**
 * The reply inbox prefix of a process group: `_INBOX_<ns>_<group>`. Replies to its requests
 * (facade calls, HTTP forwarding, JetStream API calls and pulled events) arrive under
 * `<prefix>.>`, which the broker lets only this group subscribe to, so no other process can read
 * them (NATS' default `_INBOX.>` is shared by every client).
 */
export function inboxPrefix(namespace: string, group: string): string {
  return `_INBOX_${namespaceToken(namespace)}_${natsName(group)}`;
}

/** Where a namespace's events live on NATS, and which durable consumer an origin reads them with. */
export interface RelayNames {
  stream: string;
  /** Every subject of the namespace's events, the stream's and the consumer's filter. */
  subjects: string;
  /** The durable consumer of this origin. */
  durable: string;
  subjectOf(eventName: string): string;
}

export function relayNames(namespace: string, origin: string): RelayNames {
  return {
    stream: `${namespace.toUpperCase()}_EVENTS`,
    subjects: `${namespace}.events.>`,
    durable: `${namespace}_${natsName(origin)}`,
    subjectOf: (eventName) => `${namespace}.events.${eventName}`,
  };
}

/**
 * A valid stream or consumer name (no '.', '*', '>', spaces or slashes). When characters had
 * to be replaced a hash of the original is appended, so 'a+b' and 'a_b' never share a consumer
 * (which would split one group's events between two groups).
 */
export function natsName(raw: string): string {
  const safe = raw.replace(/[^A-Za-z0-9_-]/g, '_');
  return safe === raw ? raw : `${safe}_${createHash('sha256').update(raw).digest('hex').slice(0, 8)}`;
}

