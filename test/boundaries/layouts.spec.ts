// @modulith-covers boundaries, scaffold
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { createBaseline, writeBaseline, type CheckResult } from '../../src/boundaries/index.js';
import { initProject } from '../../src/scaffold/index.js';
import { brief, check, manifest, removeProjects, writeProject } from './support/project.js';
import { copyLayout, read, remove, removeLayouts, write } from './support/layouts.js';

afterAll(removeLayouts);
afterAll(removeProjects);

// Layouts of real NestJS repositories on which the check once went blind (exit 0 on a new deep
// import): every import that resolves to a project file must count, however it resolves, and an
// import through an alias or a baseUrl that resolves nowhere must fail loudly.

const errors = (result: CheckResult) => result.violations.filter((v) => v.severity === 'error');

/** `modulith init` on a copy: its .dependency-cruiser.js needs nest-modulith installed, which a temp copy has not; the check's defaults are the same rules. */
function adopt(root: string): void {
  initProject(root);
  remove(root, '.dependency-cruiser.js');
}
const warnings = (result: CheckResult) => result.violations.filter((v) => v.severity === 'warn');

describe('(a) baseUrl imports: `src/team/team.service` with "baseUrl": "./" and no paths', () => {
  it('init follows them: dependsOn from today\'s baseUrl imports', () => {
    const root = copyLayout('baseurl');
    const result = initProject(root);
    expect(result.modules.map((m) => [m.name, m.dependsOn])).toEqual([
      ['profile', ['users']],
      ['team', []],
      ['users', ['team']],
    ]);
  });

  it('sees the deep baseUrl imports, so after init and its baseline the check exits 0 without a false unused-dependency warning', async () => {
    const root = copyLayout('baseurl');
    adopt(root);
    const today = await check(root);
    expect(brief(errors(today)).filter((v) => v.rule === 'deep-import')).toEqual([
      { rule: 'deep-import', from: 'src/profile/profile.module.ts', to: 'src/users/users.module.ts' },
      { rule: 'deep-import', from: 'src/profile/profile.service.ts', to: 'src/users/users.service.ts' },
      { rule: 'deep-import', from: 'src/users/users.module.ts', to: 'src/team/team.module.ts' },
      { rule: 'deep-import', from: 'src/users/users.service.ts', to: 'src/team/team.service.ts' },
    ]);
    expect(warnings(today)).toEqual([]);
    writeBaseline(root, 'modulith-baseline.json', createBaseline(today.found));

    const after = await check(root, { baseline: 'modulith-baseline.json' });
    expect(after.violations).toEqual([]);
    expect(after.exitCode).toBe(0);
  });

  it('a new deep baseUrl import fails the check, and the fix names the baseUrl path of the public API', async () => {
    const root = copyLayout('baseurl');
    adopt(root);
    write(root, 'src/team/roster.ts', "import { UsersService } from 'src/users/users.service';\nexport const roster = UsersService;\n");
    const result = await check(root);
    const deep = result.violations.find((v) => v.from === 'src/team/roster.ts')!;
    expect(deep).toMatchObject({ rule: 'deep-import', to: 'src/users/users.service.ts', fromModule: 'team', toModule: 'users' });
    expect(deep.message).toBe("team reaches into users's internals with a baseUrl import; import from 'src/users' instead");
    // team -> users would close users -> team: the fix must not be to declare it.
    expect(deep.fix).toContain("declaring \"users\" in team's dependsOn would create the cycle team -> users -> team");
    expect(result.exitCode).toBe(1);
  });

  it('a baseUrl path that resolves nowhere is an unresolved-import', async () => {
    const root = copyLayout('baseurl');
    adopt(root);
    write(root, 'src/team/broken.ts', "import { Thing } from 'src/nope/thing';\nexport const t = Thing;\n");
    const result = await check(root);
    const broken = result.violations.filter((v) => v.from === 'src/team/broken.ts');
    expect(brief(broken)).toEqual([{ rule: 'unresolved-import', from: 'src/team/broken.ts', to: 'src/nope/thing' }]);
    expect(broken[0].fix).toBe('correct the path (it resolves from the baseUrl of tsconfig.json), or create the missing file');
    expect(result.exitCode).toBe(1);
  });
});

describe('(b) Nx: only tsconfig.base.json at the root (paths, no baseUrl), apps/api/tsconfig.json solution-style', () => {
  const PORTFOLIO = 'apps/api/src/app/portfolio';
  const cases = [
    { where: 'the repository root', dir: '.', prefix: 'apps/api/', modules: 'apps/api/src/app' },
    { where: 'apps/api', dir: 'apps/api', prefix: '', modules: 'src/app' },
  ];

  it.each(cases)('from $where: the clean app checks clean (exit 0, every alias import resolved and counted)', async ({ dir }) => {
    const result = await check(join(copyLayout('nx'), dir));
    expect(result.violations).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it.each(cases)('from $where: a deep import through an alias fails, and the fix names the alias of the module', async ({ dir, prefix }) => {
    const repo = copyLayout('nx');
    write(repo, `${PORTFOLIO}/deep.ts`, "import { UsersService } from '@acme/api/users/users.service';\nexport const deep = UsersService;\n");
    const result = await check(join(repo, dir));
    expect(brief(result.violations)).toEqual([{ rule: 'deep-import', from: `${prefix}src/app/portfolio/deep.ts`, to: `${prefix}src/app/users/users.service.ts` }]);
    expect(result.violations[0].message).toBe("portfolio reaches into users's internals with a path-alias import; import from '@acme/api/users' instead");
    expect(result.exitCode).toBe(1);
  });

  it.each(cases)('from $where: an alias import that resolves nowhere is an unresolved-import', async ({ dir, prefix }) => {
    const repo = copyLayout('nx');
    write(repo, `${PORTFOLIO}/broken.ts`, "import { Nope } from '@acme/api/nope';\nexport const nope = Nope;\n");
    const result = await check(join(repo, dir));
    expect(brief(result.violations)).toEqual([{ rule: 'unresolved-import', from: `${prefix}src/app/portfolio/broken.ts`, to: '@acme/api/nope' }]);
    // The fix names the config that declares the alias, as a path from where the check runs.
    expect(result.violations[0].fix).toBe(`correct the import (or the "paths" alias '@acme/api/*' in ${dir === '.' ? '' : '../../'}tsconfig.base.json), or create the missing file`);
    expect(result.exitCode).toBe(1);
  });

  it.each(cases)('from $where: init writes dependsOn from the alias imports', ({ dir, modules }) => {
    const repo = copyLayout('nx');
    remove(repo, `${PORTFOLIO}/module.json`, 'apps/api/src/app/users/module.json');
    const result = initProject(join(repo, dir), { modules });
    expect(result.modules.map((m) => [m.name, m.dependsOn])).toEqual([
      ['portfolio', ['users']],
      ['users', []],
    ]);
  });
});

describe('(c) extends chain: paths declared without baseUrl in config/tsconfig.paths.json', () => {
  it('checks clean: the aliases resolve from the folder of the config that declares them', async () => {
    const result = await check(copyLayout('extends-chain'));
    expect(result.violations).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('reports a deep import through the alias, with the alias in the fix, and an alias that resolves nowhere', async () => {
    const root = copyLayout('extends-chain');
    write(root, 'src/modules/orders/deep.ts', "import { InvoiceRepository } from '@modules/billing/internal/invoice.repository';\nexport const d = InvoiceRepository;\n");
    write(root, 'src/modules/orders/broken.ts', "import { nope } from '@modules/billing/nope';\nexport const n = nope;\n");
    const result = await check(root);
    expect(brief(result.violations)).toEqual([
      { rule: 'unresolved-import', from: 'src/modules/orders/broken.ts', to: '@modules/billing/nope' },
      { rule: 'deep-import', from: 'src/modules/orders/deep.ts', to: 'src/modules/billing/internal/invoice.repository.ts' },
    ]);
    expect(result.violations[1].fix).toBe("export what orders needs from src/modules/billing/index.ts and import '@modules/billing'");
  });

  it('init writes dependsOn from the alias imports', () => {
    const root = copyLayout('extends-chain');
    remove(root, 'src/modules/orders/module.json', 'src/modules/billing/module.json');
    expect(initProject(root).modules.map((m) => [m.name, m.dependsOn])).toEqual([
      ['billing', []],
      ['orders', ['billing']],
    ]);
  });

  it('without an alias or baseUrl for the module, the fix is a relative path in the file\'s own import style', async () => {
    const root = copyLayout('extends-chain');
    write(root, 'tsconfig.json', JSON.stringify({ compilerOptions: { module: 'commonjs' }, include: ['src'] }));
    write(root, 'src/modules/orders/place-order.ts', "import { charge } from '../billing';\nexport const placeOrder = (): number => charge();\n");
    write(root, 'src/modules/billing/charge.ts', "import { InvoiceRepository } from './internal/invoice.repository';\nexport const charge = (): number => new InvoiceRepository().count;\n");
    write(root, 'src/main.ts', "import { placeOrder } from './modules/orders';\nplaceOrder();\n");
    write(root, 'src/modules/orders/deep.ts', "import { InvoiceRepository } from '../billing/internal/invoice.repository';\nexport const d = InvoiceRepository;\n");
    const result = await check(root);
    expect(result.violations.map((v) => v.message)).toEqual(["orders reaches into billing's internals; import from '../billing' instead"]);
  });
});

describe('(d, e) the tsconfig with the aliases is tsconfig.app.json (no tsconfig.json)', () => {
  it('with tsConfig (--tsconfig) named, the check resolves through it and is clean', async () => {
    const result = await check(copyLayout('app-tsconfig'), { tsConfig: 'tsconfig.app.json' });
    expect(result.violations).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('without it, the check warns naming the fix and fails on every alias import it cannot resolve instead of passing', async () => {
    const warned: string[] = [];
    const result = await check(copyLayout('app-tsconfig'), { onWarning: (message) => warned.push(message) });
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('tsconfig.app.json declares path aliases (~/*, @shop/*)');
    expect(warned[0]).toContain('pass --tsconfig tsconfig.app.json');
    expect(brief(errors(result))).toEqual([{ rule: 'unresolved-import', from: 'src/cart/add-to-cart.ts', to: '@shop/catalog' }]);
    expect(result.violations[0].fix).toContain('pass --tsconfig FILE');
    expect(result.exitCode).toBe(1);
  });

  it('a named tsconfig that does not exist is a configuration error naming it', async () => {
    await expect(check(copyLayout('app-tsconfig'), { tsConfig: 'tsconfig.nope.json' })).rejects.toThrow(/tsconfig\.nope\.json: does not exist/);
  });

  it('a sub-project without a tsconfig of its own gets the warning naming the parent config', async () => {
    const repo = copyLayout('nx');
    remove(repo, 'apps/api/tsconfig.json', 'apps/api/tsconfig.app.json', 'apps/api/tsconfig.spec.json');
    const warned: string[] = [];
    const result = await check(join(repo, 'apps/api'), { onWarning: (message) => warned.push(message) });
    expect(warned.join('\n')).toContain('../../tsconfig.base.json declares path aliases (@acme/api/*, @acme/shared)');
    expect(result.violations.map((v) => v.rule)).toContain('unresolved-import');
    expect(result.exitCode).toBe(1);
  });
});

describe('fixes that would close a cycle', () => {
  it('an undeclared use whose declaration would create a cycle says so and suggests an event or a shared module', async () => {
    const root = writeProject({
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs' }, include: ['modules'] }),
      'modules/orders/module.json': manifest('orders', ['billing']),
      'modules/orders/index.ts': "import { charge } from '../billing';\nexport const order = (): number => charge();\n",
      'modules/billing/module.json': manifest('billing'),
      'modules/billing/index.ts': 'export const charge = (): number => 1;\n',
      'modules/billing/refund.ts': "import { order } from '../orders';\nexport const refund = (): number => order();\n",
    });
    const result = await check(root);
    const undeclared = result.violations.find((v) => v.rule === 'undeclared-dependency')!;
    expect(undeclared.fix).toBe(
      'remove the import: declaring "orders" in billing\'s dependsOn would create the cycle billing -> orders -> billing; have billing publish an event orders listens to, or move what both need into a shared module',
    );
    expect(read(root, 'modules/billing/module.json')).toBe(manifest('billing'));
  });
});
