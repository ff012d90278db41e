// Writes a synthetic modular monolith: MODULES modules x FILES files, with the import mix of a real
// NestJS codebase (siblings, declared dependencies' public APIs, type-only imports, builtins, a spec
// per module) and a few violations (deep imports, one undeclared dependency), so the check has work.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function generateMonolith(rootDir, { modules = 40, files = 50, repo }) {
  const write = (path, text) => {
    mkdirSync(dirname(join(rootDir, path)), { recursive: true });
    writeFileSync(join(rootDir, path), text);
  };
  write('package.json', JSON.stringify({ name: 'bench-monolith', private: true, type: 'module' }, null, 2));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true }, include: ['src', 'modules'] }, null, 2));
  mkdirSync(join(rootDir, 'node_modules'), { recursive: true });
  symlinkSync(repo, join(rootDir, 'node_modules/nest-modulith'), 'dir');
  write('.dependency-cruiser.js', "import { modulithRules } from 'nest-modulith/depcruise';\nexport default modulithRules();\n");

  const name = (i) => `m${String(i).padStart(2, '0')}`;
  const folders = ['domain', 'application', 'infrastructure', 'internal'];
  const fileOf = (j) => (j === 0 ? 'index.ts' : `${folders[j % folders.length]}/f${String(j).padStart(2, '0')}.ts`);
  for (let i = 0; i < modules; i++) {
    const deps = [i - 1, i - 2, i - 5].filter((d) => d >= 0).map(name);
    write(`modules/${name(i)}/module.json`, JSON.stringify({ name: name(i), dependsOn: deps }));
    for (let j = 0; j < files; j++) {
      const here = fileOf(j);
      const up = here.includes('/') ? '../' : './';
      const lines = [];
      if (j === 0) {
        for (let k = 1; k < Math.min(files, 8); k++) lines.push(`export * from './${fileOf(k).replace(/\.ts$/, '.js')}';`);
      } else {
        for (const k of [j - 1, j - 2, j - 7].filter((k) => k > 0)) {
          lines.push(`import { value${k} } from '${up}${fileOf(k).replace(/\.ts$/, '.js')}';`);
        }
        if (j % 3 === 0 && deps.length) lines.push(`import type { Value1 as Dep${j} } from '${up}../${deps[j % deps.length]}/index.js';`);
        if (j % 5 === 0 && deps.length) lines.push(`import { value1 as dep${j} } from '${up}../${deps[0]}/index.js';`);
        if (j % 11 === 0) lines.push("import { createHash } from 'node:crypto';");
        // a few violations, as in any real codebase that adopts the check
        if (j === 13 && i % 8 === 3 && deps.length) lines.push(`import { value2 } from '${up}../${deps[0]}/${fileOf(2).replace(/\.ts$/, '.js')}';`);
        if (j === 17 && i === 7) lines.push(`import { value1 as undeclared } from '${up}../${name(30)}/index.js';`);
      }
      lines.push(`export type Value${j} = { id: string; n: number };`);
      lines.push(`export const value${j} = (n: number): Value${j} => ({ id: '${name(i)}-${j}', n });`);
      lines.push(...Array.from({ length: 20 }, (_, l) => `export function helper${j}_${l}(x: number): number { return x * ${l + 1}; }`));
      write(`modules/${name(i)}/${here}`, `${lines.join('\n')}\n`);
    }
    write(`modules/${name(i)}/${name(i)}.spec.ts`, `import { value1 } from './index.js';\nimport { value3 } from './${fileOf(3).replace(/\.ts$/, '.js')}';\nit('works', () => expect([value1(1), value3(3)]).toHaveLength(2));\n`);
  }
  write('src/main.ts', `${Array.from({ length: modules }, (_, i) => `import { value1 as v${i} } from '../modules/${name(i)}/index.js';`).join('\n')}\nexport const all = [${Array.from({ length: modules }, (_, i) => `v${i}`).join(', ')}];\n`);

  // The hand-written rule a team would start with in plain dependency-cruiser.
  write(
    'plain.dependency-cruiser.cjs',
    `module.exports = ${JSON.stringify(
      {
        forbidden: [
          {
            name: 'no-deep-import',
            severity: 'error',
            from: { path: '^modules/([^/]+)/' },
            to: { path: '^modules/[^/]+/', pathNot: ['^modules/$1/', '^modules/[^/]+/index\\.ts$'] },
          },
        ],
        options: { tsPreCompilationDeps: true, tsConfig: { fileName: 'tsconfig.json' }, doNotFollow: { path: 'node_modules' } },
      },
      null,
      2,
    )};\n`,
  );
  return { modules, files: modules * (files + 1) + 1 };
}
