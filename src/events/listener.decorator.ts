import 'reflect-metadata';
import type { EventClass } from './module-event.decorator.js';

const LISTENERS = 'nest-modulith:event-listeners';

export interface ListenerOptions {
  /**
   * Stable id of this listener, stored with each delivery. Defaults to `ClassName.method`; set it
   * explicitly before renaming the class or method, or pending deliveries lose their listener.
   */
  id?: string;
  /** Attempts before a delivery is marked failed (default: the events module's maxAttempts). */
  maxAttempts?: number;
}

export interface ListenerDeclaration {
  eventClass: EventClass;
  method: string;
  options: ListenerOptions;
}

/**
 * Declares a provider method as a listener of a module event. It runs after the publishing
 * transaction commits, at least once, with the event's stable id in the delivery context:
 *
 *   @OnModuleEvent(JobFailed, { id: 'billing.refund-failed-job' })
 *   async refund(event: JobFailed, delivery: Delivery) { ... }
 */
export function OnModuleEvent(eventClass: EventClass, options: ListenerOptions = {}): MethodDecorator {
  return (target, method) => {
    const list: ListenerDeclaration[] = Reflect.getOwnMetadata(LISTENERS, target.constructor) ?? [];
    list.push({ eventClass, method: String(method), options });
    Reflect.defineMetadata(LISTENERS, list, target.constructor);
  };
}

export function listenerDeclarationsOf(providerClass: Function): ListenerDeclaration[] {
  return Reflect.getOwnMetadata(LISTENERS, providerClass) ?? [];
}
