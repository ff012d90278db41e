import { Controller, Get } from '@nestjs/common';
import { RunningModules } from 'nest-modulith';

export interface HealthResponse {
  name: string;
  status: 'ok';
  /** Every feature module this URL serves, whether it runs here or in another process. */
  modules: string[];
  /** Of those, the ones reached over the broker (empty when everything runs in this process). */
  remote: string[];
}

/** `GET /`: answers once the app is up (boot verification passed, database connected), with the modules it serves. */
@Controller()
export class HealthController {
  constructor(private readonly running: RunningModules) {}

  @Get()
  health(): HealthResponse {
    return { name: 'nest-modulith reference app', status: 'ok', modules: [...this.running.names, ...this.running.remote].sort(), remote: this.running.remote };
  }
}
