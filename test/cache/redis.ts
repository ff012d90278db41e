import { createConnection } from 'node:net';
import { describe, it } from '@jest/globals';
import { requireServices } from '../support/services.js';

/** MODULITH_TEST_REDIS_URL when set, else the development machines' loopback server. */
export const REDIS_URL = process.env.MODULITH_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** Why Redis cannot be used here (a PING that got no PONG), or undefined when it can. */
export async function redisUnavailable(url = REDIS_URL): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const done = (reason: string | undefined) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(2000, () => done(`Redis is not reachable at ${hostname}:${port} (timeout)`));
    socket.on('error', (error) => done(`Redis is not reachable at ${hostname}:${port} (${error.message})`));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG') ? undefined : `Redis at ${hostname}:${port} answered ${JSON.stringify(data.toString().slice(0, 40))}`));
  });
}

/** `describe` on Redis: skipped with the reason printed, or a failing test under MODULITH_REQUIRE_SERVICES=1. */
export function describeOnRedis(title: string, unavailable: string | undefined, body: () => void): void {
  if (!unavailable) describe(title, body);
  else if (requireServices) {
    describe(title, () => {
      it('needs Redis (MODULITH_REQUIRE_SERVICES=1)', () => {
        throw new Error(unavailable);
      });
    });
  } else {
    console.warn(`skipping "${title}": ${unavailable}`);
    describe.skip(title, body);
  }
}
