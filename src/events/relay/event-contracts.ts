import { Logger } from '@nestjs/common';
import type { MsgHdrs } from '@nats-io/transport-node';
import {
  CONTRACT_FILE,
  compareContracts,
  entryKey,
  eventFingerprint,
  oneLine,
  readShippedContract,
  type ApplicationModules,
  type ContractChange,
  type ContractEntry,
  type ModuleContract,
} from '../../core/index.js';
import { CONTRACT_HEADER } from '../../remote/index.js';

/**
 * Contract skew of relayed events: a process built against one version of the publishing module's
 * contract (its module.api.md) importing events from a process built from another. The same
 * design as the facades' (src/remote/contract-skew.ts), in one direction:
 * - Every relayed message carries `Modulith-Contract: <fp>`, the fingerprint (`eventFingerprint`)
 *   of the event's `name@version { ... }` entry in the `publishes` section of the publishing
 *   module's module.api.md as the publishing process was built with it, and
 *   `Modulith-Contract-Entry: <entry>`, that entry's text, so an importer can compare without a
 *   round trip (a message has no reply). Both are computed once at boot.
 * - The importing process compares the fingerprint with its own copy of that module's contract
 *   (one string comparison when they agree). When they differ it compares the two entries with the
 *   rules of `modulith check` (compareContracts), once per publishing fingerprint: a breaking change
 *   (a field removed or changed) refuses the import (the message goes back to JetStream and is
 *   offered again, with a growing delay, until a process built from a matching contract imports
 *   it), a compatible one (an added optional field) is imported and logged once as a warning.
 * - No module.api.md (or no entry for the event) on either side: nothing is sent or checked,
 *   logged once at debug level. The headers are never trusted: a repeated, oversized or malformed
 *   fingerprint is refused like an undecodable message (terminated), an entry whose text does not
 *   hash to the fingerprint cannot be compared, and a mismatch that cannot be compared is refused.
 */
export const EVENT_CONTRACT_HEADERS = { fingerprint: CONTRACT_HEADER, entry: 'Modulith-Contract-Entry' } as const;

/** The longest entry a publisher sends and an importer reads. */
const MAX_ENTRY_CHARS = 16 * 1024;
const FINGERPRINT = /^[0-9a-f]{16}$/;
/** Comparisons kept, and log lines remembered (to log each once), at most. */
const MAX_VERDICTS = 256;
const MAX_LOGGED = 256;

/** One event's contract as this process was built with it. */
export interface EventContract {
  /** The module whose module.api.md it comes from. */
  module: string;
  /** `name@version`. */
  key: string;
  /** The entry's text, one line. */
  text: string;
  fingerprint: string;
}

/** The event contracts of this build, by `name@version`, read once at boot. */
export class EventContractBook {
  private readonly byKey = new Map<string, EventContract>();
  /** Modules whose contract could not be used, with why, and at which level it is logged. */
  readonly unchecked: Array<{ module: string; reason: string; level: 'debug' | 'warn' }> = [];

  add(module: string, entry: ContractEntry): void {
    const text = oneLine(entry.text);
    const key = entryKey('publishes', text);
    const known = this.byKey.get(key);
    // An event may be listed by its owner and by other modules publishing it: the owner (the
    // first segment of its name) wins, otherwise the first module of the model. Both sides apply
    // the same rule to the same files.
    if (known && (known.module === ownerByName(key) || module !== ownerByName(key))) return;
    this.byKey.set(key, { module, key, text, fingerprint: eventFingerprint({ text }) });
  }

  get(name: string, version: number): EventContract | undefined {
    return this.byKey.get(`${name}@${version}`);
  }

  get size(): number {
    return this.byKey.size;
  }
}

function ownerByName(key: string): string {
  return key.slice(0, key.indexOf('.'));
}

/** Reads the `publishes` sections of the module.api.md beside every module.json of the model. Never throws. */
export function readEventContracts(model: ApplicationModules): EventContractBook {
  const book = new EventContractBook();
  for (const module of model.modules) {
    const read = readShippedContract(model.rootDir, module);
    if (!('contract' in read)) {
      book.unchecked.push({ module: module.name, reason: read.reason, level: read.level });
      continue;
    }
    const contract = read.contract;
    for (const entry of contract.publishes) book.add(module.name, entry);
  }
  return book;
}

/** The contract headers a relayed message of the event carries, or undefined when this build has no contract for it. */
export function contractHeaderValues(book: EventContractBook, name: string, version: number): { fingerprint: string; entry?: string } | undefined {
  const contract = book.get(name, version);
  if (!contract) return undefined;
  return { fingerprint: contract.fingerprint, entry: contract.text.length <= MAX_ENTRY_CHARS ? contract.text : undefined };
}

/** What the importer does with a message: import it, give it back for later, or terminate it. */
export type ContractVerdict = { action: 'import' } | { action: 'retry' | 'terminate'; reason: string };

interface Comparison {
  breaking: ContractChange[];
  compatible: ContractChange[];
}

const IMPORT: ContractVerdict = { action: 'import' };

/** The importing side: checks each relayed message's contract headers against this build's contracts. */
export class EventContractCheck {
  private readonly logger = new Logger('ModulithEvents');
  private readonly comparisons = new Map<string, Comparison>();
  private readonly logged = new Set<string>();

  constructor(readonly book: EventContractBook) {
    for (const { module, reason, level } of book.unchecked) {
      const line = `relay: events of module '${module}' are imported without a contract check: ${reason}`;
      if (level === 'warn') this.logger.warn(line);
      else this.logger.debug(line);
    }
  }

  /** Never throws: the headers come from anyone on the broker. */
  check(event: { id: string; name: string; version: number }, origin: string, headers: MsgHdrs | undefined): ContractVerdict {
    const key = `${event.name}@${event.version}`;
    const own = this.book.get(event.name, event.version);
    if (!own) {
      this.once('debug', `no-contract\0${key}`, () => `relay: ${key} is imported unchecked: this build has no ${CONTRACT_FILE} entry for it (contract skew with its publisher cannot be detected)`);
      return IMPORT;
    }
    const values = headerValues(headers, EVENT_CONTRACT_HEADERS.fingerprint);
    if (values.length === 0) {
      this.once('debug', `no-header\0${key}\0${origin}`, () => `relay: ${key} from origin '${origin}' carries no ${CONTRACT_HEADER} header (published by a build without a ${CONTRACT_FILE} entry for it, or by an older nest-modulith): imported unchecked`);
      return IMPORT;
    }
    const value = values[0];
    if (values.length === 1 && value === own.fingerprint) return IMPORT;
    const malformed =
      values.length > 1
        ? `the ${CONTRACT_HEADER} header was sent ${values.length} times`
        : value.length > 16 || !FINGERPRINT.test(value)
          ? `the ${CONTRACT_HEADER} header is not one contract fingerprint of 16 lowercase hex digits (${value.length} characters)`
          : undefined;
    if (malformed) {
      const reason = `${malformed}; this process was built against contract ${own.fingerprint} of ${key} (module '${own.module}')`;
      this.once('error', `malformed\0${key}\0${origin}\0${values.length > 1 ? 'repeated' : 'form'}`, () => `relay: refusing event ${event.id} (${key}) from origin '${origin}': ${reason}. Not imported; the message is terminated, like any message that is not a relayed module event`);
      return { action: 'terminate', reason };
    }
    const theirs = value;
    const comparison = this.compare(own, theirs, headers);
    const names = `${key} (module '${own.module}'): this process was built against contract ${own.fingerprint} of it, the publishing process (origin '${origin}') runs ${theirs}`;
    if (typeof comparison === 'string') {
      const reason = `contract skew on ${names}; ${comparison}`;
      this.once('error', `skew\0${key}\0${theirs}`, () => `relay: refusing to import ${reason}. Not imported: the message is offered again until a process built from a matching contract takes it. Fix: deploy the publisher and its listeners from the same contract of '${own.module}'`);
      return { action: 'retry', reason };
    }
    const list = (changes: ContractChange[]) => changes.map((c) => c.what).join('; ');
    if (comparison.breaking.length > 0) {
      const reason = `contract skew on ${names}; breaking changes: ${list(comparison.breaking)}`;
      this.once(
        'error',
        `skew\0${key}\0${theirs}`,
        () =>
          `relay: refusing to import ${reason}. Not imported: the message is offered again until a process built from a matching contract takes it, its listeners here do not run. ` +
          `Fix: deploy the publisher and its listeners from the same contract of '${own.module}' (redeploy whichever is behind); roll out compatible changes (an added optional field) publisher first`,
      );
      return { action: 'retry', reason };
    }
    this.once(
      'warn',
      `skew\0${key}\0${theirs}`,
      () =>
        `relay: contract skew on ${names}. ` +
        (comparison.compatible.length > 0 ? `Compatible changes: ${list(comparison.compatible)}. ` : 'No change to its fields was found. ') +
        'Its events are imported. Deploy the publisher and its listeners from the same contract',
    );
    return IMPORT;
  }

  /** The comparison of this build's entry with the publisher's, computed once per publishing fingerprint; a string when it cannot be compared. */
  private compare(own: EventContract, theirs: string, headers: MsgHdrs | undefined): Comparison | string {
    const cacheKey = `${own.key}\0${theirs}`;
    const known = this.comparisons.get(cacheKey);
    if (known) return known;
    const entries = headerValues(headers, EVENT_CONTRACT_HEADERS.entry);
    if (entries.length !== 1) return `its contract cannot be compared: the message carries ${entries.length === 0 ? 'no' : entries.length} ${EVENT_CONTRACT_HEADERS.entry} header${entries.length === 0 ? '' : 's'}`;
    const text = entries[0];
    if (text.length > MAX_ENTRY_CHARS) return `its contract cannot be compared: its ${EVENT_CONTRACT_HEADERS.entry} header holds ${text.length} characters (at most ${MAX_ENTRY_CHARS} are read)`;
    // Never trusted: the entry must be the one the fingerprint names, for this event.
    if (entryKey('publishes', text) !== own.key || eventFingerprint({ text }) !== theirs) {
      return `its contract cannot be compared: its ${EVENT_CONTRACT_HEADERS.entry} header is not the ${own.key} entry with the fingerprint ${theirs}`;
    }
    const contract = (entry: string): ModuleContract => ({ module: own.module, exports: [], facades: [], publishes: [{ key: own.key, text: entry }], listens: [], routes: [] });
    // The rules `modulith check` applies to a module.api.md change, on this event alone.
    const changes = compareContracts(contract(own.text), contract(oneLine(text)));
    const comparison = { breaking: changes.filter((c) => c.kind === 'breaking'), compatible: changes.filter((c) => c.kind !== 'breaking') };
    if (this.comparisons.size >= MAX_VERDICTS) this.comparisons.delete(this.comparisons.keys().next().value as string);
    this.comparisons.set(cacheKey, comparison);
    return comparison;
  }

  private once(level: 'debug' | 'warn' | 'error', key: string, message: () => string): void {
    if (this.logged.has(key) || this.logged.size >= MAX_LOGGED) return;
    this.logged.add(key);
    this.logger[level](message());
  }
}

/** A header's values as strings ([] without headers). */
function headerValues(headers: MsgHdrs | undefined, name: string): string[] {
  if (!headers || typeof headers.values !== 'function') return [];
  try {
    const values = headers.values(name);
    return Array.isArray(values) ? values.map((v) => String(v)) : [];
  } catch {
    return [];
  }
}
