// @modulith-covers extraction, billing
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserPublicKey, publicKeyOfSeed } from 'nest-modulith';
import { runCli } from '../cli/support/run-cli.js';
import { manifest, readyShop, removeProjects, writeProject } from './support/shop.js';

// `modulith broker-config`: NATS authorization written from the module graph and the code, one
// least-privilege user per process. What each process may publish and subscribe to is derived
// here on a small shop (media extracted: it calls BillingFacade.charge; notifications, in the
// monolith, calls MediaFacade.getJob; the app shell's guard calls BillingFacade.charge too), and
// every name that goes into a subject is checked, so no module, facade, method or event name can
// widen a permission with '.', '*' or '>'. A real nats-server enforcing it: broker-authorization.spec.ts.

afterAll(removeProjects);

const inherited = { url: process.env.MODULITH_BROKER_URL, namespace: process.env.MODULITH_NAMESPACE };
beforeAll(() => {
  delete process.env.MODULITH_BROKER_URL;
  delete process.env.MODULITH_NAMESPACE;
});
afterAll(() => {
  if (inherited.url !== undefined) process.env.MODULITH_BROKER_URL = inherited.url;
  if (inherited.namespace !== undefined) process.env.MODULITH_NAMESPACE = inherited.namespace;
});

/** The app shell: main.ts -> app.module.ts -> a global guard injecting BillingFacade. */
const SHELL = {
  'src/main.ts': "import { AppModule } from './app.module.js';\nexport const app = AppModule;\n",
  'src/app.module.ts': "import { Guard } from './guard.js';\nexport class AppModule { guard = Guard; }\n",
  'src/guard.ts': `import { Injectable } from '@nestjs/common';
import { BillingFacade } from '../modules/billing/index.js';

@Injectable()
export class Guard {
  constructor(private readonly billing: BillingFacade) {}
  async canActivate(): Promise<boolean> {
    return (await this.billing.charge({ accountId: 'a', amount: 0 })).credits >= 0;
  }
}
`,
  // Not reached from the entry: its calls are nobody's.
  'src/unused-script.ts': `import { MediaFacade } from '../modules/media/index.js';
export class Script {
  constructor(private readonly media: MediaFacade) {}
  run() { return this.media.getJob('x'); }
}
`,
};

function shop(extra: Record<string, string> = {}): string {
  return writeProject({ ...readyShop(), ...SHELL, ...extra });
}

async function json(root: string, ...args: string[]) {
  const run = await runCli(['broker-config', ...args, '--format', 'json'], root);
  return { ...run, report: run.stdout ? JSON.parse(run.stdout) : undefined };
}

describe('modulith broker-config: who may do what, from the graph and the code', () => {
  let root: string;
  let report: any;

  beforeAll(async () => {
    root = shop();
    const run = await json(root, 'media');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    report = run.report;
  });

  const processOf = (name: string) => report.processes.find((p: any) => p.name === name);

  it('finds the entry, and the app-shell files it reaches (not the script nothing imports)', () => {
    expect(report.entry).toBe('src/main.ts');
    expect(report.shellFiles).toEqual(['src/app.module.ts', 'src/guard.ts', 'src/main.ts']);
  });

  it('lets the media service call exactly what its code and the shell call in other processes', () => {
    const media = processOf('serve-media');
    expect(media).toMatchObject({ placement: 'serve:media', env: { MODULITH_SERVE: 'media' }, hosts: ['media'], inboxPrefix: '_INBOX_modulith_serve_media_ca6aba16' });
    expect(media.calls).toEqual([{ module: 'billing', facade: 'BillingFacade', method: 'charge', subject: 'modulith.facade.billing.BillingFacade.charge', callers: ['app shell', 'media'] }]);
    expect(media.publish).toEqual([
      'modulith.facade.billing.BillingFacade.charge',
      'modulith.events.media.job.failed',
      '$JS.API.INFO',
      '$JS.API.STREAM.INFO.MODULITH_EVENTS',
      '$JS.API.CONSUMER.INFO.MODULITH_EVENTS.modulith_serve_media_ca6aba16',
      '$JS.API.CONSUMER.MSG.NEXT.MODULITH_EVENTS.modulith_serve_media_ca6aba16',
      '$JS.ACK.MODULITH_EVENTS.modulith_serve_media_ca6aba16.>',
      // Its answers to the monolith's MediaFacade.getJob: into the monolith's inbox only.
      '_INBOX_modulith_remote_media_b7012f10.>',
    ]);
    expect(media.replies).toEqual(['monolith']);
    expect(media.subscribe).toEqual(['_INBOX_modulith_serve_media_ca6aba16.>', 'modulith.facade.media.MediaFacade', 'modulith.facade.media.MediaFacade.*']);
  });

  it('lets the monolith call MediaFacade.getJob (notifications depends on media) and forwards nothing else', () => {
    const monolith = processOf('monolith');
    expect(monolith).toMatchObject({ placement: 'remote:media', env: { MODULITH_REMOTE: 'media' }, hosts: ['billing', 'notifications'] });
    expect(monolith.calls).toEqual([{ module: 'media', facade: 'MediaFacade', method: 'getJob', subject: 'modulith.facade.media.MediaFacade.getJob', callers: ['notifications'] }]);
    expect(monolith.publish.filter((s: string) => !s.startsWith('$JS'))).toEqual([
      'modulith.facade.media.MediaFacade.getJob',
      'modulith.events.billing.account.closed',
      '_INBOX_modulith_serve_media_ca6aba16.>',
    ]);
    expect(monolith.replies).toEqual(['serve-media']);
    expect(monolith.subscribe).toEqual(['_INBOX_modulith_remote_media_b7012f10.>', 'modulith.facade.billing.BillingFacade', 'modulith.facade.billing.BillingFacade.*']);
  });

  it('never grants creating or changing streams and consumers to a process; only the provisioning user may', () => {
    for (const p of report.processes) expect(p.publish.filter((s: string) => /CREATE|UPDATE|DELETE|\$JS\.API\.>|^>$|\*$/.test(s))).toEqual([]);
    expect(report.provisioner.publish).toContain('$JS.API.STREAM.CREATE.MODULITH_EVENTS');
    expect(report.provisioner.publish).toContain('$JS.API.CONSUMER.CREATE.MODULITH_EVENTS.modulith_serve_media_ca6aba16.>');
    expect(report.provisioner.subscribe).toEqual(['_INBOX_modulith_provision.>']);
  });

  it('never lets a process answer into a subject its caller picks (no allow_responses)', () => {
    expect(readFileSync(join(root, 'deploy/nats/auth.conf'), 'utf8')).not.toContain('allow_responses');
  });

  it('writes auth.conf (public keys only) and one env file per user holding its seed, readable by its owner only', () => {
    const dir = join(root, 'deploy/nats');
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'README.md', 'auth.conf', 'monolith.env', 'provision.env', 'serve-media.env']);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/\n\*\.env\n$/);
    const conf = readFileSync(join(dir, 'auth.conf'), 'utf8');
    expect(conf).toMatch(/^# generated by modulith broker-config modulith \(checksum [0-9a-f]{16}\)/);
    expect(conf).not.toMatch(/S[UA][A-Z2-7]{56}/); // no seed
    for (const user of report.users) {
      expect(isUserPublicKey(user.publicKey)).toBe(true);
      expect(conf).toContain(`nkey: "${user.publicKey}"`);
      const env = readFileSync(join(root, user.envFile), 'utf8');
      const seed = /^MODULITH_BROKER_NKEY_SEED=(\S+)$/m.exec(env)![1];
      expect(publicKeyOfSeed(seed)).toBe(user.publicKey);
      expect(statSync(join(root, user.envFile)).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(join(dir, 'serve-media.env'), 'utf8')).toContain('\nMODULITH_SERVE=media\nMODULITH_NAMESPACE=modulith\n');
  });

  it('keeps the keys when run again, and refuses to overwrite a file the user edited', async () => {
    const again = await json(root, 'media');
    expect(again.code).toBe(0);
    expect(again.report.users.map((u: any) => u.publicKey)).toEqual(report.users.map((u: any) => u.publicKey));
    expect(again.report.written.every((w: any) => w.status === 'unchanged')).toBe(true);

    const conf = join(root, 'deploy/nats/auth.conf');
    writeFileSync(conf, `${readFileSync(conf, 'utf8')}\n# my change\n`);
    const refused = await runCli(['broker-config', 'media'], root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('modulith broker-config: refusing to overwrite deploy/nats/auth.conf (edited since it was generated)');
    expect(readFileSync(conf, 'utf8')).toContain('# my change');
  });

  it('prints the NATS configuration by default, and how to run it', async () => {
    const run = await runCli(['broker-config', 'media', '--out', 'ops/nats'], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('authorization {\n  users: [\n');
    expect(run.stderr).toContain('run: nats-server -c ops/nats/auth.conf -js -sd <store dir>; then once: modulith broker-config media --out ops/nats --provision');
  });
});

describe('modulith broker-config: calls the graph does not allow', () => {
  it('grants no call of a facade whose module the caller does not declare, and exits 1 naming it', async () => {
    // billing injects MediaFacade although billing's module.json does not depend on media.
    const root = shop({
      'modules/billing/sneaky.ts': `import { Injectable } from '@nestjs/common';
import { MediaFacade } from '../media/index.js';
@Injectable()
export class Sneaky {
  constructor(private readonly media: MediaFacade) {}
  peek() { return this.media.getJob('x'); }
}
`,
    });
    const run = await json(root, 'media');
    expect(run.code).toBe(1);
    const monolith = run.report.processes.find((p: any) => p.name === 'monolith');
    expect(monolith.calls.map((c: any) => [c.subject, c.callers])).toEqual([['modulith.facade.media.MediaFacade.getJob', ['notifications']]]);
    expect(run.report.findings).toContainEqual(
      expect.objectContaining({ severity: 'error', file: 'modules/billing/sneaky.ts', message: expect.stringContaining('billing injects MediaFacade of media without declaring the dependency') }),
    );
  });

  it('follows the placement: with notifications extracted instead, media and billing are local to the monolith', async () => {
    const run = await json(shop(), 'notifications');
    expect(run.code).toBe(0);
    const service = run.report.processes.find((p: any) => p.name === 'serve-notifications');
    // Its own call, and the shell's guard, which runs in every process.
    expect(service.calls.map((c: any) => [c.subject, c.callers])).toEqual([
      ['modulith.facade.billing.BillingFacade.charge', ['app shell']],
      ['modulith.facade.media.MediaFacade.getJob', ['notifications']],
    ]);
    const monolith = run.report.processes.find((p: any) => p.name === 'monolith');
    expect(monolith.calls).toEqual([]);
    expect(monolith.publish.filter((s: string) => s.includes('.facade.'))).toEqual([]);
  });
});

describe('modulith broker-config: hostile input', () => {
  it.each([
    ['>', "no module named '>'"],
    ['*', "no module named '*'"],
    ['media.>', "no module named 'media.>'"],
    ['billing.*', "no module named 'billing.*'"],
    ['../media', "no module named '../media'"],
    ['media-events', 'media-events is a shared module'],
    ['media,media', 'media is named twice'],
  ])('refuses the service %j (exit 2) and writes nothing', async (service, message) => {
    const root = shop();
    const run = await runCli(['broker-config', service], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(existsSync(join(root, 'deploy'))).toBe(false);
  });

  it.each(['a.b', '*', '>', 'x>'])('refuses a module folder named %j whose name would go into a subject', async (name) => {
    const root = shop({
      [`modules/${name}/module.json`]: manifest(name),
      [`modules/${name}/index.ts`]: "export { OddModule } from './odd.module.js';\n",
      [`modules/${name}/odd.module.ts`]: `import { FeatureModule, Facade } from 'nest-modulith';
@Facade<OddFacade>({ ping: true })
export abstract class OddFacade { abstract ping(): Promise<string>; }
@FeatureModule({ name: ${JSON.stringify(name)}, facades: [{ provide: OddFacade, useValue: {} }] })
export class OddModule {}
`,
    });
    const run = await runCli(['broker-config', 'media'], root);
    // Refused by the module model's name rule, and failing that by broker-config's own check.
    expect(run.stderr).toMatch(/module name '.*' cannot be used in a NATS subject|is not a valid module name/);
    expect(run.code).toBe(2);
    expect(existsSync(join(root, 'deploy/nats/auth.conf'))).toBe(false);
  });

  it.each([
    ["{ charge: true, 'get.*': true }", "facade method 'get.*'"],
    ["{ charge: true, 'get>': true }", "facade method 'get>'"],
    ["{ charge: true, 'a b': true }", "facade method 'a b'"],
  ])('refuses a @Facade method list %s that would widen a subject', async (list, message) => {
    const root = shop({
      'modules/billing/billing.facade.ts': `import { Facade } from 'nest-modulith';
export interface ChargeInput { accountId: string; amount: number }
export interface Balance { accountId: string; credits: number; updatedAt: string }
@Facade<BillingFacade>(${list})
export abstract class BillingFacade {
  abstract charge(input: ChargeInput): Promise<Balance>;
}
`,
    });
    const run = await runCli(['broker-config', 'media'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${message} cannot be used in a NATS subject`);
  });

  it.each(['media.job.>', 'media.*.failed', 'media..failed', 'media.job failed'])('refuses an event named %j', async (name) => {
    const root = shop({
      'modules/media-events/job-failed.ts': `import { ModuleEvent } from 'nest-modulith/events';
@ModuleEvent({ name: ${JSON.stringify(name)}, version: 2, module: 'media-events' })
export class JobFailed {
  constructor(readonly jobId: string, readonly accountId: string) {}
}
`,
    });
    const run = await runCli(['broker-config', 'media'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`event name '${name}' cannot be used in a NATS subject`);
  });

  it.each([
    ['../outside', 'is outside the project'],
    ['deploy/../../outside', 'is outside the project'],
    [join(tmpdir(), 'modulith-broker-out'), 'is outside the project'],
    ['.', 'is the project root'],
  ])('refuses --out %j', async (out, message) => {
    const root = shop();
    const run = await runCli(['broker-config', 'media', '--out', out], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(existsSync(join(root, '..', 'outside'))).toBe(false);
  });

  it('refuses to write through a symbolic link, in the folder or as a target file', async () => {
    const root = shop();
    const elsewhere = writeProject({});
    symlinkSync(elsewhere, join(root, 'linked'));
    const viaDir = await runCli(['broker-config', 'media', '--out', 'linked/nats'], root);
    expect(viaDir.code).toBe(2);
    expect(viaDir.stderr).toContain('refusing to write through the symbolic link linked');
    expect(readdirSync(elsewhere).filter((f) => f !== 'package.json' && f !== 'tsconfig.json')).toEqual([]);

    mkdirSync(join(root, 'deploy/nats'), { recursive: true });
    symlinkSync(join(elsewhere, 'stolen.env'), join(root, 'deploy/nats/serve-media.env'));
    const viaFile = await runCli(['broker-config', 'media'], root);
    expect(viaFile.code).toBe(2);
    expect(viaFile.stderr).toContain('refusing to write through the symbolic link deploy/nats/serve-media.env');
    expect(existsSync(join(elsewhere, 'stolen.env'))).toBe(false);
  });

  it.each([
    ['../../../../etc/passwd', 'outside the project'],
    ['/etc/hostname', 'outside the project'],
    ['src/missing.ts', 'no such file'],
    ['package.json', 'not a TypeScript or JavaScript file'],
  ])('refuses --entry %j', async (entry, message) => {
    const run = await runCli(['broker-config', 'media', '--entry', entry], shop());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it.each([
    ['MODULITH_NAMESPACE', 'shop.*'],
    ['MODULITH_NAMESPACE', '>'],
    ['MODULITH_BROKER_URL', 'http://x'],
  ])('refuses %s=%j', async (variable, value) => {
    process.env[variable] = value;
    try {
      const run = await runCli(['broker-config', 'media'], shop());
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(variable);
    } finally {
      delete process.env[variable];
    }
  });

  it('names no entry when there is none, and then allows the shell no call', async () => {
    const root = writeProject(readyShop());
    const run = await json(root, 'media');
    expect(run.code).toBe(0);
    expect(run.report.entry).toBeNull();
    expect(run.report.findings).toContainEqual(expect.objectContaining({ severity: 'warning', message: expect.stringContaining('no entry file of the app found') }));
  });
});
