import type * as JetStream from '@nats-io/jetstream';
import type * as Transport from '@nats-io/transport-node';
import { importOptionalPeer } from '../../core/index.js';

/**
 * The NATS client packages of the relay. They are optional peers of nest-modulith, needed only
 * when ModulithEventsModule has `relay` options, so they are imported when the relay first
 * connects (`loadNatsPackages`), never when the app imports nest-modulith/events. Everything
 * that runs on a connection (`natsPackages`) can take them synchronously after that.
 */
export interface NatsPackages {
  transport: typeof Transport;
  jetstream: typeof JetStream;
}

let loaded: NatsPackages | undefined;

export async function loadNatsPackages(): Promise<NatsPackages> {
  const feature = 'the event relay (ModulithEventsModule.forRoot({ relay }))';
  loaded ??= {
    transport: await importOptionalPeer<typeof Transport>('@nats-io/transport-node', feature),
    jetstream: await importOptionalPeer<typeof JetStream>('@nats-io/jetstream', feature),
  };
  return loaded;
}

/** The packages, once loadNatsPackages() has run (it has whenever a connection exists). */
export function natsPackages(): NatsPackages {
  if (!loaded) throw new Error('nest-modulith: the NATS packages are used before the relay loaded them (loadNatsPackages)');
  return loaded;
}
