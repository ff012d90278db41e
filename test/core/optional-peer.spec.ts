// @modulith-covers core
// Optional peers (TypeORM, @nestjs/microservices, the NATS client) are loaded by the feature that
// needs them; when the app has not installed one, the error names the package and the command.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOptionalPeer, MissingPeerError } from 'nest-modulith';

describe('importOptionalPeer', () => {
  it('loads an installed package', async () => {
    const rxjs = await importOptionalPeer<typeof import('rxjs')>('rxjs', 'a test');
    expect(typeof rxjs.of).toBe('function');
  });

  it('names the missing package, the feature and the install command', async () => {
    const error = await importOptionalPeer('@nest-modulith-test/not-installed', 'the event relay').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPeerError);
    expect((error as Error).message).toBe(
      "nest-modulith: the event relay needs the package '@nest-modulith-test/not-installed', which is not installed. Install it in your app: npm install @nest-modulith-test/not-installed",
    );
  });

  it('passes on the error of an installed package whose own import is broken', async () => {
    // Installed, but it imports something that is not: that is not "install the peer".
    const dir = join(process.cwd(), 'node_modules', '@nest-modulith-test', 'broken-peer');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@nest-modulith-test/broken-peer', version: '1.0.0', main: 'index.js' }));
    writeFileSync(join(dir, 'index.js'), "require('@nest-modulith-test/gone-dependency');");
    try {
      const error = await importOptionalPeer('@nest-modulith-test/broken-peer', 'a test').catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(MissingPeerError);
      expect(String((error as Error).message)).toContain('@nest-modulith-test/gone-dependency');
    } finally {
      rmSync(join(process.cwd(), 'node_modules', '@nest-modulith-test'), { recursive: true, force: true });
    }
  });
});
