import { startTelemetry } from './telemetry.js';

// The entry point. The OpenTelemetry SDK (when the environment asks for it) starts before
// anything loads Nest or node:http, so its http instrumentation sees every request: the app is
// imported only afterwards, dynamically. See telemetry.ts for the variables.
async function main(): Promise<void> {
  await startTelemetry();
  const { serve } = await import('./serve.js');
  await serve();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
