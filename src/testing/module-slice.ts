import type { Abstract, INestApplication, Type } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import type { CapturedEvents } from './captured-events.js';
import type { SliceStubs } from './facade-stubs.js';
import type { Scenario, ScenarioHost } from './scenario.js';

/** Which modules a slice runs for real and which it stubs, by name. */
export interface SliceModules {
  inSlice: string[];
  stubbed: string[];
}

/** What ModuleTest.create hands the slice. */
export interface SliceParts {
  name: string;
  module: TestingModule;
  app: INestApplication;
  stubs: SliceStubs;
  captured: CapturedEvents | undefined;
  modules: SliceModules;
  scenario: (host: ScenarioHost) => Scenario;
  publish: (event: object) => Promise<string>;
  restore: () => void;
}

/** A booted module slice (ModuleTest.create): the container, its stubs, its events and scenarios. */
export class ModuleSlice {
  /** The Nest testing module. */
  readonly module: TestingModule;
  /** The initialised application (not listening: use app.getHttpServer() with supertest). */
  readonly app: INestApplication;
  /** The stubs standing in for the modules outside the slice. */
  readonly stubs: SliceStubs;
  /** The modules of the slice, by name. */
  readonly modules: SliceModules;
  private closed = false;

  constructor(private readonly parts: SliceParts) {
    this.module = parts.module;
    this.app = parts.app;
    this.stubs = parts.stubs;
    this.modules = parts.modules;
  }

  /** The target module's name. */
  get name(): string {
    return this.parts.name;
  }

  /** A provider of the slice (a facade, or any provider of the modules in it); typed like Nest's app.get. */
  get<TInput = any, TResult = TInput>(token: Type<TInput> | Abstract<TInput> | Function | string | symbol): TResult {
    return this.app.get<TInput, TResult>(token, { strict: false });
  }

  /** The events published in the slice, captured once committed. */
  get events(): CapturedEvents {
    if (this.parts.captured) return this.parts.captured;
    throw new Error(`the slice of '${this.parts.name}' runs without events (events: false); create it with events: true to capture them`);
  }

  /** A new scenario: a stimulus, then what must follow. */
  scenario(): Scenario {
    const { name, captured, publish } = this.parts;
    return this.parts.scenario({ target: name, captured, publish });
  }

  /** Closes the app and gives every module of the slice its own metadata back. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.app.close();
    } finally {
      this.parts.restore();
    }
  }
}
