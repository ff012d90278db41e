// @modulith-covers extraction
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/support/run-cli.js';
import { readyShop, removeProjects, writeProject } from './support/shop.js';

afterAll(removeProjects);

// The generated env files carry MODULITH_BROKER_URL / MODULITH_NAMESPACE from the environment:
// these tests start without them, whatever the shell running them has set.
const inherited = { url: process.env.MODULITH_BROKER_URL, namespace: process.env.MODULITH_NAMESPACE };
beforeAll(() => {
  delete process.env.MODULITH_BROKER_URL;
  delete process.env.MODULITH_NAMESPACE;
});
afterAll(() => {
  if (inherited.url !== undefined) process.env.MODULITH_BROKER_URL = inherited.url;
  if (inherited.namespace !== undefined) process.env.MODULITH_NAMESPACE = inherited.namespace;
});

/** media with one blocker: a facade method taking a Date. */
const BLOCKED = {
  'modules/media/media.facade.ts': `import { Facade } from 'nest-modulith';
export interface JobView { id: string }
@Facade<MediaFacade>({ getJob: true, schedule: true })
export abstract class MediaFacade {
  abstract getJob(id: string): Promise<JobView | null>;
  abstract schedule(id: string, at: Date): Promise<void>;
}
`,
};

describe('modulith extract: exit codes and usage', () => {
  it('exit 0 when the module is ready, with a summary line', async () => {
    const run = await runCli(['extract', 'media', '--no-write'], writeProject(readyShop()));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^modulith extract media\n/);
    expect(run.stdout).toContain('  BillingFacade (billing): charge  modules/media/media.service.ts:14');
    expect(run.stdout).toContain('  media.job.failed v2  JobFailed (declared in media-events)  → billing (billing.refund-failed-job)');
    expect(run.stdout).toMatch(/✔ media is ready to run in its own process\n$/);
  });

  it('exit 1 with blockers, each printed with file:line, kind, message and fix', async () => {
    const run = await runCli(['extract', 'media', '--no-write'], writeProject(readyShop(BLOCKED)));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      [
        'Blockers',
        '  ✖ modules/media/media.facade.ts:6  wire-type',
        '    MediaFacade.schedule(): at (Date) is a Date, which becomes a string on the wire',
        '    fix: send an ISO 8601 string (date.toISOString())',
      ].join('\n'),
    );
    expect(run.stdout).toContain('    ✖ schedule(id: string, at: Date): Promise<void>');
    expect(run.stdout).toMatch(/✖ media is not ready: 1 blocker, 0 warnings\n$/);
  });

  it('exit 2 for an unknown module, naming the known ones', async () => {
    const run = await runCli(['extract', 'medai'], writeProject(readyShop()));
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe("modulith extract: no module named 'medai' (known: billing, media, media-events, notifications)\n");
  });

  it.each([
    [['extract'], 'modulith extract: missing the module NAME'],
    [['extract', 'media', '--format', 'sarif'], "modulith extract: unknown format 'sarif' (use pretty, json)"],
    [['extract', 'media', '--out', 'x', '--no-write'], 'modulith extract: --out and --no-write exclude each other'],
    [['extract', 'media', 'billing'], "modulith extract: unexpected argument 'billing'"],
  ])('%j is a usage error, exit 2', async (argv, message) => {
    const run = await runCli(argv, writeProject(readyShop()));
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(message);
  });

  it.each([['../outside'], ['deploy/../../outside'], ['/tmp/modulith-extract-outside'], ['.']])(
    '--out %s outside the project (or the project root itself) is refused, exit 2, nothing written',
    async (out) => {
      const root = writeProject(readyShop());
      const run = await runCli(['extract', 'media', '--out', out], root);
      expect(run.code).toBe(2);
      expect(run.stderr.split('\n')[0]).toMatch(/^modulith extract: --out '.*' is (outside the project|the project root)/);
      expect(existsSync(join(root, '..', 'outside'))).toBe(false);
      expect(existsSync('/tmp/modulith-extract-outside')).toBe(false);
      expect(existsSync(join(root, 'service.env'))).toBe(false);
    },
  );

  it('--out through a symbolic link is refused', async () => {
    const root = writeProject(readyShop());
    symlinkSync(tmpdir(), join(root, 'linked'));
    const run = await runCli(['extract', 'media', '--out', 'linked/deploy'], root);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('modulith extract: refusing to write through the symbolic link linked');
  });

  it('exit 2 on a broken module configuration, naming the file', async () => {
    const run = await runCli(['extract', 'media'], writeProject(readyShop({ 'modules/billing/module.json': '{ "name": ' })));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/modules\/billing\/module\.json: is not valid JSON/);
  });

  it('is listed in the usage', async () => {
    const run = await runCli(['--help'], process.cwd());
    expect(run.stdout).toContain('  extract NAME [--format pretty|json] [--out DIR] [--no-write]');
  });
});

describe('modulith extract --format json', () => {
  it('prints one JSON object: the report, the findings, and the files written', async () => {
    const root = writeProject(readyShop(BLOCKED));
    const run = await runCli(['extract', 'media', '--format', 'json'], root);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(Object.keys(json)).toEqual([
      'module', 'ready', 'blockers', 'warnings', 'findings', 'facades', 'remoteCalls', 'callers', 'dependents',
      'tables', 'foreignTables', 'events', 'dependencies', 'config', 'outDir', 'written', 'refused',
    ]);
    expect(json).toMatchObject({ module: 'media', ready: false, blockers: 1, warnings: 0, outDir: 'deploy/media', refused: [] });
    expect(json.findings).toEqual([
      {
        severity: 'blocker',
        kind: 'wire-type',
        module: 'media',
        file: 'modules/media/media.facade.ts',
        line: 6,
        message: 'MediaFacade.schedule(): at (Date) is a Date, which becomes a string on the wire',
        fix: 'send an ISO 8601 string (date.toISOString())',
      },
    ]);
    expect(json.written).toEqual([
      { file: 'deploy/media/service.env', status: 'created' },
      { file: 'deploy/media/monolith.env', status: 'created' },
      { file: 'deploy/media/README.md', status: 'created' },
    ]);
    expect(json.events.consumes[0]).toMatchObject({ name: 'billing.account.closed', version: 1, listener: 'media.cancel-jobs' });
  });

  it('--no-write writes nothing and says so', async () => {
    const root = writeProject(readyShop());
    const run = await runCli(['extract', 'media', '--format', 'json', '--no-write'], root);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outDir: null, written: [] });
    expect(existsSync(join(root, 'deploy'))).toBe(false);
  });
});

describe('modulith extract: deployment files', () => {
  it('writes env files for the service and the monolith and a README with start commands and the checklist', async () => {
    const root = writeProject(readyShop(BLOCKED));
    const run = await runCli(['extract', 'media'], root);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('\nwrote deploy/media/service.env\nwrote deploy/media/monolith.env\nwrote deploy/media/README.md\n');
    expect(readdirSync(join(root, 'deploy/media')).sort()).toEqual(['README.md', 'monolith.env', 'service.env']);

    const service = readFileSync(join(root, 'deploy/media/service.env'), 'utf8');
    expect(service).toMatch(/^# generated by modulith extract media \(checksum [0-9a-f]{16}\)/);
    expect(envValues(service)).toEqual({
      MODULITH_SERVE: 'media',
      MODULITH_BROKER_URL: 'nats://127.0.0.1:4222',
      MODULITH_NAMESPACE: 'modulith',
      DATABASE_URL: 'sqlite:data/media.sqlite',
      PORT: '3001',
    });
    expect(service).toContain('# MODULITH_BROKER_TOKEN=');
    expect(service).toContain('media_job');

    const monolith = readFileSync(join(root, 'deploy/media/monolith.env'), 'utf8');
    expect(envValues(monolith)).toEqual({ MODULITH_REMOTE: 'media', MODULITH_BROKER_URL: 'nats://127.0.0.1:4222', MODULITH_NAMESPACE: 'modulith' });

    const readme = readFileSync(join(root, 'deploy/media/README.md'), 'utf8');
    expect(readme).toMatch(/^<!-- generated by modulith extract media \(checksum [0-9a-f]{16}\)/);
    expect(readme).toContain('**Not ready: 1 blocker**');
    expect(readme).toContain('node --env-file=deploy/media/service.env dist/app/main.js');
    expect(readme).toContain('MODULITH_SERVE=media DATABASE_URL=sqlite:data/media.sqlite PORT=3001 node dist/app/main.js');
    expect(readme).toContain('MODULITH_REMOTE=media npm start');
    expect(readme).toContain('- [ ] **blocker** modules/media/media.facade.ts:6: MediaFacade.schedule(): at (Date) is a Date, which becomes a string on the wire. Fix: send an ISO 8601 string (date.toISOString()).');
    expect(readme).toContain("- [ ] Move media's tables (`media_job`)");
    expect(readme).toContain('- `BillingFacade` (billing): charge');
  });

  it('rewrites its own untouched files, keeps identical ones, and honours --out', async () => {
    const root = writeProject(readyShop());
    expect((await runCli(['extract', 'media', '--out', 'ops/media-service'], root)).code).toBe(0);
    const again = await runCli(['extract', 'media', '--out', 'ops/media-service'], root);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('kept ops/media-service/service.env (unchanged)');

    // The report changes (a blocker appears): the README is ours, so it is rewritten.
    writeFileSync(join(root, 'modules/media/media.facade.ts'), BLOCKED['modules/media/media.facade.ts']);
    const changed = await runCli(['extract', 'media', '--out', 'ops/media-service'], root);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('wrote ops/media-service/README.md');
    expect(readFileSync(join(root, 'ops/media-service/README.md'), 'utf8')).toContain('**Not ready: 1 blocker**');
  });

  it('refuses to overwrite a file the user edited or wrote, naming it, and writes nothing (exit 2)', async () => {
    const root = writeProject(readyShop());
    expect((await runCli(['extract', 'media'], root)).code).toBe(0);
    const serviceFile = join(root, 'deploy/media/service.env');
    const edited = readFileSync(serviceFile, 'utf8').replace('PORT=3001', 'PORT=8080');
    writeFileSync(serviceFile, edited);
    writeFileSync(join(root, 'deploy/media/README.md'), '# our own notes\n');
    writeFileSync(join(root, 'modules/media/media.facade.ts'), BLOCKED['modules/media/media.facade.ts']);
    const monolithBefore = readFileSync(join(root, 'deploy/media/monolith.env'), 'utf8');

    const run = await runCli(['extract', 'media'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'modulith extract: refusing to overwrite deploy/media/service.env (edited since it was generated), deploy/media/README.md (not written by modulith extract); ' +
        'move your changes elsewhere and delete the file, or pass --out DIR (or --no-write)\n',
    );
    expect(readFileSync(serviceFile, 'utf8')).toBe(edited);
    expect(readFileSync(join(root, 'deploy/media/README.md'), 'utf8')).toBe('# our own notes\n');
    expect(readFileSync(join(root, 'deploy/media/monolith.env'), 'utf8')).toBe(monolithBefore);
  });

  it('takes the broker URL and namespace from the environment it runs in; refuses a malformed URL (exit 2)', async () => {
    const root = writeProject(readyShop());
    const ok = await withEnv({ MODULITH_BROKER_URL: 'nats://broker.internal:4222', MODULITH_NAMESPACE: 'shop' }, () => runCli(['extract', 'media'], root));
    expect(ok.code).toBe(0);
    const service = envValues(readFileSync(join(root, 'deploy/media/service.env'), 'utf8'));
    expect(service).toMatchObject({ MODULITH_BROKER_URL: 'nats://broker.internal:4222', MODULITH_NAMESPACE: 'shop' });
    expect(readFileSync(join(root, 'deploy/media/README.md'), 'utf8')).toContain(
      'MODULITH_REMOTE=media MODULITH_BROKER_URL=nats://broker.internal:4222 MODULITH_NAMESPACE=shop npm start',
    );

    const bad = await withEnv({ MODULITH_BROKER_URL: 'broker:4222' }, () => runCli(['extract', 'media'], root));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("MODULITH_BROKER_URL 'broker:4222' is not a NATS URL");
  });
});

describe('modulith extract: the module\'s own settings', () => {
  const manifests = {
    'modules/media/module.json': JSON.stringify({
      name: 'media',
      dependsOn: ['billing'],
      config: {
        IMAGE_PROVIDER_API_KEY: { description: 'API key of the image provider', secret: true, required: true },
        MEDIA_MAX_JOBS: { description: 'jobs run at once', type: 'integer', default: 4 },
        MEDIA_BUCKET: { description: 'where results go\nINJECTED=1', required: true },
        SHARED_REGION: { description: 'region of the cloud account' },
      },
    }),
    'modules/billing/module.json': JSON.stringify({
      name: 'billing',
      config: { BILLING_CURRENCY: { description: 'currency', default: 'EUR' }, PAYMENT_KEY: { description: 'payment key', secret: true, required: true }, SHARED_REGION: { description: 'region' } },
    }),
  };

  it('service.env gets exactly the variables the module declares (secrets by name only, required marked); monolith.env drops them', async () => {
    const root = writeProject(readyShop(manifests));
    const run = await runCli(['extract', 'media'], root);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const service = readFileSync(join(root, 'deploy/media/service.env'), 'utf8');
    expect(envValues(service)).toEqual({
      MODULITH_SERVE: 'media',
      MODULITH_BROKER_URL: 'nats://127.0.0.1:4222',
      MODULITH_NAMESPACE: 'modulith',
      DATABASE_URL: 'sqlite:data/media.sqlite',
      PORT: '3001',
      MEDIA_BUCKET: '',
      MEDIA_MAX_JOBS: '4',
      SHARED_REGION: '',
    });
    expect(service).toContain(
      [
        '# API key of the image provider (required: the service refuses to start without it)',
        '# secret: provide it where the service runs (a secret store, a second --env-file), never in this file',
        '# IMAGE_PROVIDER_API_KEY=',
        '# where results go INJECTED=1 (required: the service refuses to start without it)',
        'MEDIA_BUCKET=',
        '# jobs run at once',
        'MEDIA_MAX_JOBS=4',
      ].join('\n'),
    );
    expect(service).not.toMatch(/^INJECTED/m);
    expect(service).not.toContain('PAYMENT_KEY');
    expect(service).not.toContain('BILLING_CURRENCY');

    const monolith = readFileSync(join(root, 'deploy/media/monolith.env'), 'utf8');
    expect(envValues(monolith)).toEqual({ MODULITH_REMOTE: 'media', MODULITH_BROKER_URL: 'nats://127.0.0.1:4222', MODULITH_NAMESPACE: 'modulith' });
    expect(monolith).toContain("# No longer needed here (media reads them, in its own process): remove them from the monolith's environment:\n#   IMAGE_PROVIDER_API_KEY\n#   MEDIA_BUCKET\n#   MEDIA_MAX_JOBS\n");
    expect(monolith).toContain('#   BILLING_CURRENCY: billing\n#   PAYMENT_KEY (required) (secret): billing\n#   SHARED_REGION: billing\n');

    const json = await runCli(['extract', 'media', '--format', 'json', '--no-write'], root);
    expect(JSON.parse(json.stdout).config.variables.map((v: { name: string }) => v.name)).toEqual(['IMAGE_PROVIDER_API_KEY', 'MEDIA_BUCKET', 'MEDIA_MAX_JOBS', 'SHARED_REGION']);
  });
});

function envValues(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Runs `work` with these variables set in process.env (the command reads it), then restores them. */
async function withEnv<T>(vars: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await work();
  } finally {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
