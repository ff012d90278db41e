import { Controller, Get } from '@nestjs/common';
import { ApplicationModules } from 'nest-modulith';

export interface HealthResponse {
  name: string;
  status: 'ok';
  modules: string[];
}

/** `GET /`: answers once the app is up (boot verification passed, database connected). */
@Controller()
export class HealthController {
  constructor(private readonly model: ApplicationModules) {}

  @Get()
  health(): HealthResponse {
    return { name: 'nest-modulith reference app', status: 'ok', modules: this.model.names };
  }
}
