import type { JetStreamManager } from '@nats-io/jetstream';
import { natsPackages } from './nats-packages.js';
import type { RelayNames } from './relay-names.js';

const DUPLICATE_WINDOW_MS = 2 * 60_000;

/**
 * Creates the namespace's stream, or brings an existing one to our subjects and age limit.
 * Safe to run from many processes starting at once: losing the race to create it is fine.
 */
export async function ensureStream(jsm: JetStreamManager, names: RelayNames, maxAgeMs: number): Promise<void> {
  const { transport: { nanos }, jetstream: { RetentionPolicy, StorageType } } = natsPackages();
  const wanted = {
    subjects: [names.subjects],
    max_age: nanos(maxAgeMs),
    // Publishing an event id again within this window is dropped by the server (a relay retry
    // after a lost ack); later duplicates are caught by the consumer's marker.
    duplicate_window: nanos(maxAgeMs > 0 ? Math.min(DUPLICATE_WINDOW_MS, maxAgeMs) : DUPLICATE_WINDOW_MS),
  };
  const existing = await streamInfo(jsm, names.stream);
  if (!existing) {
    try {
      await jsm.streams.add({ name: names.stream, retention: RetentionPolicy.Limits, storage: StorageType.File, ...wanted });
      return;
    } catch (error) {
      if (!(await streamInfo(jsm, names.stream))) throw notProvisioned(error, `the stream ${names.stream} does not exist`);
      // Another process created it first: fall through and align it like any existing one.
    }
  }
  const current = existing ?? (await streamInfo(jsm, names.stream))!;
  const hasSubjects = current.subjects?.includes(names.subjects);
  const same = hasSubjects && current.max_age === wanted.max_age && current.duplicate_window === wanted.duplicate_window;
  if (same) return;
  try {
    await jsm.streams.update(names.stream, { ...wanted, subjects: [...new Set([...(current.subjects ?? []), names.subjects])] });
  } catch (error) {
    // A least-privilege credential may not change the stream: its age limit stays as provisioned.
    if (!isPermissionError(error) || !hasSubjects) throw notProvisioned(error, `the stream ${names.stream} does not take ${names.subjects}`);
  }
}

/**
 * A process with a least-privilege credential (`modulith broker-config`) may not create streams
 * or consumers (whoever may create a consumer may have it deliver to any subject, facades
 * included); they are created beforehand with the provisioning credential.
 */
function notProvisioned(error: unknown, what: string): unknown {
  if (!isPermissionError(error)) return error;
  return new Error(
    `${what} and this process's broker credential may not create it (least privilege). Provision the event relay first: modulith broker-config --provision (with the provisioning credential it writes)`,
  );
}

function isPermissionError(error: unknown): boolean {
  return (error as Error)?.name === 'PermissionViolationError' || /permissions? violation/i.test((error as Error)?.message ?? '');
}

/**
 * The origin's durable pull consumer. Explicit acks: a message is acknowledged only once its
 * event is committed to this process's outbox. A new consumer starts at the beginning of the
 * stream, so events published before this group first started are not lost either.
 */
export async function ensureConsumer(jsm: JetStreamManager, names: RelayNames): Promise<void> {
  const { transport: { nanos }, jetstream: { AckPolicy, DeliverPolicy } } = natsPackages();
  if (await consumerExists(jsm, names)) return;
  try {
    await jsm.consumers.add(names.stream, {
      durable_name: names.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: names.subjects,
      ack_wait: nanos(30_000),
      max_deliver: -1,
    });
  } catch (error) {
    if (!(await consumerExists(jsm, names))) throw notProvisioned(error, `the durable consumer ${names.durable} of stream ${names.stream} does not exist`);
  }
}

async function streamInfo(jsm: JetStreamManager, stream: string) {
  try {
    return (await jsm.streams.info(stream)).config;
  } catch (error) {
    const { JetStreamApiError, JetStreamApiCodes } = natsPackages().jetstream;
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return undefined;
    throw error;
  }
}

async function consumerExists(jsm: JetStreamManager, names: RelayNames): Promise<boolean> {
  try {
    await jsm.consumers.info(names.stream, names.durable);
    return true;
  } catch (error) {
    const { JetStreamApiError, JetStreamApiCodes } = natsPackages().jetstream;
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound) return false;
    throw error;
  }
}
