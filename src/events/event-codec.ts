import type { EventClass } from './module-event.decorator.js';

/**
 * Events cross the outbox (and later the wire) as JSON of their own enumerable fields. Decoding
 * builds an instance of the listener's event class without running its constructor, so a class
 * can be renamed or moved freely: only its logical name and version are stored.
 */
export function encodeEvent(event: object): string {
  return JSON.stringify(event);
}

export function decodeEvent<T extends object>(payload: string, eventClass: EventClass<T>): T {
  const data: unknown = JSON.parse(payload);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new Error(`payload is not a JSON object: ${payload.slice(0, 80)}`);
  }
  return Object.assign(Object.create(eventClass.prototype) as T, data);
}
