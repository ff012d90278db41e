// @modulith-covers affected
import { describe, expect, it } from '@jest/globals';
import { computeAffected, eventEdges, parseFilesOption, shellKind, type AffectedInput } from '../../src/affected/index.js';
import type { ContractMove } from '../../src/boundaries/index.js';
import { ApplicationModule, ApplicationModules, parseContract } from '../../src/core/index.js';

/** billing <- orders <- shipping (declared), kernel shared (used by all), media publishes an event notifications listens to, reports depends on notifications. */
function model(): ApplicationModules {
  const m = (name: string, dependsOn: string[] = [], shared = false) => new ApplicationModule(name, dependsOn, shared, undefined, 'modules', `modules/${name}`, `modules/${name}/index.ts`);
  return new ApplicationModules('/project', ['modules'], [
    m('billing', ['kernel']),
    m('catalog'),
    m('kernel', [], true),
    m('media'),
    m('notifications'),
    m('orders', ['billing']),
    m('reports', ['notifications']),
    m('shipping', ['orders']),
    m('units', [], true),
  ]);
}

const contract = (name: string, publishes: string[], listens: string[]) =>
  parseContract(
    [
      `# ${name}: module contract`,
      '',
      '## Facades',
      '',
      '(none)',
      '',
      '## Public API (index.ts)',
      '',
      '(none)',
      '',
      '## Events published',
      '',
      ...(publishes.length ? ['```ts', ...publishes, '```'] : ['(none)']),
      '',
      '## Events listened to',
      '',
      ...(listens.length ? ['```ts', ...listens, '```'] : ['(none)']),
      '',
      '## HTTP routes',
      '',
      '(none)',
      '',
    ].join('\n'),
  )!;

const EVENTS = eventEdges(
  new Map([
    ['media', contract('media', ['media.job.completed@1 { jobId: string }'], [])],
    ['notifications', contract('notifications', [], ['notifications.job-completed-webhook <- media.job.completed@1'])],
  ]),
);

const affected = (files: string[], contracts: Record<string, ContractMove> = {}, extra: Partial<AffectedInput> = {}) => computeAffected({ model: model(), files, contracts, events: EVENTS, ...extra });

describe('computeAffected', () => {
  it('reads the event edges from module.api.md: who listens to whose events', () => {
    expect(EVENTS).toEqual([{ listener: 'notifications', publisher: 'media', event: 'media.job.completed@1' }]);
  });

  it('a change confined to internals affects that module only', () => {
    const result = affected(['modules/billing/internal/invoice.ts', 'modules/billing/charge.ts']);
    expect(result.changed).toEqual(['billing']);
    expect(result.affected).toEqual(['billing']);
    expect(result.reasons).toEqual({ billing: 'changed (internals only)' });
    expect(result.contracts).toEqual({ billing: 'unchanged' });
  });

  it('a contract change reaches the declared dependents transitively', () => {
    const result = affected(['modules/billing/index.ts'], { billing: 'breaking' });
    expect(result.affected).toEqual(['billing', 'orders', 'shipping']);
    expect(result.reasons).toEqual({
      billing: 'changed; its contract changed (breaking)',
      orders: 'depends on billing, whose contract changed',
      shipping: 'depends on orders, which is affected by the contract change of billing',
    });
  });

  it('a contract change reaches the modules listening to its events, and their dependents', () => {
    const result = affected(['modules/media/index.ts'], { media: 'changed' });
    expect(result.affected).toEqual(['media', 'notifications', 'reports']);
    expect(result.reasons.media).toBe('changed; its contract changed');
    expect(result.reasons.notifications).toBe('listens to media.job.completed@1 of media, whose contract changed');
    expect(result.reasons.reports).toBe('depends on notifications, which is affected by the contract change of media');
    // internals of the publisher: the listener is not affected
    expect(affected(['modules/media/png.ts']).affected).toEqual(['media']);
  });

  it('any change to a shared module affects its users: every non-shared module (no import graph at hand), or those importing or declaring it', () => {
    const result = affected(['modules/kernel/money.ts']);
    expect(result.affected).toEqual(['billing', 'catalog', 'kernel', 'media', 'notifications', 'orders', 'reports', 'shipping']);
    expect(result.reasons.catalog).toBe('uses the shared module kernel, which changed');
    expect(result.reasons.kernel).toBe('changed (internals only)');
    expect(result.affected).not.toContain('units'); // a shared module that does not declare kernel

    const uses = new Map([['catalog', ['kernel']], ['orders', ['billing']]]);
    expect(affected(['modules/kernel/money.ts'], {}, { uses }).affected).toEqual(['billing', 'catalog', 'kernel']);
  });

  it('app-shell code or configuration affects every module; docs affect none', () => {
    const code = affected(['app/app.module.ts']);
    expect(code.changed).toEqual([]);
    expect(code.affected).toEqual(model().names);
    expect(code.reasons.media).toBe('the app shell changed (app/app.module.ts)');
    expect(code.shell).toEqual({ code: ['app/app.module.ts'], docs: [], tests: [] });
    for (const file of ['package.json', 'tsconfig.build.json', 'jest.config.js', 'vitest.config.mts', 'src/main.ts']) expect(affected([file]).affected).toHaveLength(9);

    const docs = affected(['README.md', 'docs/guide/setup.txt', 'docs/arch.png', 'assets/logo.svg', 'LICENSE']);
    expect(docs.affected).toEqual([]);
    expect(docs.shell.docs).toHaveLength(5);
    // a changed module wins over the shell reason
    expect(affected(['modules/billing/charge.ts', 'app/main.ts']).reasons.billing).toBe('changed (internals only)');
  });

  it('tests outside modules affect no module', () => {
    const result = affected(['test/api/health.spec.ts', 'test/support/helper.ts']);
    expect(result.affected).toEqual([]);
    expect(result.shell.tests).toEqual(['test/api/health.spec.ts', 'test/support/helper.ts']);
  });

  it('renamed and deleted files count for the module of their path', () => {
    // a rename from billing to orders lists both paths; a deleted file its old path
    const result = affected(['modules/billing/old-name.ts', 'modules/orders/new-name.ts', 'modules/catalog/gone.ts']);
    expect(result.changed).toEqual(['billing', 'catalog', 'orders']);
    expect(result.affected).toEqual(['billing', 'catalog', 'orders']);
  });

  it('--all-dependents: any change reaches the dependents transitively, contracts aside', () => {
    const result = affected(['modules/billing/internal/invoice.ts'], {}, { options: { allDependents: true } });
    expect(result.allDependents).toBe(true);
    expect(result.affected).toEqual(['billing', 'orders', 'shipping']);
    expect(result.reasons.orders).toBe('depends on billing, which changed');
    expect(result.reasons.shipping).toBe('depends on orders, which is affected by the change to billing');
    const shared = affected(['modules/kernel/money.ts'], {}, { options: { allDependents: true } });
    expect(shared.affected).toEqual(['billing', 'catalog', 'kernel', 'media', 'notifications', 'orders', 'reports', 'shipping']);
  });

  it('nothing changed: nothing affected; the three keys are always there, sorted', () => {
    const result = affected([]);
    expect(result).toMatchObject({ changed: [], affected: [], reasons: {} });
  });
});

describe('shellKind', () => {
  it.each([
    ['README.md', 'docs'],
    ['docs/x.ts', 'docs'],
    ['img/a.PNG', 'docs'],
    ['CODEOWNERS', 'docs'],
    ['app/main.ts', 'code'],
    ['package.json', 'code'],
    ['package-lock.json', 'code'],
    ['tsconfig.json', 'code'],
    ['.env.example', 'code'],
    ['test/a.spec.ts', 'test'],
    ['test/support/x.ts', 'test'],
    ['app/main.test.js', 'test'],
  ])('%s is %s', (path, kind) => {
    expect(shellKind(path)).toBe(kind);
  });
});

describe('parseFilesOption (--files)', () => {
  it('project-relative paths, an absolute path inside the project; sorted and deduplicated', () => {
    expect(parseFilesOption('modules/b/x.ts, app/main.ts,,modules/b/x.ts,/project/README.md', '/project')).toEqual(['README.md', 'app/main.ts', 'modules/b/x.ts']);
    expect(parseFilesOption('modules\\b\\x.ts', '/project')).toEqual(['modules/b/x.ts']);
  });

  it.each([
    ['../etc/passwd', /'\.\.' may not leave/],
    ['modules/../../x.ts', /'\.\.' may not leave/],
    ['/etc/passwd', /outside the project/],
    ['/project', /outside the project/],
    ['modules/a\u0000.ts', /control characters/],
    ['a\nb', /control characters/],
    ['', /give project-relative paths/],
    [' , ', /give project-relative paths/],
    ['x'.repeat(5000), /longer than/],
  ])('refuses hostile entry #%#', (value, message) => {
    expect(() => parseFilesOption(value, '/project')).toThrow(message);
  });
});
