// @modulith-covers boundaries
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckConfigError, createBaseline, DEFAULT_BASELINE, formatBaseline, writeBaseline } from '../../src/boundaries/index.js';
import { brief, check, manifest, removeProjects, writeFile, writeProject } from './support/project.js';
import { referenceApp } from './support/reference-app.js';

afterAll(removeProjects);

const DEEP = "import { InvoiceRepository } from '../billing/internal/invoice.js';\nexport const d = InvoiceRepository;\n";
const UNDECLARED = "import { charge } from '../billing/index.js';\nexport const c = charge;\n";

/** A project with two violations and one warning, and its baseline written. */
async function baselined(): Promise<string> {
  const root = writeProject(
    referenceApp({
      'modules/orders/deep.ts': DEEP,
      'modules/catalog/undeclared.ts': UNDECLARED,
      'modules/kernel/module.json': manifest('kernel', [], { shared: true }),
      'modules/ids/module.json': manifest('ids', ['kernel'], { shared: true }),
      'modules/ids/index.ts': 'export const id = 1;\n',
    }),
  );
  writeBaseline(root, DEFAULT_BASELINE, createBaseline((await check(root)).found));
  return root;
}

describe('baseline', () => {
  it('records failing violations only, sorted, one per line, without line numbers', async () => {
    const root = await baselined();
    expect(readFileSync(join(root, DEFAULT_BASELINE), 'utf8')).toBe(
      [
        '{',
        '  "version": 1,',
        '  "violations": [',
        '    {"rule":"undeclared-dependency","from":"modules/catalog/undeclared.ts","to":"modules/billing/index.ts"},',
        '    {"rule":"deep-import","from":"modules/orders/deep.ts","to":"modules/billing/internal/invoice.ts"}',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('suppresses known violations (counted in known) and uses modulith-baseline.json by default', async () => {
    const root = await baselined();
    const result = await check(root, { baseline: undefined });
    expect(result.baselineFile).toBe(DEFAULT_BASELINE);
    expect(result.known).toBe(2);
    expect(result.stale).toEqual([]);
    expect(brief(result.violations)).toEqual([{ rule: 'unused-dependency', from: 'modules/ids/module.json', to: 'modules/kernel/index.ts' }]);
    expect(result.exitCode).toBe(0);
  });

  it('keeps matching when code above a violation moves it to another line', async () => {
    const root = await baselined();
    writeFile(root, 'modules/orders/deep.ts', `// a comment\n// and another\n\n${DEEP}`);
    const result = await check(root, { baseline: DEFAULT_BASELINE });
    expect(result.known).toBe(2);
    expect(result.exitCode).toBe(0);
  });

  it('fails on a new violation only', async () => {
    const root = await baselined();
    writeFile(root, 'modules/orders/deep-too.ts', DEEP);
    const result = await check(root, { baseline: DEFAULT_BASELINE });
    expect(brief(result.violations.filter((v) => v.severity === 'error'))).toEqual([
      { rule: 'deep-import', from: 'modules/orders/deep-too.ts', to: 'modules/billing/internal/invoice.ts' },
    ]);
    expect(result.known).toBe(2);
    expect(result.exitCode).toBe(1);
  });

  it('lists fixed violations as stale and fails until the baseline is rewritten (it only ratchets down)', async () => {
    const root = await baselined();
    writeFile(root, 'modules/orders/deep.ts', 'export const d = 1;\n');
    const stale = await check(root, { baseline: DEFAULT_BASELINE });
    expect(stale.stale).toEqual([{ rule: 'deep-import', from: 'modules/orders/deep.ts', to: 'modules/billing/internal/invoice.ts' }]);
    expect(stale.known).toBe(1);
    expect(stale.exitCode).toBe(1);

    writeBaseline(root, DEFAULT_BASELINE, createBaseline(stale.found));
    const ratcheted = await check(root, { baseline: DEFAULT_BASELINE });
    expect(ratcheted.stale).toEqual([]);
    expect(ratcheted.exitCode).toBe(0);
    // the fixed violation cannot come back unnoticed
    writeFile(root, 'modules/orders/deep.ts', DEEP);
    expect((await check(root, { baseline: DEFAULT_BASELINE })).exitCode).toBe(1);
  });

  it('keys a module cycle by its modules, not by the import that happens to represent it', async () => {
    const root = writeProject(referenceApp({ 'modules/billing/notify.ts': "import { placeOrder } from '../orders/index.js';\nexport const n = placeOrder;\n" }));
    const before = await check(root);
    writeBaseline(root, DEFAULT_BASELINE, createBaseline(before.found));
    expect(formatBaseline(createBaseline(before.found))).toContain('"cycle":["billing","orders"]');
    writeFile(root, 'modules/billing/a-notify.ts', "import { placeOrder } from '../orders/index.js';\nexport const a = placeOrder;\n");
    const after = await check(root, { baseline: DEFAULT_BASELINE });
    expect(after.found.find((v) => v.rule === 'module-cycle')!.from).toBe('modules/billing/a-notify.ts');
    expect(brief(after.violations)).toEqual([{ rule: 'undeclared-dependency', from: 'modules/billing/a-notify.ts', to: 'modules/orders/index.ts' }]);
    expect(after.stale).toEqual([]);
  });

  it('an explicit baseline that does not exist, or is not a baseline, is a configuration error naming it', async () => {
    const root = writeProject(referenceApp({ 'broken-baseline.json': '{ "violations": [ { "rule": 1 } ] }' }));
    await expect(check(root, { baseline: 'nope.json' })).rejects.toThrow(CheckConfigError);
    await expect(check(root, { baseline: 'nope.json' })).rejects.toThrow(/nope\.json: does not exist/);
    await expect(check(root, { baseline: 'broken-baseline.json' })).rejects.toThrow(/broken-baseline\.json: is not a modulith baseline/);
  });
});
