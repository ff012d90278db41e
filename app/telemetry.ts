/**
 * The reference app's OpenTelemetry SDK: started by main.ts before Nest and node:http load (the
 * http instrumentation patches http when it is first required), and only when the environment
 * asks for an exporter. Otherwise nothing of the SDK is imported: nest-modulith's spans and
 * metrics go through @opentelemetry/api and cost a no-op call.
 *
 * Everything else is the SDK's standard environment, read by NodeSDK itself:
 * OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf by default, or http/json, grpc),
 * OTEL_EXPORTER_OTLP_*_ENDPOINT, OTEL_METRICS_EXPORTER, OTEL_RESOURCE_ATTRIBUTES...
 */

/** The variables that turn telemetry on: an OTLP endpoint, or an explicit traces exporter other than `none`. */
export const TELEMETRY_VARIABLES = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_TRACES_EXPORTER'] as const;

export function telemetryRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  // OTEL_SDK_DISABLED is the specification's off switch; OTEL_SERVICE_NAME alone only names a service.
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  if (env.OTEL_TRACES_EXPORTER !== undefined && env.OTEL_TRACES_EXPORTER.trim() !== '') return env.OTEL_TRACES_EXPORTER.trim() !== 'none';
  return TELEMETRY_VARIABLES.some((name) => (env[name] ?? '').trim() !== '');
}

/** `modulith-app` for the monolith, `modulith-<module>` for a process serving MODULITH_SERVE=<module>; OTEL_SERVICE_NAME wins. */
export function defaultServiceName(env: NodeJS.ProcessEnv = process.env): string {
  const served = (env.MODULITH_SERVE ?? '').trim();
  return served === '' ? 'modulith-app' : `modulith-${served.split(',')[0].trim()}`;
}

let running: { shutdown(): Promise<void> } | undefined;

/** Starts the SDK when requested; resolves whether it did. */
export async function startTelemetry(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (running || !telemetryRequested(env)) return false;
  const [{ NodeSDK }, { HttpInstrumentation }] = await Promise.all([import('@opentelemetry/sdk-node'), import('@opentelemetry/instrumentation-http')]);
  const sdk = new NodeSDK({
    // NodeSDK's env detector applies OTEL_SERVICE_NAME over this default.
    ...(env.OTEL_SERVICE_NAME ? {} : { serviceName: defaultServiceName(env) }),
    instrumentations: [new HttpInstrumentation()],
  });
  sdk.start();
  running = sdk;
  return true;
}

/** Flushes and stops the SDK (after Nest closed: the last spans are the shutdown's). Never throws. */
export async function stopTelemetry(): Promise<void> {
  const sdk = running;
  running = undefined;
  try {
    await sdk?.shutdown();
  } catch (error) {
    console.error(`telemetry: the last spans could not be exported: ${(error as Error)?.message ?? error}`);
  }
}
