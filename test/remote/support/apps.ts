import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ModulithModule, type BrokerOptions, type Topology } from 'nest-modulith';
import { CatalogModule } from '../fixtures/modules/catalog/index.js';
import { PricingModule } from '../fixtures/modules/pricing/index.js';
import { ShopModule } from '../fixtures/modules/shop/index.js';
import { NATS_URL } from './nats.js';

/** The fixture project: its modules/ folder holds the module.json of every fixture module. */
export const FIXTURE_ROOT = fileURLToPath(new URL('../fixtures', import.meta.url));

/** catalog (depends on pricing), pricing, shop (depends on catalog). */
export const FIXTURE_MODULES: Array<Type<unknown>> = [CatalogModule, PricingModule, ShopModule];

/** A subject prefix of its own, so test files (and parallel runs) sharing one broker never meet. */
export function uniqueNamespace(label: string): string {
  return `t_${label}_${randomBytes(4).toString('hex')}`;
}

/** The development broker has no authorization: these tests opt into running without a credential. */
export function brokerOptions(namespace: string, more: Partial<BrokerOptions> = {}): BrokerOptions {
  return { url: NATS_URL, namespace, timeoutMs: 5000, insecure: true, ...more };
}

/**
 * A real Nest app (Express, not listening: supertest opens a socket) of the fixture modules,
 * initialised, so it serves its hosted modules on the broker before this resolves.
 *
 * Placement is written on the module classes: create the apps of a test one after another,
 * never concurrently.
 */
export async function startApp(topology: Topology, modules: Array<Type<unknown>> = FIXTURE_MODULES): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [ModulithModule.forRoot({ modules, rootDir: FIXTURE_ROOT, topology })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    await app.init();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

/** What a promise rejected with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
