import { Controller, Get } from '@nestjs/common';
import { RunningModules } from 'nest-modulith';

export interface HealthResponse {
  name: string;
  status: 'ok';
  modules: string[];
}

/** `GET /`: answers once the app is up (boot verification passed, database connected), with the modules it runs. */
@Controller()
export class HealthController {
  constructor(private readonly running: RunningModules) {}

  @Get()
  health(): HealthResponse {
    return { name: 'nest-modulith reference app', status: 'ok', modules: this.running.names };
  }
}
