// @modulith-covers extraction
import { afterAll, describe, expect, it } from '@jest/globals';
import { analyzeExtraction, type ExtractionReport, type Finding } from '../../src/extraction/index.js';
import { manifest, readyShop, removeProjects, writeProject } from './support/shop.js';

afterAll(removeProjects);

async function extract(files: Record<string, string>, module = 'media'): Promise<ExtractionReport> {
  return analyzeExtraction({ rootDir: writeProject(files), module, cache: false });
}

function kinds(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.kind} ${f.file}${f.line ? `:${f.line}` : ''}`);
}

describe('a module that is ready', () => {
  it('has no blockers and lists what will cross the broker: facades, remote calls, callers, tables, events', async () => {
    const report = await extract(readyShop());
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ module: 'media', ready: true, blockers: 0, warnings: 0 });

    expect(report.facades).toEqual([
      {
        name: 'MediaFacade',
        module: 'media',
        file: 'modules/media/media.facade.ts',
        line: 5,
        source: 'feature-module',
        declaredMethods: ['getJob'],
        methods: [{ name: 'getJob', line: 7, signature: 'getJob(id: string): Promise<JobView | null>', async: true, issues: [] }],
      },
    ]);
    expect(report.remoteCalls).toEqual([
      { module: 'billing', facade: 'BillingFacade', caller: 'media', methods: ['charge'], sites: [{ file: 'modules/media/media.service.ts', line: 14 }] },
    ]);
    expect(report.callers).toEqual([
      { module: 'media', facade: 'MediaFacade', caller: 'notifications', methods: ['getJob'], sites: [{ file: 'modules/notifications/job-mailer.ts', line: 6 }] },
    ]);
    expect(report.dependents).toEqual([]);
  });

  it("names tables as TypeORM does: @Entity('x'), @Entity({ name }), else the class name in snake_case", async () => {
    const report = await extract(readyShop());
    expect(report.tables).toEqual([{ table: 'media_job', entity: 'MediaJob', file: 'modules/media/media-job.entity.ts', line: 3, sharedWith: [] }]);
    const billing = await extract(readyShop(), 'billing');
    expect(billing.tables.map((t) => t.table)).toEqual(['billing_balances']);
  });

  it('lists the events it publishes (with their listeners elsewhere) and consumes (with their publishers), names and versions', async () => {
    const report = await extract(readyShop());
    expect(report.events.publishes).toEqual([
      {
        name: 'media.job.failed',
        version: 2,
        class: 'JobFailed',
        declaredIn: 'media-events',
        owner: 'media-events',
        publishedAt: [{ file: 'modules/media/media.service.ts', line: 21 }],
        consumers: [{ module: 'billing', listener: 'billing.refund-failed-job', file: 'modules/billing/refund.listener.ts', line: 7 }],
      },
    ]);
    expect(report.events.consumes).toEqual([
      {
        name: 'billing.account.closed',
        version: 1,
        class: 'AccountClosed',
        declaredIn: 'billing',
        owner: 'billing',
        listener: 'media.cancel-jobs',
        file: 'modules/media/account-closed.listener.ts',
        line: 7,
        publishers: ['billing'],
      },
    ]);
  });

  it('reports declared, used and shared dependencies', async () => {
    const report = await extract(readyShop());
    expect(report.dependencies).toMatchObject({ declared: ['billing'], used: ['billing', 'media-events'], undeclared: [], shared: ['media-events'], violations: [] });
  });
});

describe('blockers and warnings', () => {
  it('a facade method taking a Date is a blocker naming the method, the path in the value and the fix', async () => {
    const report = await extract(
      readyShop({
        'modules/media/media.facade.ts': `import { Facade } from 'nest-modulith';
export interface JobView { id: string }
export interface Schedule { jobId: string; at: Date }
@Facade<MediaFacade>({ getJob: true, schedule: true })
export abstract class MediaFacade {
  abstract getJob(id: string): Promise<JobView | null>;
  abstract schedule(input: Schedule): Promise<void>;
}
`,
      }),
    );
    expect(report.ready).toBe(false);
    const finding = report.findings.find((f) => f.kind === 'wire-type');
    expect(finding).toMatchObject({ severity: 'blocker', module: 'media', file: 'modules/media/media.facade.ts', line: 7 });
    expect(finding?.message).toBe('MediaFacade.schedule(): input.at (Date) is a Date, which becomes a string on the wire');
    expect(finding?.fix).toMatch(/ISO 8601 string/);
    expect(report.facades[0].methods[1].issues).toEqual([
      { severity: 'blocker', path: 'input.at', type: 'Date', reason: 'is a Date, which becomes a string on the wire', fix: 'send an ISO 8601 string (date.toISOString())' },
    ]);
  });

  it('a facade method that does not return a Promise is a blocker: a remote call is always async', async () => {
    const report = await extract(
      readyShop({
        'modules/media/media.facade.ts': `import { Facade } from 'nest-modulith';
@Facade<MediaFacade>({ count: true })
export abstract class MediaFacade {
  abstract count(): number;
}
`,
      }),
    );
    expect(kinds(report.findings)).toEqual(['blocker sync-method modules/media/media.facade.ts:4']);
    expect(report.findings[0].message).toBe('MediaFacade.count() returns number, not a Promise: a remote call is always async');
    expect(report.findings[0].fix).toBe('declare it as count(...): Promise<number> and make the implementation async');
    expect(report.facades[0].methods[0]).toMatchObject({ name: 'count', async: false });
  });

  it('a facade without @Facade is a blocker whose fix spells out the decorator', async () => {
    const report = await extract(
      readyShop({
        'modules/media/media.facade.ts': `export interface JobView { id: string }
export abstract class MediaFacade {
  abstract getJob(id: string): Promise<JobView | null>;
  abstract cancel(id: string): Promise<void>;
}
`,
      }),
    );
    expect(kinds(report.findings)).toEqual(['blocker missing-facade-decorator modules/media/media.facade.ts:2']);
    expect(report.findings[0].fix).toBe("add @Facade<MediaFacade>({ getJob: true, cancel: true }) (from 'nest-modulith') above 'abstract class MediaFacade'");
    expect(report.facades[0].declaredMethods).toBeNull();
  });

  it('a @Facade list that does not match the methods is a blocker; so is one on a facade it calls remotely', async () => {
    const report = await extract(
      readyShop({
        'modules/media/media.facade.ts': `import { Facade } from 'nest-modulith';
export interface JobView { id: string }
@Facade<MediaFacade>({ getJob: true, retry: true })
export abstract class MediaFacade {
  abstract getJob(id: string): Promise<JobView | null>;
  abstract cancel(id: string): Promise<void>;
}
`,
        'modules/billing/billing.facade.ts': `export interface ChargeInput { accountId: string; amount: number }
export interface Balance { accountId: string; credits: number; updatedAt: string }
export abstract class BillingFacade {
  abstract charge(input: ChargeInput): Promise<Balance>;
}
`,
      }),
    );
    expect(kinds(report.findings)).toEqual([
      'blocker facade-decorator-mismatch modules/media/media.facade.ts:3',
      'blocker missing-facade-decorator modules/billing/billing.facade.ts:3',
    ]);
    expect(report.findings[0].message).toBe('@Facade on MediaFacade does not list cancel (not callable remotely) and lists retry, which is not a method of MediaFacade');
    expect(report.findings[1]).toMatchObject({ module: 'billing' });
    expect(report.findings[1].message).toContain('BillingFacade has no @Facade({...}) (media will call it remotely)');
  });

  it('a facade method with a name the remote runtime refuses (then, toString...) is a blocker', async () => {
    const report = await extract(
      readyShop({
        'modules/media/media.facade.ts': `import { Facade } from 'nest-modulith';
@Facade<MediaFacade>({ then: true })
export abstract class MediaFacade {
  abstract then(id: string): Promise<void>;
}
`,
      }),
    );
    expect(kinds(report.findings)).toEqual(['blocker facade-decorator-mismatch modules/media/media.facade.ts:4']);
    expect(report.findings[0].message).toMatch(/^MediaFacade\.then\(\) has a reserved name/);
  });

  it('a table another module also maps, and another module using its entity, are blockers; a raw SQL string naming it is a warning', async () => {
    const report = await extract(
      readyShop({
        'modules/notifications/job-copy.entity.ts': `import { Entity, PrimaryColumn } from 'typeorm';
@Entity('media_job')
export class JobCopy {
  @PrimaryColumn() id!: string;
}
`,
        'modules/notifications/job-report.ts': `import { DataSource } from 'typeorm';
import { MediaJob } from '../media/media-job.entity.js';
export async function report(data: DataSource): Promise<unknown> {
  await data.getRepository(MediaJob).count();
  return data.query('SELECT count(*) FROM media_job');
}
`,
      }),
    );
    expect(kinds(report.findings)).toEqual([
      'blocker shared-table modules/media/media-job.entity.ts:3',
      'blocker boundary-violation modules/notifications/job-report.ts:2',
      'blocker foreign-entity modules/notifications/job-report.ts:2',
      'warning table-in-sql modules/notifications/job-report.ts:5',
    ]);
    expect(report.findings[0].message).toBe(
      "table media_job is mapped by media's MediaJob and by notifications' JobCopy (modules/notifications/job-copy.entity.ts:2): once media has its own database, notifications loses it",
    );
    expect(report.findings[1].message).toMatch(/^deep-import: /);
    expect(report.findings[2].message).toBe("notifications uses media's entity MediaJob (table media_job): after extraction that table is in media's own database");
    expect(report.tables[0].sharedWith.map((s) => `${s.module} ${s.how} ${s.detail}`)).toEqual(['notifications same-table JobCopy', 'notifications entity-reference MediaJob']);
  });

  it('using another module without declaring it is a blocker (from the boundary check), also when the check baselines it', async () => {
    const files = readyShop({
      'modules/accounts/module.json': manifest('accounts'),
      'modules/accounts/index.ts': 'export const ACCOUNT_PREFIX = "acct_";\n',
      'modules/media/prefix.ts': "import { ACCOUNT_PREFIX } from '../accounts/index.js';\nexport const prefixed = (id: string): string => ACCOUNT_PREFIX + id;\n",
      'modulith-baseline.json': JSON.stringify({
        version: 1,
        violations: [{ rule: 'undeclared-dependency', from: 'modules/media/prefix.ts', to: 'modules/accounts/index.ts' }],
      }),
    });
    const report = await extract(files);
    expect(kinds(report.findings)).toEqual(['blocker boundary-violation modules/media/prefix.ts:1']);
    expect(report.findings[0].message).toMatch(/^undeclared-dependency: .*\(baselined, so `modulith check` passes, but a process boundary does not tolerate it\)$/);
    expect(report.dependencies).toMatchObject({ used: ['accounts', 'billing', 'media-events'], undeclared: ['accounts'] });
    expect(report.dependencies.violations).toEqual([expect.objectContaining({ rule: 'undeclared-dependency', fromModule: 'media', toModule: 'accounts', baselined: true })]);
  });

  it('a shared module cannot be extracted', async () => {
    const report = await extract(readyShop(), 'media-events');
    expect(kinds(report.findings)).toEqual(['blocker shared-module modules/media-events/module.json']);
    expect(report.events.publishes.map((e) => e.name)).toEqual(['media.job.failed']);
  });

  it('without facades in @FeatureModule, the abstract classes index.ts exports are checked, with a warning', async () => {
    const report = await extract(
      readyShop({
        'modules/media/media.module.ts': `import { FeatureModule } from 'nest-modulith';
@FeatureModule({ name: 'media' })
export class MediaModule {}
`,
      }),
    );
    expect(kinds(report.findings)).toEqual(['warning facade-source modules/media/index.ts']);
    expect(report.facades.map((f) => `${f.name} ${f.source}`)).toEqual(['MediaFacade index-export']);
    expect(report.ready).toBe(true);
  });
});
