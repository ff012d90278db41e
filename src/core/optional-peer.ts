/**
 * Optional peer dependencies, loaded only when the feature that needs them is used.
 *
 * nest-modulith installs next to the app's own NestJS and brings no second copy of anything:
 * TypeORM, @nestjs/microservices and the NATS client are the app's to install, and only when it
 * uses the outbox or a broker. So the package never imports them at load time; the feature does,
 * on first use, and a missing one fails with the command that installs it.
 */
export class MissingPeerError extends Error {
  constructor(
    readonly packageName: string,
    readonly feature: string,
  ) {
    super(`nest-modulith: ${feature} needs the package '${packageName}', which is not installed. Install it in your app: npm install ${packageName}`);
    this.name = 'MissingPeerError';
  }
}

/** Imports `packageName` (an optional peer) for `feature`, or throws MissingPeerError naming it. */
export async function importOptionalPeer<T>(packageName: string, feature: string): Promise<T> {
  try {
    return (await import(packageName)) as T;
  } catch (error) {
    throw isMissing(error, packageName) ? new MissingPeerError(packageName, feature) : error;
  }
}

/** The package itself is missing (not one of its own imports failing, which is a different problem). */
function isMissing(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown })?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const message = String((error as Error)?.message ?? '');
  return message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`);
}
