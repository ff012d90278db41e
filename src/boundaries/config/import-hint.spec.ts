import { describe, expect, it } from '@jest/globals';
import { importHint } from './import-hint.js';
import type { ProjectImports } from './project-imports.js';

// The import path a fix hint suggests must resolve in the project it is printed for.

const ROOT = '/repo';
const USERS = { dir: 'apps/api/src/app/users', entry: 'apps/api/src/app/users/index.ts' };
const FROM = 'apps/api/src/app/portfolio/portfolio.service.ts';
const CJS = { jsExtensions: false, baseUrlImports: false };
const ESM = { jsExtensions: true, baseUrlImports: false };

function imports(extra: Partial<ProjectImports>): ProjectImports {
  return { tsConfig: 'tsconfig.base.json', baseUrl: undefined, paths: [], declaredIn: { paths: undefined, baseUrl: undefined }, unusedAliases: [], ...extra };
}

describe('importHint', () => {
  it('takes the alias that maps to the module folder, the shortest of several', () => {
    const paths = [
      { alias: '@acme/api/*', targets: ['/repo/apps/api/src/app/*'] },
      { alias: '@acme/*', targets: ['/repo/apps/*'] },
    ];
    expect(importHint(USERS, FROM, ROOT, imports({ paths }), CJS)).toBe('@acme/api/users');
  });

  it('takes an alias whose target names the entry file (`libs/*/src/index.ts`)', () => {
    const lib = { dir: 'libs/users/src', entry: 'libs/users/src/index.ts' };
    const paths = [{ alias: '@acme/*', targets: ['/repo/libs/*/src/index.ts'] }];
    expect(importHint(lib, FROM, ROOT, imports({ paths }), CJS)).toBe('@acme/users');
  });

  it('takes an exact alias naming the folder or its entry', () => {
    expect(importHint(USERS, FROM, ROOT, imports({ paths: [{ alias: '@users', targets: ['/repo/apps/api/src/app/users'] }] }), CJS)).toBe('@users');
    expect(importHint(USERS, FROM, ROOT, imports({ paths: [{ alias: '@users', targets: ['/repo/apps/api/src/app/users/index.ts'] }] }), CJS)).toBe('@users');
  });

  it('without an alias, the path from baseUrl; outside baseUrl, a relative path', () => {
    expect(importHint(USERS, FROM, ROOT, imports({ baseUrl: '/repo/apps/api' }), { ...CJS, baseUrlImports: true })).toBe('src/app/users');
    expect(importHint(USERS, FROM, ROOT, imports({ baseUrl: '/repo/libs' }), { ...CJS, baseUrlImports: true })).toBe('../users');
  });

  it('no baseUrl path for a project that never imports through baseUrl (Node would not resolve it)', () => {
    expect(importHint(USERS, FROM, ROOT, imports({ baseUrl: '/repo/apps/api' }), CJS)).toBe('../users');
  });

  it('a relative path from the importing file, spelling out the entry in the `.js` style', () => {
    expect(importHint(USERS, FROM, ROOT, imports({}), CJS)).toBe('../users');
    expect(importHint(USERS, FROM, ROOT, imports({}), ESM)).toBe('../users/index.js');
    expect(importHint({ dir: 'src/users', entry: 'src/users/index.mts' }, 'src/main.ts', ROOT, undefined, ESM)).toBe('./users/index.mjs');
  });
});
