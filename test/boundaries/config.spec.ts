// @modulith-covers boundaries, core
import { afterAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { CheckConfigError, loadCheckConfig } from '../../src/boundaries/index.js';
import { ModuleModelError } from '../../src/core/index.js';
import { brief, check, manifest, removeProjects, writeProject } from './support/project.js';
import { referenceApp } from './support/reference-app.js';

afterAll(removeProjects);

const HELPER = fileURLToPath(new URL('../../src/depcruise.ts', import.meta.url));
const ESM_PACKAGE = JSON.stringify({ name: 'fixture-app', type: 'module' });

async function configError(rootDir: string): Promise<CheckConfigError | ModuleModelError> {
  try {
    await check(rootDir);
  } catch (error) {
    return error as CheckConfigError;
  }
  throw new Error('expected a configuration error');
}

describe('.dependency-cruiser.js', () => {
  it('reads the modulith options a modulithRules() config carries, including roots passed to it', async () => {
    const root = writeProject(
      referenceApp({
        'package.json': ESM_PACKAGE,
        'lib/extra/module.json': manifest('extra'),
        'lib/extra/index.ts': 'export const extra = 1;\n',
        'lib/extra/secret.ts': 'export const secret = 1;\n',
        'modules/orders/uses-extra.ts': "import { secret } from '../../lib/extra/secret.js';\nexport const s = secret;\n",
        '.dependency-cruiser.js': `import { modulithRules } from ${JSON.stringify(HELPER)};\nexport default modulithRules({ roots: ['modules', 'lib'] });\n`,
      }),
    );
    const config = await loadCheckConfig(root);
    expect(config.file).toBe('.dependency-cruiser.js');
    expect(config.options.roots).toEqual(['modules', 'lib']);
    expect(config.extraRules).toBeUndefined();
    expect(brief((await check(root)).violations)).toEqual([{ rule: 'deep-import', from: 'modules/orders/uses-extra.ts', to: 'lib/extra/secret.ts' }]);
  });

  it('reports the user rules added next to the generated ones under their own names', async () => {
    const root = writeProject(
      referenceApp({
        'package.json': ESM_PACKAGE,
        'modules/orders/uses-fs.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
        '.dependency-cruiser.js': [
          `import { modulithRules } from ${JSON.stringify(HELPER)};`,
          'const config = modulithRules();',
          "export default { ...config, forbidden: [...config.forbidden, { name: 'no-fs-in-orders', severity: 'error', from: { path: '^modules/orders' }, to: { path: '^fs$' } }] };",
          '',
        ].join('\n'),
      }),
    );
    const result = await check(root);
    expect(brief(result.violations)).toEqual([{ rule: 'no-fs-in-orders', from: 'modules/orders/uses-fs.ts', to: 'fs' }]);
    expect(result.rules.map((r) => r.id)).toContain('no-fs-in-orders');
  });

  it('uses a hand-written dependency-cruiser config (no modulith options) with the defaults', async () => {
    const root = writeProject(
      referenceApp({ '.dependency-cruiser.json': JSON.stringify({ forbidden: [], options: { tsPreCompilationDeps: true, tsConfig: { fileName: 'tsconfig.json' } } }) }),
    );
    const config = await loadCheckConfig(root);
    expect(config.file).toBe('.dependency-cruiser.json');
    expect(config.options.roots).toEqual(['modules']);
    expect(brief((await check(root)).violations)).toEqual([]);
  });

  it('a config that does not load is a configuration error naming the file', async () => {
    const root = writeProject(referenceApp({ 'package.json': ESM_PACKAGE, '.dependency-cruiser.js': 'export default {\n' }));
    const error = await configError(root);
    expect(error).toBeInstanceOf(CheckConfigError);
    expect(error.problems[0].file).toBe('.dependency-cruiser.js');
    expect(error.message).toContain('.dependency-cruiser.js: cannot be loaded');
  });

  it('a rule dependency-cruiser rejects is a configuration error naming the file', async () => {
    const root = writeProject(
      referenceApp({ '.dependency-cruiser.json': JSON.stringify({ forbidden: [{ name: 'bad', from: {}, to: { nonsense: true } }] }) }),
    );
    const error = await configError(root);
    expect(error.problems[0].file).toBe('.dependency-cruiser.json');
    expect(error.message).toMatch(/is rejected by dependency-cruiser: The supplied configuration is not valid/);
  });

  it('a broken module model inside modulithRules() surfaces as the ModuleModelError it is', async () => {
    const root = writeProject(
      referenceApp({
        'package.json': ESM_PACKAGE,
        'modules/catalog/module.json': manifest('catalog', ['nowhere']),
        '.dependency-cruiser.js': `import { modulithRules } from ${JSON.stringify(HELPER)};\nexport default modulithRules();\n`,
      }),
    );
    const error = await configError(root);
    expect(error.name).toBe('ModuleModelError');
    expect(error.problems[0]).toMatchObject({ file: 'modules/catalog/module.json', message: "depends on unknown module 'nowhere'" });
  });
});

describe('tsconfig problems', () => {
  it('a tsconfig that is not JSON names the tsconfig', async () => {
    const error = await configError(writeProject(referenceApp({ 'tsconfig.json': '{ "compilerOptions": ' })));
    expect(error.problems[0].file).toBe('tsconfig.json');
    expect(error.problems[0].message).toMatch(/^is not valid JSON/);
  });

  it('an extends that does not exist names the config that extends it', async () => {
    const error = await configError(writeProject(referenceApp({ 'tsconfig.json': JSON.stringify({ extends: './config/missing.json' }) })));
    expect(error.problems[0]).toMatchObject({ file: 'tsconfig.json', message: "extends 'config/missing.json', which does not exist" });
  });

  it('a tsconfig TypeScript rejects names the tsconfig', async () => {
    const error = await configError(writeProject(referenceApp({ 'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'no-such-module-kind' } }) })));
    expect(error.problems[0].file).toBe('tsconfig.json');
    expect(error.problems[0].message).toMatch(/^is not a valid tsconfig/);
  });

  it('works without any tsconfig', async () => {
    const files = referenceApp();
    delete files['tsconfig.json'];
    const root = writeProject({ ...files, 'modules/orders/deep.ts': "import { InvoiceRepository } from '../billing/internal/invoice.js';\nexport const d = InvoiceRepository;\n" });
    expect(brief((await check(root)).violations)).toEqual([{ rule: 'deep-import', from: 'modules/orders/deep.ts', to: 'modules/billing/internal/invoice.ts' }]);
  });
});
