import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { compareContracts, entryKey, facadeFingerprint, oneLine, sortEntries, type ContractChange, type FacadeSection, type ModuleContract } from '../core/index.js';
import { refusedCall, type CallReply } from './facade-server.js';
import { quote } from './request-packet.js';
import type { WireError } from './wire-error.js';

/**
 * Contract skew between processes: a caller built against one version of a remote module's
 * contract (its module.api.md) calling a process built from another.
 *
 * The protocol, and why it is this one:
 * - Every facade call carries the NATS header `Modulith-Contract: <fp>[,<fp>...]`: the
 *   fingerprint of the caller's copy of the facade's contract (`facadeFingerprint` of its section
 *   in the module.api.md that shipped beside the remote module's module.json), followed by at most
 *   three fingerprints of serving versions the caller has already compared and found compatible
 *   for this method. A header, not a packet field: it is metadata the broker's tooling shows, and
 *   the packet stays Nest's `{ pattern, data, id }`.
 * - The serving process compares the header with its own fingerprint (computed once at boot):
 *   one string comparison per call when they agree. When they do not, it runs nothing and answers
 *   with its own fingerprint and facade section (bounded), and the caller compares the two
 *   contracts with the rules of `modulith check` (core's compareContracts): a change that breaks the
 *   called method fails the call with ContractSkewError; otherwise the caller logs the skew once
 *   (warn), adds the serving fingerprint to the method's header and resends the call. The
 *   comparison is cached per serving fingerprint, so the extra round trip happens once per
 *   serving version and method, and never again while the versions stay as they are.
 * - Why not a handshake on a `$contract` subject at connect: it needs one more subject in every
 *   process's broker permissions (`modulith broker-config`), it checks one instance of a queue
 *   group while the next call may reach another (rolling deploys run two versions side by side),
 *   and it goes stale when the serving process is redeployed under a connected caller. In-band,
 *   every instance checks every call against its own contract, so the verdict cannot go stale.
 * - Per method: only the changes to the called method (or to the facade as a whole) refuse a
 *   call. A caller whose code never calls a removed method keeps working while both versions run,
 *   and is told about the removal once.
 * - No module.api.md on a side (or no section for the facade in it): that side sends, or checks,
 *   nothing; a call without the header runs unchecked (an older nest-modulith, a process built
 *   without contracts). Skew is then undetectable, which is logged once at debug level, never an
 *   error. The header is never trusted: its size and form are checked before anything else, and
 *   a malformed one is refused with an answer, like any hostile packet.
 */
export const CONTRACT_HEADER = 'Modulith-Contract';

/** The error code of a call refused (or answered without running) because the contracts differ. */
export const CONTRACT_SKEW = 'modulith.contract-skew';

/** At most this many fingerprints in one header value: the caller's own and three compatible serving versions. */
export const MAX_CONTRACT_FINGERPRINTS = 4;

/** The most bytes of NATS headers a serving process decodes (a larger header block is refused unread). */
export const MAX_HEADER_BYTES = 8 * 1024;

const FINGERPRINT = /^[0-9a-f]{16}$/;
const MAX_HEADER_VALUE = MAX_CONTRACT_FINGERPRINTS * 17 - 1;
/** Bounds of the facade section a serving process sends with a skew answer, and a caller accepts. */
const MAX_SECTION_METHODS = 1_000;
const MAX_SECTION_LINE = 16 * 1024;
const MAX_SECTION_CHARS = 256 * 1024;
/** Serving versions whose comparison a caller keeps, per facade (more only during a very odd rollout). */
const MAX_VERDICTS = 16;
/** Caller versions a serving process logs (once each), per facade. */
const MAX_LOGGED_CALLERS = 64;

const logger = new Logger('ContractSkew');

/** One facade's contract as this process was built with it: the section of its module's module.api.md. */
export interface FacadeContract {
  module: string;
  facade: string;
  fingerprint: string;
  section: FacadeSection;
}

/** Why skew cannot be detected for a module (logged once at boot). */
export interface UncheckedContract {
  module: string;
  /** This process hosts it (callers cannot be checked) or calls it (its serving process cannot be). */
  hosted: boolean;
  reason: string;
  /** 'debug' when nothing is wrong (no module.api.md); 'warn' when one is there but unusable. */
  level: 'debug' | 'warn';
}

/** The facade contracts this process was built with (read once at boot by the runtime), by module and facade. */
export class ContractBook {
  private readonly contracts = new Map<string, FacadeContract>();
  readonly unchecked: UncheckedContract[] = [];

  add(module: string, section: FacadeSection): FacadeContract {
    const contract: FacadeContract = {
      module,
      facade: section.name,
      fingerprint: facadeFingerprint(section),
      section: { name: section.name, methods: sortEntries(section.methods) },
    };
    this.contracts.set(`${module}\0${section.name}`, contract);
    return contract;
  }

  get(module: string, facade: string): FacadeContract | undefined {
    return this.contracts.get(`${module}\0${facade}`);
  }

  get size(): number {
    return this.contracts.size;
  }
}

/**
 * A facade call refused because the caller and the serving process were built from contracts
 * whose difference breaks the called method (or whose difference could not be read). Nothing ran
 * in the serving process. An HTTP 503, like a module that is not there.
 */
export class ContractSkewError extends ServiceUnavailableException {
  readonly code = CONTRACT_SKEW;

  constructor(
    readonly module: string,
    readonly facade: string,
    readonly method: string,
    /** The fingerprint of the caller's copy of the facade's contract. */
    readonly callerFingerprint: string,
    /** The fingerprint of the contract the serving process runs. */
    readonly serverFingerprint: string,
    /** Breaking changes from the caller's contract to the serving one (all of the facade's). */
    readonly breaking: readonly ContractChange[],
    /** Compatible changes, for the record. */
    readonly compatible: readonly ContractChange[],
    /** Set when the serving contract could not be compared at all. */
    reason?: string,
  ) {
    const changes = breaking.map((c) => c.what).join('; ');
    super(
      `${facade}.${method} refused: contract skew with module '${module}'. This process was built against contract ${callerFingerprint} of ${facade}, ` +
        `the process serving '${module}' runs contract ${serverFingerprint}; ` +
        (reason ?? `breaking changes: ${changes}`) +
        `. Nothing ran. Fix: deploy caller and callee from the same contract of '${module}' (redeploy whichever of the two is behind); ` +
        'roll out compatible changes (an added method or optional parameter) callee first.',
    );
    this.name = 'ContractSkewError';
  }
}

// ---------------------------------------------------------------------------------------------
// The serving side

/** The part of Nest's NatsContext the check reads: the request's headers (MsgHdrs), if any. */
interface HeaderContext {
  getHeaders?(): unknown;
}

/**
 * The check a serving process runs before a facade call: undefined to run it, or the answer to
 * send instead (a skew answer carrying this process's contract, or a refusal of a malformed
 * header). Never throws; reads the header defensively (it comes from anyone on the broker).
 */
export function servedContractCheck(contract: FacadeContract): (context: HeaderContext | undefined, payload: unknown) => CallReply | undefined {
  const own = contract.fingerprint;
  const where = `${contract.facade} (module '${contract.module}')`;
  const lines = contract.section.methods.map((m) => oneLine(m.text));
  const size = lines.reduce((sum, line) => sum + line.length, 0);
  const methods = lines.length <= MAX_SECTION_METHODS && size <= MAX_SECTION_CHARS && lines.every((l) => l.length <= MAX_SECTION_LINE) ? lines : undefined;
  const loggedCallers = new Set<string>();
  let loggedUnchecked = false;
  return (context, payload) => {
    const values = headerValues(context);
    if (values === undefined || values.length === 0) {
      if (!loggedUnchecked) {
        loggedUnchecked = true;
        logger.debug(`${where}: a caller sent no ${CONTRACT_HEADER} header (built without a module.api.md of '${contract.module}', or by an older nest-modulith): contract skew with it cannot be detected`);
      }
      return undefined;
    }
    const value = values[0];
    if (values.length === 1 && value === own) return undefined;
    if (values.length > 1) return refusedCall(`the ${CONTRACT_HEADER} header was sent ${values.length} times; send it once`, where);
    if (typeof value !== 'string' || value.length > MAX_HEADER_VALUE) {
      return refusedCall(`the ${CONTRACT_HEADER} header holds ${typeof value === 'string' ? value.length : 0} characters; it takes at most ${MAX_CONTRACT_FINGERPRINTS} contract fingerprints (16 hex digits each, comma separated)`, where);
    }
    const fingerprints = value.split(',');
    if (fingerprints.length > MAX_CONTRACT_FINGERPRINTS || !fingerprints.every((fp) => FINGERPRINT.test(fp))) {
      return refusedCall(`the ${CONTRACT_HEADER} header must hold 1 to ${MAX_CONTRACT_FINGERPRINTS} contract fingerprints of 16 lowercase hex digits, comma separated (got '${quote(value, 80)}')`, where);
    }
    if (fingerprints.includes(own)) return undefined;
    const caller = fingerprints[0];
    const method = methodOf(payload);
    if (!loggedCallers.has(caller) && loggedCallers.size < MAX_LOGGED_CALLERS) {
      loggedCallers.add(caller);
      logger.warn(
        `${where}: a caller built against contract ${caller} called ${method ? `'${quote(method, 100)}'` : 'it'}; this process serves contract ${own}. ` +
          'Nothing ran: the caller compares the two contracts, refuses breaking changes and resends compatible calls. Deploy both from the same contract',
      );
    }
    const error: WireError = {
      name: 'ContractSkewError',
      code: CONTRACT_SKEW,
      message: `${where} runs contract ${own}, the caller sent ${caller}: nothing ran; the caller compares the contracts and resends the call if the change is compatible`,
      data: { module: contract.module, facade: contract.facade, fingerprint: own, ...(methods ? { methods } : { methodsOmitted: lines.length }) },
    };
    return { ok: false, error };
  };
}

/** The values of the contract header, or undefined when the request has none (or no headers at all). */
function headerValues(context: HeaderContext | undefined): unknown[] | undefined {
  const headers = typeof context?.getHeaders === 'function' ? (context.getHeaders() as { values?(key: string): unknown } | undefined) : undefined;
  if (!headers || typeof headers.values !== 'function') return undefined;
  const values = headers.values(CONTRACT_HEADER);
  return Array.isArray(values) ? values : undefined;
}

function methodOf(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const method = Object.getOwnPropertyDescriptor(payload, 'method')?.value;
  return typeof method === 'string' ? method : undefined;
}

/** True for the answer of a serving process whose contract differs from the one the caller sent. */
export function isContractSkewReply(reply: CallReply | undefined): reply is { ok: false; error: WireError } {
  return reply?.ok === false && reply.error?.code === CONTRACT_SKEW;
}

// ---------------------------------------------------------------------------------------------
// The calling side

/** The method a change is about (`search` for `CatalogFacade.search`), or undefined when it concerns the whole facade. */
function changedMethod(change: ContractChange, facade: string): string | undefined {
  if (!change.member.startsWith(`${facade}.`)) return undefined;
  return /^[A-Za-z_$][\w$]*/.exec(change.member.slice(facade.length + 1))?.[0];
}

interface Verdict {
  breaking: ContractChange[];
  compatible: ContractChange[];
  /** Why the serving contract could not be compared, if it could not. */
  unreadable?: string;
}

/**
 * The calling side of one remote facade: the header each method's calls carry, and what to do
 * when the serving process answers with another contract (see the top of this file).
 */
export class ContractCaller {
  /** Per method: the header value, when it vouches for serving versions besides the caller's own. */
  private readonly headers = new Map<string, string>();
  private readonly accepted = new Map<string, string[]>();
  private readonly verdicts = new Map<string, Verdict>();
  private readonly warned = new Set<string>();

  constructor(readonly contract: FacadeContract) {}

  /** The `Modulith-Contract` value of a call of `method`. */
  header(method: string): string {
    return this.headers.get(method) ?? this.contract.fingerprint;
  }

  /**
   * The serving process answered `error` (a skew answer) to a call of `method`. Throws
   * ContractSkewError when the change breaks the method or cannot be read; otherwise logs the
   * skew once and vouches for the serving contract in the method's header (the caller resends).
   */
  accept(method: string, error: WireError): void {
    const { module, facade, fingerprint: own } = this.contract;
    const data = (error?.data ?? {}) as Record<string, unknown>;
    const served = typeof data.fingerprint === 'string' && FINGERPRINT.test(data.fingerprint) ? data.fingerprint : undefined;
    if (!served) throw new ContractSkewError(module, facade, method, own, '(unknown)', [], [], 'its answer names no readable contract fingerprint');
    const verdict = this.verdict(served, data);
    if (verdict.unreadable) throw new ContractSkewError(module, facade, method, own, served, [], [], verdict.unreadable);
    const breaksCall = verdict.breaking.some((change) => {
      const changed = changedMethod(change, facade);
      return changed === undefined || changed === method;
    });
    if (breaksCall) throw new ContractSkewError(module, facade, method, own, served, verdict.breaking, verdict.compatible);
    if (!this.warned.has(served)) {
      this.warned.add(served);
      const list = (changes: ContractChange[]) => changes.map((c) => c.what).join('; ');
      logger.warn(
        `contract skew with module '${module}': this process was built against contract ${own} of ${facade}, the serving process runs ${served}. ` +
          (verdict.compatible.length > 0 ? `Compatible changes: ${list(verdict.compatible)}. ` : '') +
          (verdict.breaking.length > 0 ? `Breaking changes (calls of these fail with ContractSkewError): ${list(verdict.breaking)}. ` : '') +
          (verdict.compatible.length + verdict.breaking.length === 0 ? 'No change to its methods was found. ' : '') +
          'Calls of the methods these changes leave intact go on. Deploy both from the same contract',
      );
    }
    const accepted = [served, ...(this.accepted.get(method) ?? []).filter((fp) => fp !== served)].slice(0, MAX_CONTRACT_FINGERPRINTS - 1);
    this.accepted.set(method, accepted);
    this.headers.set(method, [own, ...accepted].join(','));
  }

  /** The comparison of the caller's contract with the serving one, computed once per serving fingerprint. */
  private verdict(served: string, data: Record<string, unknown>): Verdict {
    const known = this.verdicts.get(served);
    if (known) return known;
    const verdict = this.compare(served, data.methods);
    // Kept only when the methods hash to the fingerprint: then the verdict depends on the two
    // contracts alone, and a forged answer cannot stand in for the real one later.
    if (verdict.unreadable) return verdict;
    if (this.verdicts.size >= MAX_VERDICTS) this.verdicts.delete(this.verdicts.keys().next().value as string);
    this.verdicts.set(served, verdict);
    return verdict;
  }

  private compare(served: string, methods: unknown): Verdict {
    const unreadable = (why: string): Verdict => ({ breaking: [], compatible: [], unreadable: `its contract cannot be compared: ${why}` });
    if (!Array.isArray(methods)) return unreadable('the serving process did not send its methods (its facade section is larger than a reply carries)');
    if (methods.length > MAX_SECTION_METHODS) return unreadable(`it lists ${methods.length} methods (at most ${MAX_SECTION_METHODS} are read)`);
    let size = 0;
    for (const line of methods) {
      if (typeof line !== 'string' || line.length > MAX_SECTION_LINE) return unreadable('a method line is no string or too long');
      size += line.length;
    }
    if (size > MAX_SECTION_CHARS) return unreadable(`its methods take ${size} characters (at most ${MAX_SECTION_CHARS} are read)`);
    const section: FacadeSection = { name: this.contract.facade, methods: (methods as string[]).map((text) => ({ key: entryKey('method', text), text })) };
    // Never trusted: the lines must be the contract the fingerprint names.
    if (facadeFingerprint(section) !== served) return unreadable(`the methods it sent do not have the fingerprint ${served}`);
    const contract = (facade: FacadeSection): ModuleContract => ({ module: this.contract.module, exports: [], facades: [facade], publishes: [], listens: [], routes: [] });
    // The rules `modulith check` applies to a module.api.md change, on the facade alone.
    const changes = compareContracts(contract(this.contract.section), contract(section));
    return { breaking: changes.filter((c) => c.kind === 'breaking'), compatible: changes.filter((c) => c.kind !== 'breaking') };
  }
}
