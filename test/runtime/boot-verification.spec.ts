// @modulith-covers runtime
import 'reflect-metadata';
import { Global, Injectable, Module, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FeatureModule, ModulithModule, ModuleVerificationError, ModuleModelError, ApplicationModules, RunningModules } from 'nest-modulith';
import { tempProject, type TempProject } from '../core/temp-project.js';

// The facades and implementations the fixture modules below bind.
abstract class BillingFacade {
  abstract balance(accountId: string): Promise<number>;
}
@Injectable()
class BillingService implements BillingFacade {
  async balance(): Promise<number> {
    return 42;
  }
}
@Injectable()
class LedgerRepository {}

abstract class OrdersFacade {
  abstract total(): Promise<number>;
}
@Injectable()
class OrdersService implements OrdersFacade {
  constructor(private readonly billing: BillingFacade) {}
  async total(): Promise<number> {
    return (await this.billing.balance('a')) + 1;
  }
}

@FeatureModule({ name: 'billing', providers: [LedgerRepository], facades: [{ provide: BillingFacade, useClass: BillingService }] })
class BillingModule {}

let project: TempProject;
beforeEach(() => {
  project = tempProject({
    'modules/billing/module.json': { name: 'billing' },
    'modules/billing/index.ts': 'export {};',
    'modules/orders/module.json': { name: 'orders', dependsOn: ['billing'] },
    'modules/orders/index.ts': 'export {};',
    'modules/audit/module.json': { name: 'audit' },
  });
});
afterEach(() => project.dispose());

/** Boots a real Nest app around the given feature modules; resolves to the init error, if any. */
async function boot(modules: Array<Type<unknown>>): Promise<{ app?: { get<T>(t: unknown): T; close(): Promise<void> }; error?: Error }> {
  const moduleRef = await Test.createTestingModule({
    imports: [ModulithModule.forRoot({ modules, rootDir: project.dir })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    await app.init();
    return { app };
  } catch (error) {
    await app.close().catch(() => undefined);
    return { error: error as Error };
  }
}

describe('boot verification of the live Nest container', () => {
  it('starts a well-formed app and wires facades across modules', async () => {
    @FeatureModule({ name: 'orders', imports: [BillingModule], facades: [{ provide: OrdersFacade, useClass: OrdersService }] })
    class OrdersModule {}
    const { app, error } = await boot([OrdersModule, BillingModule]);
    expect(error).toBeUndefined();
    expect(await app!.get<OrdersFacade>(OrdersFacade).total()).toBe(43);
    expect(app!.get<ApplicationModules>(ApplicationModules).names).toEqual(['audit', 'billing', 'orders']);
    expect(app!.get<RunningModules>(RunningModules).names).toEqual(['billing', 'orders']);
    await app!.close();
  });

  it('refuses a feature module importing a module it does not declare', async () => {
    @FeatureModule({ name: 'audit', imports: [BillingModule] })
    class AuditModule {}
    const { error } = await boot([AuditModule, BillingModule]);
    expect(error).toBeInstanceOf(ModuleVerificationError);
    expect((error as ModuleVerificationError).violations).toEqual([
      {
        module: 'audit',
        rule: 'undeclared-import',
        message: "AuditModule imports the Nest module of 'billing', which modules/audit/module.json does not declare",
        fix: 'add "billing" to "dependsOn" in modules/audit/module.json, or remove the import',
      },
    ]);
    expect(error!.message).toContain('refusing to start');
  });

  it('refuses a feature module exporting more than its facades', async () => {
    @FeatureModule({
      name: 'audit',
      providers: [LedgerRepository],
      exports: [LedgerRepository],
    })
    class AuditModule {}
    const { error } = await boot([AuditModule]);
    expect((error as ModuleVerificationError).violations).toEqual([
      expect.objectContaining({ module: 'audit', rule: 'exports-internals', message: 'AuditModule exports LedgerRepository, which is not one of its facades' }),
    ]);
  });

  it('refuses a feature module re-exporting another module', async () => {
    @FeatureModule({ name: 'orders', imports: [BillingModule], exports: [BillingModule] })
    class OrdersModule {}
    const { error } = await boot([OrdersModule]);
    expect((error as ModuleVerificationError).violations.map((v) => [v.rule, v.message])).toEqual([
      ['exports-internals', 'OrdersModule exports BillingModule, which is not one of its facades'],
    ]);
  });

  it('refuses a @Global() feature module', async () => {
    @Global()
    @FeatureModule({ name: 'audit' })
    class AuditModule {}
    const { error } = await boot([AuditModule]);
    expect((error as ModuleVerificationError).violations).toEqual([
      expect.objectContaining({ module: 'audit', rule: 'global-module', fix: expect.stringContaining('remove @Global() from AuditModule') }),
    ]);
  });

  it('refuses an app missing a declared dependency', async () => {
    @FeatureModule({ name: 'orders' })
    class OrdersModule {}
    const { error } = await boot([OrdersModule]);
    expect((error as ModuleVerificationError).violations).toEqual([
      {
        module: 'orders',
        rule: 'missing-dependency',
        message: "'orders' depends on 'billing', but no @FeatureModule named 'billing' is part of the app",
        fix: "add the Nest module of 'billing' to ModulithModule.forRoot({ modules: [...] })",
      },
    ]);
  });

  it('refuses a feature module whose name has no module.json', async () => {
    @FeatureModule({ name: 'shipping' })
    class ShippingModule {}
    const { error } = await boot([ShippingModule]);
    expect((error as ModuleVerificationError).violations).toEqual([
      expect.objectContaining({ rule: 'unknown-module', fix: 'create modules/shipping/module.json or use one of: audit, billing, orders' }),
    ]);
  });

  it('refuses two Nest modules bound to one module.json', async () => {
    @FeatureModule({ name: 'audit' })
    class AuditModule {}
    @FeatureModule({ name: 'audit' })
    class AuditTwoModule {}
    const { error } = await boot([AuditModule, AuditTwoModule]);
    expect((error as ModuleVerificationError).violations.map((v) => v.rule)).toEqual(['duplicate-module']);
  });

  it('lists every violation of the app in one error', async () => {
    @Global()
    @FeatureModule({ name: 'audit', imports: [BillingModule], providers: [LedgerRepository], exports: [LedgerRepository] })
    class AuditModule {}
    const { error } = await boot([AuditModule]);
    expect((error as ModuleVerificationError).violations.map((v) => v.rule)).toEqual(['exports-internals', 'global-module', 'undeclared-import']);
    expect(error!.message).toMatch(/3 problems/);
  });

  it('ignores plain Nest modules and lets shared modules be used without declaring them', async () => {
    project.write({ 'modules/kernel/module.json': { name: 'kernel', shared: true } });
    @FeatureModule({ name: 'kernel' })
    class KernelModule {}
    @Module({})
    class PlainModule {}
    @FeatureModule({ name: 'audit', imports: [KernelModule, PlainModule] })
    class AuditModule {}
    const { app, error } = await boot([AuditModule]);
    expect(error).toBeUndefined();
    await app!.close();
  });

  it('fails while building the module graph when a module.json is broken', async () => {
    project.write({ 'modules/audit/module.json': '{ nope' });
    expect(() => ModulithModule.forRoot({ modules: [], rootDir: project.dir })).toThrow(ModuleModelError);
    expect(() => ModulithModule.forRoot({ modules: [], rootDir: project.dir })).toThrow(/modules\/audit\/module.json: is not valid JSON/);
  });
});
