import type { EventClass } from '../events/index.js';
import { describeCaptured, type CapturedEvent, type CapturedEvents } from './captured-events.js';

/** Default wait of every Scenario expectation. */
export const DEFAULT_SCENARIO_TIMEOUT_MS = 5_000;
const DEFAULT_QUIET_MS = 500;
const DEFAULT_POLL_MS = 20;

/** What a scenario needs of its slice. */
export interface ScenarioHost {
  /** The slice's target module name, for messages. */
  readonly target: string;
  /** The capture; undefined when the slice runs without events. */
  readonly captured: CapturedEvents | undefined;
  /** Publishes through the slice's real outbox; resolves to the event id. */
  publish(event: object): Promise<string>;
}

/**
 * Spring Modulith's Scenario for a slice: a stimulus (a call, or an event published through the
 * real outbox), then what must follow — an event, a state change, or the absence of an event.
 * Nothing runs until one of the `and...` methods is awaited; only events published after the
 * stimulus starts count.
 */
export class Scenario {
  constructor(private readonly host: ScenarioHost) {}

  /** Runs `stimulus` (its throw rejects the expectation); its result is handed to the predicates. */
  stimulate<R>(stimulus: () => R | Promise<R>): ScenarioStimulus<Awaited<R>> {
    return new ScenarioStimulus<Awaited<R>>(this.host, async (): Promise<Awaited<R>> => await stimulus());
  }

  /** Publishes `event` through the outbox, as its module would: the slice's listeners receive it. Result: the event id. */
  publish(event: object): ScenarioStimulus<string> {
    return new ScenarioStimulus(this.host, () => this.host.publish(event));
  }
}

export interface WaitOptions {
  /** How long to wait after the stimulus, in ms (default 5000). */
  timeout?: number;
}

export interface StateChangeOptions extends WaitOptions {
  /** How often to read the state, in ms (default 20). */
  interval?: number;
}

export interface NoEventOptions<E, R> {
  /** How long nothing may arrive after the stimulus, in ms (default 500). */
  within?: number;
  /** Only events matching this count. */
  matching?: (event: E, result: R) => boolean;
}

/** A stimulus waiting for what must follow it. */
export class ScenarioStimulus<R> {
  constructor(
    private readonly host: ScenarioHost,
    private readonly stimulus: () => Promise<R>,
  ) {}

  /** Resolves to the first `type` event published after the stimulus (matching `predicate`); rejects after the timeout. */
  async andWaitForEvent<E extends object>(type: EventClass<E>, predicate?: (event: E, result: R) => boolean, options: WaitOptions = {}): Promise<E> {
    const captured = this.capture(`andWaitForEvent(${type.name})`);
    const timeout = options.timeout ?? DEFAULT_SCENARIO_TIMEOUT_MS;
    const mark = captured.count;
    const result = await this.stimulus();
    const found = await waitFor(captured, timeout, () => matching(captured, type, mark, (event) => !predicate || predicate(event, result))[0]);
    if (found) return found;
    throw new Error(
      `Scenario: no ${type.name}${predicate ? ' matching the predicate' : ''} within ${timeout} ms after the stimulus; ` +
        `published meanwhile: ${meanwhile(captured.since(mark))}`,
    );
  }

  /** Polls `supplier` until it returns a value that is not null, undefined, false or an empty array; resolves to that value. */
  andWaitForStateChange<V>(supplier: (result: R) => V | Promise<V>): Promise<NonNullable<Awaited<V>>>;
  /** Polls `supplier` until `accept` holds for its value; resolves to that value. */
  andWaitForStateChange<V>(supplier: (result: R) => V | Promise<V>, accept: (value: Awaited<V>, result: R) => boolean, options?: StateChangeOptions): Promise<Awaited<V>>;
  async andWaitForStateChange<V>(
    supplier: (result: R) => V | Promise<V>,
    accept: (value: Awaited<V>, result: R) => boolean = isPresent,
    options: StateChangeOptions = {},
  ): Promise<Awaited<V>> {
    const timeout = options.timeout ?? DEFAULT_SCENARIO_TIMEOUT_MS;
    const interval = options.interval ?? DEFAULT_POLL_MS;
    const mark = this.host.captured?.count ?? 0;
    const result = await this.stimulus();
    const deadline = Date.now() + timeout;
    let value: Awaited<V>;
    for (;;) {
      value = await supplier(result);
      if (accept(value, result)) return value;
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(interval, Math.max(0, deadline - Date.now()))));
    }
    const events = this.host.captured ? `; published meanwhile: ${meanwhile(this.host.captured.since(mark))}` : '';
    throw new Error(`Scenario: the state did not change as expected within ${timeout} ms after the stimulus (last value: ${preview(value)})${events}`);
  }

  /** Resolves to the stimulus's result when no `type` event (matching `matching`) is published within `within` ms after it. */
  async andExpectNoEvent<E extends object>(type: EventClass<E>, options: NoEventOptions<E, R> = {}): Promise<R> {
    const captured = this.capture(`andExpectNoEvent(${type.name})`);
    const within = options.within ?? DEFAULT_QUIET_MS;
    const mark = captured.count;
    const result = await this.stimulus();
    const accept = (event: E) => !options.matching || options.matching(event, result);
    const arrived = await waitFor(captured, within, () => stored(captured, type, mark, accept)[0]);
    if (!arrived) return result;
    throw new Error(
      `Scenario: expected no ${type.name}${options.matching ? ' matching the predicate' : ''} within ${within} ms after the stimulus, ` +
        `but ${describeCaptured(arrived)} was published: ${preview(JSON.parse(arrived.payload))}`,
    );
  }

  private capture(what: string): CapturedEvents {
    if (this.host.captured) return this.host.captured;
    throw new Error(`Scenario ${what}: the slice of '${this.host.target}' runs without events (events: false); create it with events: true to wait for events`);
  }
}

/** The captured `type` events after `mark` that pass `accept`, as stored. */
function stored<E extends object>(captured: CapturedEvents, type: EventClass<E>, mark: number, accept: (event: E) => boolean): CapturedEvent[] {
  const recent = new Set(captured.since(mark).map((event) => event.id));
  return captured.of(type).filter((event) => recent.has(event.id) && accept(captured.decode(event, type)));
}

function matching<E extends object>(captured: CapturedEvents, type: EventClass<E>, mark: number, accept: (event: E) => boolean): E[] {
  return stored(captured, type, mark, accept).map((event) => captured.decode(event, type));
}

/** Resolves to `probe()`'s first defined answer, re-asked after each captured event, or undefined after `ms`. */
function waitFor<T>(captured: CapturedEvents, ms: number, probe: () => T | undefined): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    let stop = (): void => undefined;
    const timer = setTimeout(() => {
      stop();
      resolve(undefined);
    }, ms);
    const check = (): void => {
      try {
        const found = probe();
        if (found === undefined) return;
        clearTimeout(timer);
        stop();
        resolve(found);
      } catch (error) {
        clearTimeout(timer);
        stop();
        reject(error);
      }
    };
    stop = captured.watch(check);
    check();
  });
}

function isPresent(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
}

function meanwhile(events: CapturedEvent[]): string {
  return events.length === 0 ? 'nothing' : events.map(describeCaptured).join(', ');
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
