import { importOptionalPeer } from '../core/index.js';
import type { BrokerServer } from './broker-server.js';

/**
 * The BrokerServer class, loaded on first use: it extends @nestjs/microservices' ServerNats, and
 * that package (with @nats-io/transport-node) is an optional peer that only a process with a
 * broker needs. Rejects with MissingPeerError naming the package to install.
 */
export async function loadBrokerServer(): Promise<typeof BrokerServer> {
  const feature = 'a topology with a broker (MODULITH_SERVE / MODULITH_REMOTE)';
  await importOptionalPeer('@nats-io/transport-node', feature);
  await importOptionalPeer('@nestjs/microservices', feature);
  return (await import('./broker-server.js')).BrokerServer;
}
