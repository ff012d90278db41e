import { createHash } from 'node:crypto';
import { oneLine, type ContractEntry } from './module-contract.js';

/**
 * A fingerprint of one event's contract: its `name@version { field: type; ... }` entry in the
 * `publishes` section of the publishing module's module.api.md (whitespace runs collapsed, as the
 * file writes it). What a process relaying the event and a process importing it compare: 16
 * lowercase hex digits, like `facadeFingerprint`.
 */
export function eventFingerprint(entry: Pick<ContractEntry, 'text'>): string {
  return createHash('sha256').update('event\n').update(oneLine(entry.text)).digest('hex').slice(0, 16);
}
