// @modulith-covers cli, scaffold
import { afterAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { initProject } from '../../src/scaffold/index.js';
import { copyLayout, read, remove, removeLayouts, write } from '../boundaries/support/layouts.js';
import { runCli } from './support/run-cli.js';

afterAll(removeLayouts);

// test/fixtures/layouts/app-tsconfig: the aliases (`~/*`, `@shop/*`) live in tsconfig.app.json and
// the project has no tsconfig.json, so only --tsconfig lets the check resolve them.

const HELPER = fileURLToPath(new URL('../../src/depcruise.ts', import.meta.url));
const WARNING =
  "warning: no tsconfig.json or tsconfig.base.json in this folder, but tsconfig.app.json declares path aliases (~/*, @shop/*): imports through them cannot be resolved, so boundaries crossed through them go unchecked. Fix: pass --tsconfig tsconfig.app.json (or add a tsconfig.json that extends it)\n";

/** A dependency-cruiser config that loads this checkout's helper (a temp copy has no nest-modulith installed); it mentions nest-modulith/depcruise as an installed one would. */
function depcruiseConfig(args = ''): string {
  return `// nest-modulith/depcruise, from this checkout\nimport { modulithRules } from ${JSON.stringify(HELPER)};\nexport default modulithRules(${args});\n`;
}

describe('modulith check --tsconfig', () => {
  it('resolves imports through the named tsconfig: clean, exit 0, nothing on stderr', async () => {
    const run = await runCli(['check', '--tsconfig', 'tsconfig.app.json', '--no-contracts'], copyLayout('app-tsconfig'));
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^✔ no boundary violations/);
    expect(run.code).toBe(0);
  });

  it('reports a new deep import through an alias with the alias as the fix', async () => {
    const root = copyLayout('app-tsconfig');
    write(root, 'src/cart/peek.ts', "import { PRICES } from '@shop/catalog/internal/prices';\nexport const peek = PRICES;\n");
    const run = await runCli(['check', '--tsconfig', 'tsconfig.app.json', '--format', 'json', '--no-contracts'], root);
    const violations = JSON.parse(run.stdout).violations as Array<Record<string, string>>;
    expect(violations.map((v) => [v.rule, v.from, v.to])).toEqual([['deep-import', 'src/cart/peek.ts', 'src/catalog/internal/prices.ts']]);
    expect(violations[0].message).toBe("cart reaches into catalog's internals with a path-alias import; import from '~/catalog' instead");
    expect(run.code).toBe(1);
  });

  it('without it: a warning on stderr naming the fix, the unresolved alias imports fail (exit 1), stdout stays JSON', async () => {
    const run = await runCli(['check', '--format', 'json', '--no-contracts'], copyLayout('app-tsconfig'));
    expect(run.stderr).toBe(`modulith check: ${WARNING}`);
    const output = JSON.parse(run.stdout) as { violations: Array<{ rule: string; to: string }> };
    expect(output.violations.filter((v) => v.rule === 'unresolved-import').map((v) => v.to)).toEqual(['@shop/catalog']);
    expect(run.code).toBe(1);
  });

  it('a --tsconfig that does not exist is a configuration error naming it, exit 2', async () => {
    const run = await runCli(['check', '--tsconfig', 'tsconfig.nope.json'], copyLayout('app-tsconfig'));
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('tsconfig.nope.json: does not exist');
    expect(run.stderr).toContain('--tsconfig FILE');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(2);
  });
});

describe('modulith baseline --tsconfig', () => {
  it('records with the named tsconfig, and warns without it', async () => {
    const root = copyLayout('app-tsconfig');
    write(root, 'src/cart/peek.ts', "import { PRICES } from '@shop/catalog/internal/prices';\nexport const peek = PRICES;\n");
    const recorded = await runCli(['baseline', '--tsconfig', 'tsconfig.app.json'], root);
    expect(recorded).toMatchObject({ code: 0, stderr: '', stdout: 'modulith: recorded 1 violation in modulith-baseline.json\n' });
    expect((await runCli(['check', '--tsconfig', 'tsconfig.app.json'], root)).code).toBe(0);

    const blind = await runCli(['baseline', '--output', 'blind.json'], root);
    expect(blind.stderr).toBe(`modulith baseline: ${WARNING}`);
  });
});

describe('modulith init --tsconfig', () => {
  it('follows the aliases of the named tsconfig, records the baseline itself (without telling the user to) and passes the tsconfig on', async () => {
    const root = copyLayout('app-tsconfig');
    remove(root, 'src/cart/module.json', 'src/catalog/module.json');
    write(root, '.dependency-cruiser.mjs', depcruiseConfig());
    write(root, 'src/cart/peek.ts', "import { PRICES } from '@shop/catalog/internal/prices';\nexport const peek = PRICES;\n");
    const run = await runCli(['init', '--tsconfig', 'tsconfig.app.json'], root);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('  + src/cart  dependsOn: [catalog]\n');
    expect(run.stdout).toContain('  kept .dependency-cruiser.mjs (already exists and uses nest-modulith/depcruise; pass it the tsconfig: modulithRules({ tsConfig: "tsconfig.app.json" }))\n');
    expect(run.stdout).not.toContain('modulith baseline`');
    expect(run.stdout).toMatch(/modulith: recorded 1 violation in modulith-baseline\.json\n$/);
    expect(run.code).toBe(0);

  });

  it('once the config names the tsconfig, check needs no flag, and a second init has nothing to write or suggest', async () => {
    const root = copyLayout('app-tsconfig');
    write(root, '.dependency-cruiser.mjs', depcruiseConfig('{ tsConfig: "tsconfig.app.json" }'));
    const first = await runCli(['init', '--tsconfig', 'tsconfig.app.json'], root);
    expect(first.stdout).toMatch(/modulith: recorded 0 violations in modulith-baseline\.json\n$/);
    expect(await runCli(['check'], root)).toMatchObject({ code: 0, stderr: '' });

    const again = await runCli(['init', '--tsconfig', 'tsconfig.app.json'], root);
    expect(again.stdout).toBe(
      ['modulith init: 2 modules in src/', '  = src/cart  dependsOn: [catalog]', '  = src/catalog  dependsOn: []', '  kept .dependency-cruiser.mjs (already exists and uses nest-modulith/depcruise)', ''].join('\n'),
    );
    expect(again.code).toBe(0);
  });

  it('writes the tsconfig into the .dependency-cruiser.js it generates', () => {
    const root = copyLayout('app-tsconfig');
    initProject(root, { tsconfig: 'tsconfig.app.json' });
    expect(read(root, '.dependency-cruiser.js')).toContain(`module.exports = require('nest-modulith/depcruise').modulithRules({ tsConfig: "tsconfig.app.json" });`);
  });

  it('without it, init says which tsconfig holds the aliases it could not follow', async () => {
    const root = copyLayout('app-tsconfig');
    remove(root, 'src/cart/module.json', 'src/catalog/module.json');
    write(root, '.dependency-cruiser.mjs', depcruiseConfig());
    const run = await runCli(['init'], root);
    expect(run.stdout).toContain('  + src/cart  dependsOn: []\n');
    expect(run.stdout).toContain('no tsconfig.json or tsconfig.base.json here, but tsconfig.app.json declares path aliases or a baseUrl');
    expect(run.stdout).toContain('run `modulith init --tsconfig tsconfig.app.json`');
    expect(run.stderr).toBe(`modulith baseline: ${WARNING}`);
  });
});
