import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ApplicationModules } from '../core/index.js';
import { getFeatureModuleMetadata } from '../runtime/index.js';
import { listenerDeclarationsOf, type ListenerOptions } from './listener.decorator.js';
import { eventTypeOf, ownerOf, type EventClass, type EventType } from './module-event.decorator.js';

export interface RegisteredListener {
  id: string;
  event: EventType;
  eventClass: EventClass;
  /** The feature module hosting the listener ('' for app-shell providers). */
  module: string;
  options: ListenerOptions;
  invoke(event: object, delivery: DeliveryContext): Promise<unknown>;
}

/** What a listener learns about the delivery it is handling. */
export interface DeliveryContext {
  /** The event's stable id: the same on every retry, the key for idempotency. */
  eventId: string;
  deliveryId: string;
  eventName: string;
  eventVersion: number;
  /** 1 on the first attempt. */
  attempt: number;
  publishedAt: Date;
  listener: string;
}

export class ListenerVerificationError extends Error {}

/**
 * Finds every @OnModuleEvent method in the app once, at bootstrap, and checks each against the
 * model: a listener may only handle events of modules its module may use.
 */
@Injectable()
export class ListenerRegistry implements OnApplicationBootstrap {
  private readonly byId = new Map<string, RegisteredListener>();
  private readonly byEvent = new Map<string, RegisteredListener[]>();

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(ApplicationModules) private readonly model: ApplicationModules,
  ) {}

  onApplicationBootstrap(): void {
    if (this.byId.size > 0) return;
    const problems: string[] = [];
    // One instance may sit behind several tokens (a facade bound with useExisting to the service
    // that also listens): its listeners are registered once.
    const seen = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.metatype || typeof wrapper.metatype !== 'function') continue;
      if (wrapper.isAlias || seen.has(instance)) continue;
      seen.add(instance);
      const declarations = listenerDeclarationsOf(instance.constructor);
      if (declarations.length === 0) continue;
      const module = getFeatureModuleMetadata(wrapper.host?.metatype)?.name ?? '';
      for (const declaration of declarations) {
        const event = eventTypeOf(declaration.eventClass);
        const id = declaration.options.id ?? `${instance.constructor.name}.${declaration.method}`;
        const owner = ownerOf(event);
        if (module && this.model.get(owner) && this.model.get(module) && !this.model.mayUse(module, owner)) {
          problems.push(
            `  ${module}: listener '${id}' handles '${event.name}' of module '${owner}', which ${this.model.require(module).manifest} does not declare\n` +
              `    fix: add "${owner}" to "dependsOn" in ${this.model.require(module).manifest}, or move the event into a shared module`,
          );
        }
        if (this.byId.has(id)) {
          problems.push(`  ${module || 'app'}: two listeners share the id '${id}'\n    fix: give one of them @OnModuleEvent(..., { id: '<unique id>' })`);
          continue;
        }
        const method = instance[declaration.method] as (event: object, delivery: DeliveryContext) => unknown;
        const listener: RegisteredListener = {
          id,
          event,
          eventClass: declaration.eventClass,
          module,
          options: declaration.options,
          invoke: async (payload, delivery) => method.call(instance, payload, delivery),
        };
        this.byId.set(id, listener);
        this.byEvent.set(event.name, [...(this.byEvent.get(event.name) ?? []), listener]);
      }
    }
    if (problems.length > 0) {
      throw new ListenerVerificationError(
        `nest-modulith: refusing to start, event listeners break module boundaries (${problems.length})\n${problems.join('\n')}`,
      );
    }
  }

  listenersOf(eventName: string): RegisteredListener[] {
    return this.byEvent.get(eventName) ?? [];
  }

  get(id: string): RegisteredListener | undefined {
    return this.byId.get(id);
  }

  all(): RegisteredListener[] {
    return [...this.byId.values()];
  }
}
