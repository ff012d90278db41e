import 'reflect-metadata';
import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { telemetryRegistered, traceFacade } from '../observability/index.js';
import { BrokerClient, facadeMethods, markFacadeWrapper, remoteFacade, strictFacade } from '../remote/index.js';
import { getFeatureModuleMetadata } from './feature-module.decorator.js';
import { isHosted, TOPOLOGY_ENV, type Topology } from './topology.js';

/** A feature module of the app and where it runs. */
export interface PlacedModule {
  name: string;
  type: Type<unknown>;
  hosted: boolean;
  facades: Array<abstract new (...args: any[]) => unknown>;
  /** It has controllers: its HTTP routes live under `/<name>`. */
  hasRoutes: boolean;
  /** Its own controllers (as declared, whatever the placement): whose handlers run in its scope. */
  controllers: Function[];
}

// The four keys @Module writes; a placement rewrites them and can always restore the originals.
const MODULE_KEYS = ['imports', 'providers', 'controllers', 'exports'] as const;
const ORIGINAL = Symbol('nest-modulith:original-module-metadata');
type ModuleMetadataRecord = Partial<Record<(typeof MODULE_KEYS)[number], unknown[]>>;

// A test stand-in set on the class (standInModule) wins over any placement until restoreModule.
const STAND_IN = Symbol('nest-modulith:stand-in-module-metadata');

/**
 * Decides where each feature module runs and makes its Nest module say so:
 * - hosted here: its own metadata, each facade traced (traceFacade) when an OpenTelemetry SDK
 *   is registered and, in strict mode, round-tripped through the wire codec (strictFacade);
 * - remote: a stand-in with no imports, controllers or providers but one client per facade,
 *   exporting the same facade tokens. Modules importing it get the clients and do not change;
 * - stood in (a test slice, see standInModule): the same shape, the providers being test stubs.
 *
 * The metadata lives on the module classes, so one process holds one placement at a time:
 * create apps of different topologies one after another, not concurrently.
 */
export function placeModules(modules: ReadonlyArray<Type<unknown> | DynamicModule>, topology: Topology): PlacedModule[] {
  const placed = modules.map((entry) => placeOne(entry, topology));
  checkNames(placed, topology);
  for (const module of placed) {
    const original = originalMetadata(module.type);
    const standIn = (module.type as unknown as Record<symbol, ModuleMetadataRecord | undefined>)[STAND_IN];
    const metadata = standIn ?? (module.hosted ? hostedMetadata(original, module, topology.strict === true) : remoteMetadata(module));
    writeMetadata(module.type, metadata);
  }
  return placed;
}

/**
 * Makes a feature module a stand-in until restoreModule: no imports or controllers, `providers`
 * (one per facade, e.g. test stubs) and its facade tokens as exports. Modules importing the class
 * get the stand-in, and every later placement keeps it (a test slice composes the app after this).
 */
export function standInModule(type: Type<unknown>, providers: Provider[]): void {
  const meta = getFeatureModuleMetadata(type);
  if (!meta) throw new Error(`${type?.name ?? String(type)} is not a @FeatureModule; only feature modules can be stood in for`);
  originalMetadata(type);
  const metadata: ModuleMetadataRecord = { imports: [], controllers: [], providers, exports: [...meta.facades] };
  Object.defineProperty(type, STAND_IN, { value: metadata, configurable: true, enumerable: false, writable: true });
  writeMetadata(type, metadata);
}

/** Gives a module back the metadata its decorators wrote (undoing a placement or a stand-in). */
export function restoreModule(type: Type<unknown>): void {
  const record = type as unknown as Record<symbol, ModuleMetadataRecord | undefined>;
  if (record[STAND_IN]) delete record[STAND_IN];
  if (record[ORIGINAL]) writeMetadata(type, record[ORIGINAL]!);
}

/** The imports the module's decorators declared, whatever placement it currently has. */
export function declaredImports(type: Type<unknown>): unknown[] {
  return [...(originalMetadata(type).imports ?? [])];
}

function writeMetadata(type: Type<unknown>, metadata: ModuleMetadataRecord): void {
  for (const key of MODULE_KEYS) {
    if (metadata[key] === undefined) Reflect.deleteMetadata(key, type);
    else Reflect.defineMetadata(key, metadata[key], type);
  }
}

function placeOne(entry: Type<unknown> | DynamicModule, topology: Topology): PlacedModule {
  const type = (typeof entry === 'function' ? entry : entry.module) as Type<unknown>;
  const meta = getFeatureModuleMetadata(type);
  if (!meta) {
    throw new Error(`${type?.name ?? String(entry)} is listed in ModulithModule.forRoot({ modules }) but is not a @FeatureModule; decorate it with @FeatureModule({ name, ... })`);
  }
  const hosted = isHosted(topology, meta.name);
  if (!hosted && typeof entry !== 'function') {
    throw new Error(`'${meta.name}' is a dynamic module (${type.name}.forRoot(...)); only modules listed by class can be remote`);
  }
  const original = originalMetadata(type);
  const controllers = [...(original.controllers ?? []), ...(typeof entry === 'function' ? [] : (entry.controllers ?? []))] as Function[];
  return { name: meta.name, type, hosted, facades: meta.facades as PlacedModule['facades'], hasRoutes: controllers.length > 0, controllers };
}

function checkNames(placed: PlacedModule[], topology: Topology): void {
  const known = placed.map((module) => module.name);
  for (const [variable, names] of [
    [TOPOLOGY_ENV.serve, topology.serve],
    [TOPOLOGY_ENV.remote, topology.remote],
  ] as const) {
    for (const name of names ?? []) {
      if (!known.includes(name)) {
        throw new Error(`${variable} names '${name}', which is not a feature module of this app; use one of: ${known.sort().join(', ')}`);
      }
    }
  }
  if ((topology.serve || topology.remote) && !topology.broker) {
    throw new Error(`the topology places modules in other processes but names no broker; set ${TOPOLOGY_ENV.url} (topologyFromEnv does)`);
  }
}

function originalMetadata(type: Type<unknown>): ModuleMetadataRecord {
  const saved = (type as unknown as Record<symbol, ModuleMetadataRecord>)[ORIGINAL];
  if (saved) return saved;
  const original: ModuleMetadataRecord = {};
  for (const key of MODULE_KEYS) original[key] = Reflect.getMetadata(key, type) as unknown[] | undefined;
  Object.defineProperty(type, ORIGINAL, { value: original, enumerable: false });
  return original;
}

function hostedMetadata(original: ModuleMetadataRecord, module: PlacedModule, strict: boolean): ModuleMetadataRecord {
  // Without an OpenTelemetry SDK a non-strict facade stays the implementation itself: no wrapper.
  const traced = telemetryRegistered();
  if (module.facades.length === 0 || (!strict && !traced)) return original;
  const facades = new Set<unknown>(module.facades);
  const providers = (original.providers ?? []).flatMap((provider) => {
    const token = (provider as { provide?: unknown })?.provide;
    if (!facades.has(token)) return [provider];
    const facade = token as PlacedModule['facades'][number];
    const implementation = Symbol(`${facade.name} implementation`);
    // Tracing wraps the strict wrapper, so a strict call's span covers the codec round trip too.
    // Marked as a wrapper: a broker server unwraps it and records the call itself.
    const wrap = (impl: unknown) => {
      const inner = strict ? strictFacade(facade, impl, module.name) : impl;
      if (!traced) return inner;
      const wrapper = traceFacade(facade, inner, module.name, facadeMethods(facade));
      return wrapper === inner ? inner : markFacadeWrapper(wrapper as object, inner);
    };
    return [{ ...(provider as object), provide: implementation } as Provider, { provide: facade, useFactory: wrap, inject: [implementation] }];
  });
  return { ...original, providers };
}

function remoteMetadata(module: PlacedModule): ModuleMetadataRecord {
  return {
    imports: [],
    controllers: [],
    providers: module.facades.map((facade) => ({
      provide: facade,
      useFactory: (broker: BrokerClient) => remoteFacade(module.name, facade, broker),
      inject: [BrokerClient],
    })),
    exports: [...module.facades],
  };
}
