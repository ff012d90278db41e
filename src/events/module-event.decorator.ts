import 'reflect-metadata';

const MODULE_EVENT = 'nest-modulith:module-event';

/** The stable identity of an event type: what the outbox stores, never the class name. */
export interface EventType {
  /** Logical name, `<publishing module>.<what happened>`, e.g. `media.job.completed`. */
  name: string;
  version: number;
  /** The module whose public API declares the event: listeners must be allowed to use it. */
  module: string;
}

export type EventClass<T = object> = abstract new (...args: any[]) => T;

const EVENT_NAME = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;

/**
 * Marks a plain class of a module's public API as an event with a stable logical name and
 * version. The event belongs to the module that declares it: by default the first segment of
 * its name; `module` names another one, typically a shared module holding the published
 * language of a module that its own dependencies listen to (which would otherwise be a cycle).
 * Listeners in other modules must be allowed to use that module (declared, or shared).
 *
 *   @ModuleEvent({ name: 'media.job.completed', version: 1 })
 *   export class JobCompleted { constructor(readonly jobId: string) {} }
 */
export function ModuleEvent(type: { name: string; version?: number; module?: string }): ClassDecorator {
  if (!EVENT_NAME.test(type.name)) {
    throw new Error(
      `nest-modulith: event name '${type.name}' must look like '<module>.<what-happened>' (lowercase, dot-separated), e.g. 'media.job.completed'`,
    );
  }
  const version = type.version ?? 1;
  if (!Number.isInteger(version) || version < 1) throw new Error(`nest-modulith: event '${type.name}' version must be a positive integer`);
  const module = type.module ?? type.name.slice(0, type.name.indexOf('.'));
  return (target) => Reflect.defineMetadata(MODULE_EVENT, { name: type.name, version, module }, target);
}

export function eventTypeOf(eventClass: Function): EventType {
  const type = Reflect.getOwnMetadata(MODULE_EVENT, eventClass) as EventType | undefined;
  if (!type) {
    throw new Error(`nest-modulith: ${eventClass.name || 'this class'} is not an event: decorate it with @ModuleEvent({ name: '<module>.<what-happened>' })`);
  }
  return type;
}

/** The module that declares an event (see ModuleEvent's `module`). */
export function ownerOf(type: EventType): string {
  return type.module;
}
