import { checkWireText, WireContractError } from './wire-codec.js';

/**
 * The requests a serving process reads from the broker, in the packet format of Nest's NATS
 * transport (`{ pattern, data, id }`), read defensively: anything on the broker can send any
 * bytes, and every request (a message with a reply subject) must get an answer, never silence.
 */
export type RequestPacket = { id: string | number; data: unknown } | { refused: string };

/** The longest packet id echoed back (Nest's clients send UUIDs). */
const MAX_ID_LENGTH = 200;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The id and data of a request, or why it cannot be one; never throws. */
export function readRequestPacket(bytes: Uint8Array, path = 'request'): RequestPacket {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { refused: 'not a JSON packet: the message is not UTF-8 text' };
  }
  let packet: unknown;
  try {
    // Bounded before parsing: size and nesting are checked on the text, in one pass.
    checkWireText(text, path);
    // A plain parse, as Nest's own deserializer does: a `__proto__` key becomes an own property
    // (never a prototype), and the facade's handler refuses it, naming where it was.
    packet = JSON.parse(text);
  } catch (error) {
    if (error instanceof WireContractError) return { refused: error.message };
    return { refused: `not a JSON packet: ${quote(error instanceof Error ? error.message : 'unreadable', 200)}` };
  }
  if (packet === null || typeof packet !== 'object' || Array.isArray(packet)) {
    return { refused: `a request must be a JSON object { pattern, data, id } (got ${kindOf(packet)})` };
  }
  const id = ownValue(packet, 'id');
  const validId = (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH) || (typeof id === 'number' && Number.isFinite(id));
  if (!validId) {
    return { refused: `a request needs an 'id' (a string of at most ${MAX_ID_LENGTH} characters, or a number); a packet without one is an event, and nothing runs for an event` };
  }
  return { id: id as string | number, data: ownValue(packet, 'data') };
}

/** The reply to request `id` (null when the packet had none), in Nest's packet format: one message. */
export function replyPacket(id: string | number | null, response: unknown): string {
  return JSON.stringify({ id, response, isDisposed: true });
}

/** An own data property only: never a getter, never something found on a prototype. */
export function ownValue(object: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(object, key)?.value;
}

/** What a value is, in words, without converting it (String() of a crafted object can throw). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'undefined':
      return 'nothing';
    default:
      return `a ${typeof value}`;
  }
}

/** At most `max` characters of a caller's text, for a message. */
export function quote(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
