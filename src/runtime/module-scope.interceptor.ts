import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { runInModule } from '../observability/index.js';
import type { PlacedModule } from './module-placement.js';
import { PLACEMENT } from './remote-wiring.js';

/**
 * Runs a feature module's controller handlers in that module's scope, so the facade calls they
 * make record it as their caller. A controller of no feature module (the app shell's) keeps the
 * scope it has ('app'). Registered globally by ModulithModule (APP_INTERCEPTOR).
 */
@Injectable()
export class ModuleScopeInterceptor implements NestInterceptor {
  private readonly owners: Map<Function, string>;

  constructor(@Inject(PLACEMENT) placement: PlacedModule[]) {
    this.owners = new Map(placement.filter((m) => m.hosted).flatMap((m) => m.controllers.map((controller) => [controller, m.name] as const)));
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const module = this.owners.get(context.getClass());
    if (!module) return next.handle();
    // The handler runs when the returned Observable is subscribed, not when handle() is called:
    // both happen inside the scope, which then follows the handler's async work.
    return new Observable((subscriber) => runInModule(module, () => next.handle().subscribe(subscriber)));
  }
}
