import type { Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ApplicationModules } from '../../core/index.js';
import { OUTBOX_DATA_SOURCE } from '../event-publisher.js';
import { ListenerRegistry } from '../listener-registry.js';
import { OutboxDispatcher } from '../outbox-dispatcher.js';
import { OUTBOX_SINKS } from '../outbox-sink.js';
import { OutboxStore } from '../outbox-store.js';
import { EventContractBook, EventContractCheck, readEventContracts } from './event-contracts.js';
import { EventRelay } from './event-relay.js';
import { RelayConnection } from './relay-connection.js';
import { RelayConsumer } from './relay-consumer.js';
import { relayNames } from './relay-names.js';
import { RELAY_OPTIONS, type EventRelayOptions } from './relay-options.js';
import { RelayPublisher } from './relay-publisher.js';

/** The events module's providers for `relay`; without it, no sinks and nothing of NATS. */
export function relayProviders(relay: EventRelayOptions | undefined): Provider[] {
  if (!relay) return [{ provide: OUTBOX_SINKS, useValue: [] }];
  const names = relayNames(relay.namespace, relay.origin);
  return [
    { provide: RELAY_OPTIONS, useValue: relay },
    { provide: RelayConnection, useFactory: () => new RelayConnection(relay, names) },
    // The event contracts of this build (module.api.md beside each module.json), read once at boot.
    { provide: EventContractBook, useFactory: (model: ApplicationModules) => readEventContracts(model), inject: [ApplicationModules] },
    {
      provide: RelayPublisher,
      useFactory: (connection: RelayConnection, contracts: EventContractBook) => new RelayPublisher(connection, names, relay.origin, relay.servers, contracts),
      inject: [RelayConnection, EventContractBook],
    },
    { provide: OUTBOX_SINKS, useFactory: (publisher: RelayPublisher) => [publisher], inject: [RelayPublisher] },
    {
      provide: RelayConsumer,
      useFactory: (dataSource: DataSource, store: OutboxStore, registry: ListenerRegistry, dispatcher: OutboxDispatcher, contracts: EventContractBook) =>
        new RelayConsumer(names, relay.origin, dataSource, store, registry, dispatcher, new EventContractCheck(contracts)),
      inject: [OUTBOX_DATA_SOURCE, OutboxStore, ListenerRegistry, OutboxDispatcher, EventContractBook],
    },
    EventRelay,
  ];
}
