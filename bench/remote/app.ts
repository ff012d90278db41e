import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ModulithModule, type Topology } from 'nest-modulith';
import { CheckoutModule, PricingModule } from './pricing.js';

/**
 * The fixture app in one topology. Placement rewrites the feature modules' Nest metadata, so
 * apps of different topologies are built one after another in a process, never side by side.
 */
export async function benchApp(rootDir: string, topology: Topology): Promise<INestApplicationContext> {
  @Module({ imports: [ModulithModule.forRoot({ modules: [PricingModule, CheckoutModule], rootDir, topology })] })
  class BenchRemoteModule {}
  const app = await NestFactory.createApplicationContext(BenchRemoteModule, { logger: ['error', 'warn'] });
  await app.init();
  return app;
}
