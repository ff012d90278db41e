// @modulith-covers remote
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ConsoleLogger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { generateUserNkey, ModulithModule, natsConnectOptions, requireBrokerCredential, topologyFromEnv } from 'nest-modulith';
import { ModulithEventsModule } from 'nest-modulith/events';
import { FIXTURE_MODULES, FIXTURE_ROOT, uniqueNamespace } from './support/apps.js';
import { describeWhen, NATS_URL, natsUnavailable } from './support/nats.js';

// A process whose topology uses a broker refuses to start without a credential (token, user +
// password, nkey seed or .creds file), naming the variables, unless it opts in explicitly with
// MODULITH_BROKER_INSECURE=1 (development): then it starts and warns that anyone on the broker
// can call its facades. Before this, such a process started silently, and any client on the
// broker could call BillingFacade.openAccount or read a webhook secret.

const VARIABLES = ['MODULITH_BROKER_TOKEN', 'MODULITH_BROKER_USER', 'MODULITH_BROKER_PASSWORD', 'MODULITH_BROKER_NKEY_SEED', 'MODULITH_BROKER_CREDS', 'MODULITH_BROKER_INSECURE=1'];

// The development machines' shells must not decide these tests.
const inherited = process.env.MODULITH_BROKER_INSECURE;
delete process.env.MODULITH_BROKER_INSECURE;
afterAll(() => {
  if (inherited !== undefined) process.env.MODULITH_BROKER_INSECURE = inherited;
});

const dir = mkdtempSync(join(tmpdir(), 'modulith-creds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A .creds file as nsc writes it (the JWT here is not signed by any operator: only its parsing is tested). */
function credsFile(seed: string): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.creds`);
  writeFileSync(
    path,
    `-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1QifQ.e30.c2ln\n------END NATS USER JWT------\n\n************************* IMPORTANT *************************\nNKEY Seed printed below can be used to sign and prove identity.\n\n-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n\n*************************************************************\n`,
  );
  return path;
}

const env = (more: Record<string, string>) => ({ MODULITH_BROKER_URL: NATS_URL, MODULITH_NAMESPACE: uniqueNamespace('creds'), ...more });

describe('a topology with a broker and no credential', () => {
  it.each(['MODULITH_SERVE', 'MODULITH_REMOTE'])('with %s: ModulithModule.forRoot refuses it, naming every way to give one', (variable) => {
    const topology = topologyFromEnv(env({ [variable]: 'catalog' }));
    let error: Error | undefined;
    try {
      ModulithModule.forRoot({ modules: FIXTURE_MODULES, rootDir: FIXTURE_ROOT, topology });
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toMatch(/^ModulithModule\.forRoot\(\{ topology \}\): this process uses the broker at nats:\/\/\S+ but has no credential, so any client of that broker could call its facades/);
    for (const name of VARIABLES) expect(error?.message).toContain(name);
  });

  it('accepts each kind of credential', () => {
    const seed = generateUserNkey().seed;
    for (const credential of <Array<Record<string, string>>>[
      { MODULITH_BROKER_TOKEN: 't' },
      { MODULITH_BROKER_USER: 'u', MODULITH_BROKER_PASSWORD: 'p' },
      { MODULITH_BROKER_NKEY_SEED: seed },
      { MODULITH_BROKER_CREDS: credsFile(seed) },
    ]) {
      const broker = topologyFromEnv(env({ MODULITH_REMOTE: 'catalog', ...credential })).broker!;
      expect(requireBrokerCredential(broker, 'here', {})).toEqual({ insecure: false });
    }
    expect(requireBrokerCredential({ url: 'nats://app:secret@broker:4222', namespace: 'x', timeoutMs: 1 }, 'here', {})).toEqual({ insecure: false });
  });

  it('signs the server nonce with an nkey seed, and sends the JWT of a .creds file with it', () => {
    const key = generateUserNkey();
    const nkey = natsConnectOptions({ url: NATS_URL, namespace: 'x', timeoutMs: 1, nkeySeed: key.seed }).authenticator as (nonce?: string) => Record<string, string>;
    expect(nkey('nonce-1')).toEqual({ nkey: key.publicKey, sig: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/) });
    const creds = natsConnectOptions({ url: NATS_URL, namespace: 'x', timeoutMs: 1, credsFile: credsFile(key.seed) }).authenticator as (nonce?: string) => Record<string, string>;
    expect(creds('nonce-1')).toEqual({ nkey: key.publicKey, sig: nkey('nonce-1').sig, jwt: 'eyJ0eXAiOiJKV1QifQ.e30.c2ln' });
    expect(() => requireBrokerCredential({ url: NATS_URL, namespace: 'x', timeoutMs: 1, credsFile: join(dir, 'missing.creds') }, 'here', {})).toThrow(
      `here: MODULITH_BROKER_CREDS: cannot read the NATS credentials file '${join(dir, 'missing.creds')}': ENOENT`,
    );
  });

  it('refuses half a credential, two at once, a malformed nkey seed (without echoing it) and a malformed MODULITH_BROKER_INSECURE', () => {
    expect(() => requireBrokerCredential(topologyFromEnv(env({ MODULITH_REMOTE: 'catalog', MODULITH_BROKER_USER: 'u' })).broker!, 'here', {})).toThrow(
      "here: the broker user 'u' has no password; set MODULITH_BROKER_PASSWORD",
    );
    expect(() => topologyFromEnv(env({ MODULITH_REMOTE: 'catalog', MODULITH_BROKER_TOKEN: 't', MODULITH_BROKER_NKEY_SEED: 'SU' }))).toThrow(
      'set one broker credential, not MODULITH_BROKER_TOKEN and MODULITH_BROKER_NKEY_SEED',
    );
    const leaked = 'SUNOTAREALSEEDBUTSECRETISHTEXT';
    const malformed = () => requireBrokerCredential(topologyFromEnv(env({ MODULITH_REMOTE: 'catalog', MODULITH_BROKER_NKEY_SEED: leaked })).broker!, 'here', {});
    expect(malformed).toThrow('the broker nkey seed is not a NATS user nkey seed');
    expect(() => malformed()).not.toThrow(leaked);
    expect(() => topologyFromEnv(env({ MODULITH_REMOTE: 'catalog', MODULITH_BROKER_INSECURE: 'yes' }))).toThrow("MODULITH_BROKER_INSECURE must be 1, true, 0 or false (got 'yes')");
  });

  it('the event relay refuses it too, unless insecure', () => {
    const relay = { servers: NATS_URL, namespace: 'x', origin: 'serve:media' };
    expect(() => ModulithEventsModule.forRoot({ relay })).toThrow(/^ModulithEventsModule\.forRoot\(\{ relay \}\): this process uses the broker at .* but has no credential/);
    expect(() => ModulithEventsModule.forRoot({ relay: { ...relay, insecure: true } })).not.toThrow();
    expect(() => ModulithEventsModule.forRoot({ relay: { ...relay, nkeySeed: generateUserNkey().seed } })).not.toThrow();
  });
});

describeWhen(await natsUnavailable(), 'MODULITH_BROKER_INSECURE=1', () => {
  it('starts the app, and warns at startup that any client on the broker can call its facades', async () => {
    const warnings: string[] = [];
    class Capture extends ConsoleLogger {
      override warn(message: unknown): void {
        warnings.push(String(message));
      }
      override log(): void {}
    }
    const topology = topologyFromEnv(env({ MODULITH_SERVE: 'catalog', MODULITH_BROKER_INSECURE: '1' }));
    const moduleRef = await Test.createTestingModule({ imports: [ModulithModule.forRoot({ modules: FIXTURE_MODULES, rootDir: FIXTURE_ROOT, topology })] }).compile();
    const app = moduleRef.createNestApplication({ logger: new Capture() });
    try {
      await app.init();
      expect(warnings).toContainEqual(expect.stringMatching(/^MODULITH_BROKER_INSECURE: this process uses the broker at nats:\/\/\S+ without a credential\. Any client that can reach that broker can call this process's facades/));
    } finally {
      await app.close();
    }
  });
});

describe('the reference app (app/main.ts) placed with MODULITH_SERVE=media', () => {
  /** Runs the real entry point until it exits or says it listens; what it printed and how it ended. */
  function run(more: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, ['--import', './test/support/register-ts.mjs', 'app/main.ts'], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        MODULITH_BROKER_INSECURE: '',
        MODULITH_BROKER_TOKEN: '',
        MODULITH_BROKER_USER: '',
        MODULITH_BROKER_NKEY_SEED: '',
        MODULITH_BROKER_CREDS: '',
        MODULITH_REMOTE: '',
        MODULITH_SERVE: 'media',
        MODULITH_BROKER_URL: 'nats://127.0.0.1:1',
        MODULITH_NAMESPACE: uniqueNamespace('main'),
        PORT: '0',
        DATABASE_URL: `sqlite:${join(dir, `${Math.random()}.sqlite`)}`,
        MEDIA_STORAGE_DIR: join(dir, 'media'),
        NO_COLOR: '1',
        ...more,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    return new Promise((resolve) => {
      const onData = (chunk: Buffer) => {
        output += chunk;
        if (output.includes('listening on')) child.kill('SIGTERM');
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => resolve({ code, output }));
    });
  }

  it('refuses to start without a credential, naming the variables', async () => {
    const { code, output } = await run({});
    expect(output).not.toContain('listening on');
    expect(code).toBe(1);
    expect(output).toContain('this process uses the broker at nats://127.0.0.1:1 but has no credential');
    for (const name of VARIABLES) expect(output).toContain(name);
  });

  it('starts with MODULITH_BROKER_INSECURE=1, warning about it first', async () => {
    const { output } = await run({ MODULITH_BROKER_INSECURE: '1' });
    expect(output).toContain('listening on');
    expect(output).toMatch(/WARN \[Modulith\] MODULITH_BROKER_INSECURE: this process uses the broker at nats:\/\/127\.0\.0\.1:1 without a credential/);
    expect(output).toMatch(/WARN \[ModulithEvents\] MODULITH_BROKER_INSECURE: the event relay of 'serve:media' uses the broker/);
  });
});
