import { ValidationPipe, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { useBodyLimits } from './body-limits.js';
import type { AppConfig } from './config.js';

export interface CreateAppOptions {
  /** Nest's logger levels, or false for silence (tests). Default: Nest's default levels. */
  logger?: LogLevel[] | false;
}

/**
 * Builds and initialises the configured app without listening, so main.ts and the tests run the
 * very same thing. Initialising runs the nest-modulith boot verification and resumes unfinished jobs.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    abortOnError: false,
  });
  // 413 above 100 kB, 400 for JSON nested deeper than 32 levels: before the guard and validation.
  useBodyLimits(app);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
    }),
  );
  // SIGTERM/SIGINT close the app properly: running jobs are stopped and resumed at the next start.
  app.enableShutdownHooks();
  await app.init();
  return app;
}
