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

// A differently shaped monolith, closer to a grown NestJS codebase: a shared kernel every module
// uses, feature modules whose index.ts re-exports nested barrels (api/index.ts, domain/index.ts),
// siblings importing each other through their folder's barrel, other modules reached through a
// tsconfig `paths` alias (`@modules/<name>`), extensionless imports (moduleResolution Bundler),
// type-only imports, a TypeORM entity, and a handful of violations (deep imports through the alias,
// an undeclared dependency, a public API re-exporting another module's internals, an exposed entity).
export function generateLayeredMonolith(rootDir, { modules = 30, files = 60, kernel = 40, repo }) {
  const write = (path, text) => {
    mkdirSync(dirname(join(rootDir, path)), { recursive: true });
    writeFileSync(join(rootDir, path), text);
  };
  write('package.json', JSON.stringify({ name: 'bench-layered', private: true, modulith: { roots: ['src/modules'] } }, null, 2));
  write(
    'tsconfig.json',
    JSON.stringify(
      {
        compilerOptions: {
          module: 'ESNext',
          moduleResolution: 'Bundler',
          target: 'ES2022',
          strict: true,
          experimentalDecorators: true,
          baseUrl: '.',
          paths: { '@modules/*': ['src/modules/*'], '@kernel': ['src/modules/kernel/index.ts'] },
        },
        include: ['src'],
      },
      null,
      2,
    ),
  );
  mkdirSync(join(rootDir, 'node_modules'), { recursive: true });
  symlinkSync(repo, join(rootDir, 'node_modules/nest-modulith'), 'dir');
  write('.dependency-cruiser.js', "const { modulithRules } = require('nest-modulith/depcruise');\nmodule.exports = modulithRules();\n");
  let count = 0;
  const file = (path, text) => {
    write(path, text);
    count++;
  };

  // The shared kernel: value objects, a barrel.
  write('src/modules/kernel/module.json', JSON.stringify({ name: 'kernel', shared: true, dependsOn: [] }));
  const kernelFile = (k) => `src/modules/kernel/${k % 2 ? 'values' : 'errors'}/k${String(k).padStart(2, '0')}.ts`;
  for (let k = 0; k < kernel; k++) {
    const previous = k > 1 ? `import type { K${k - 2} } from './k${String(k - 2).padStart(2, '0')}';\n` : '';
    file(kernelFile(k), `${previous}export interface K${k} { readonly id: string; readonly n${k}: number }\nexport const k${k} = (id: string): K${k} => ({ id, n${k}: ${k} });\n`);
  }
  file('src/modules/kernel/index.ts', Array.from({ length: kernel }, (_, k) => `export * from './${kernelFile(k).slice('src/modules/kernel/'.length).replace(/\.ts$/, '')}';`).join('\n') + '\n');

  const name = (i) => `f${String(i).padStart(2, '0')}`;
  const apiCount = 6;
  const domainCount = Math.floor((files - apiCount - 3) / 2);
  for (let i = 0; i < modules; i++) {
    const dir = `src/modules/${name(i)}`;
    const deps = [i - 1, i - 3, i - 7].filter((d) => d >= 0).map(name);
    write(`${dir}/module.json`, JSON.stringify({ name: name(i), dependsOn: deps }));
    // domain: entities-ish classes and services, siblings through the domain barrel
    const domain = (j) => `d${String(j).padStart(2, '0')}`;
    for (let j = 0; j < domainCount; j++) {
      const lines = [];
      lines.push(`import { k${j % kernel}, type K${j % kernel} } from '@kernel';`);
      if (j > 0) lines.push(`import { ${domain(j - 1)}Value } from './index';`);
      if (j > 2) lines.push(`import type { ${domain(j - 3)}Shape } from './${domain(j - 3)}';`);
      if (j === 0 && i % 5 === 2) lines.push("import { Entity, Column } from 'typeorm';");
      lines.push(`export interface ${domain(j)}Shape { kernel: K${j % kernel}; label: string }`);
      lines.push(`export const ${domain(j)}Value = (label: string): ${domain(j)}Shape => ({ kernel: k${j % kernel}(label), label });`);
      if (j === 0 && i % 5 === 2) lines.push(`@Entity()\nexport class ${name(i).toUpperCase()}Row { @Column() id!: string }`);
      lines.push(...Array.from({ length: 15 }, (_, l) => `export function ${domain(j)}_${l}(x: number): number { return x + ${l}; }`));
      file(`${dir}/domain/${domain(j)}.ts`, `${lines.join('\n')}\n`);
    }
    file(`${dir}/domain/index.ts`, Array.from({ length: domainCount }, (_, j) => `export * from './${domain(j)}';`).join('\n') + '\n');
    // internal: services using the domain barrel, other modules' public APIs through the alias
    const internal = (j) => `s${String(j).padStart(2, '0')}`;
    const internalCount = files - apiCount - domainCount - 3;
    for (let j = 0; j < internalCount; j++) {
      const lines = [];
      lines.push(`import { ${domain(j % domainCount)}Value } from '../domain';`);
      if (j > 0) lines.push(`import { ${internal(j - 1)} } from './${internal(j - 1)}';`);
      if (deps.length && j % 4 === 0) lines.push(`import { a00 as dep${j} } from '@modules/${deps[j % deps.length]}';`);
      if (deps.length && j % 6 === 1) lines.push(`import type { a01Dto as Dep${j} } from '@modules/${deps[0]}';`);
      // violations: a deep import through the alias, an undeclared dependency
      if (j === 5 && i % 7 === 3 && deps.length) lines.push(`import { s01 as deep${j} } from '@modules/${deps[0]}/internal/s01';`);
      if (j === 9 && i === 11) lines.push(`import { a00 as undeclared } from '@modules/${name(25)}';`);
      lines.push(`export const ${internal(j)} = (label: string) => ${domain(j % domainCount)}Value(label);`);
      lines.push(...Array.from({ length: 15 }, (_, l) => `export function ${internal(j)}_${l}(x: number): number { return x * ${l + 1}; }`));
      file(`${dir}/internal/${internal(j)}.ts`, `${lines.join('\n')}\n`);
    }
    // api: DTOs and a facade, behind their own barrel
    for (let a = 0; a < apiCount; a++) {
      const lines = [`import { ${internal(a)} } from '../internal/${internal(a)}';`, `import type { ${domain(a)}Shape } from '../domain';`];
      lines.push(`export interface a${String(a).padStart(2, '0')}Dto { id: string; shape?: ${domain(a)}Shape }`);
      lines.push(`export const a${String(a).padStart(2, '0')} = (id: string): a${String(a).padStart(2, '0')}Dto => ({ id: String(${internal(a)}(id).label) });`);
      file(`${dir}/api/a${String(a).padStart(2, '0')}.ts`, `${lines.join('\n')}\n`);
    }
    file(`${dir}/api/index.ts`, Array.from({ length: apiCount }, (_, a) => `export * from './a${String(a).padStart(2, '0')}';`).join('\n') + '\n');
    const index = ["export * from './api';"];
    // violations: a public API that re-exports another module's internals, one that exposes an entity
    if (i % 9 === 4 && deps.length) index.push(`export { s02 } from '../${deps[0]}/internal/s02';`);
    if (i % 5 === 2) index.push(`export { ${name(i).toUpperCase()}Row } from './domain/d00';`);
    file(`${dir}/index.ts`, `${index.join('\n')}\n`);
  }
  file('src/main.ts', `${Array.from({ length: modules }, (_, i) => `import { a00 as m${i} } from '@modules/${name(i)}';`).join('\n')}\nexport const all = [${Array.from({ length: modules }, (_, i) => `m${i}`).join(', ')}];\n`);

  write(
    'plain.dependency-cruiser.cjs',
    `module.exports = ${JSON.stringify(
      {
        forbidden: [
          {
            name: 'no-deep-import',
            severity: 'error',
            from: { path: '^src/modules/([^/]+)/' },
            to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
          },
        ],
        options: { tsPreCompilationDeps: true, tsConfig: { fileName: 'tsconfig.json' }, doNotFollow: { path: 'node_modules' } },
      },
      null,
      2,
    )};\n`,
  );
  return { modules: modules + 1, files: count };
}
