// @modulith-covers boundaries, cli
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CheckEngine, runCheck, type CheckResult } from '../../src/boundaries/index.js';
import { leaksPlugin } from '../../src/cli/index.js';
import { manifest, removeProjects, writeProject } from './support/project.js';

afterAll(removeProjects);

// Cold, warm-cache, incremental and watch (in-memory engine) runs must find exactly the same
// violations, lines and messages included, after every edit of a seeded random sequence: files
// added, deleted, renamed, edited inside and in public APIs, deep imports added and removed,
// syntax broken and repaired, module.json dependencies changed. A failure names the seed and the
// step, so it reproduces.

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const MODULES = ['billing', 'orders', 'catalog', 'users', 'shipping'];

/** A small modular monolith with the import shapes the check must follow. */
function project(withNodeModules: boolean): string {
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, experimentalDecorators: true, baseUrl: '.', paths: { '@app/*': ['modules/*'] } },
      include: ['src', 'modules', 'test'],
    }),
    'modules/kernel/module.json': manifest('kernel', [], { shared: true }),
    'modules/kernel/index.ts': "export * from './money.js';\nexport * from './ids.js';\n",
    'modules/kernel/money.ts': 'export interface Money { cents: number }\nexport const money = (cents: number): Money => ({ cents });\n',
    'modules/kernel/ids.ts': "export type Id = string;\nexport const newId = (): Id => 'x';\n",
    'src/main.ts': MODULES.map((m) => `import * as ${m} from '../modules/${m}/index.js';`).join('\n') + `\nexport const app = [${MODULES.join(', ')}];\n`,
    'test/app.e2e-spec.ts': "import { app } from '../src/main.js';\nexport const t = app;\n",
  };
  if (withNodeModules) files['node_modules/.keep'] = '';
  MODULES.forEach((m, i) => {
    const deps = MODULES.slice(Math.max(0, i - 2), i);
    files[`modules/${m}/module.json`] = manifest(m, deps);
    files[`modules/${m}/index.ts`] = `export * from './api/facade.js';\nexport type { ${cap(m)}Dto } from './api/dto.js';\n`;
    files[`modules/${m}/api/dto.ts`] = `import type { Money } from '../../kernel/index.js';\nexport interface ${cap(m)}Dto { id: string; total: Money }\n`;
    files[`modules/${m}/api/facade.ts`] =
      `import { ${m}Service } from '../internal/service.js';\nimport type { ${cap(m)}Dto } from './dto.js';\n` +
      `export class ${cap(m)}Facade { get(id: string): ${cap(m)}Dto { return ${m}Service(id); } }\n`;
    files[`modules/${m}/internal/service.ts`] =
      `import { money } from '../../kernel/index.js';\nimport { helper } from './helper';\n` +
      deps.map((d) => `import { ${cap(d)}Facade } from '@app/${d}/index.js';\n`).join('') +
      `export const ${m}Service = (id: string) => ({ id, total: money(helper()) });\n` +
      deps.map((d) => `export const use${cap(d)} = ${cap(d)}Facade;\n`).join('');
    files[`modules/${m}/internal/helper.ts`] = 'export const helper = (): number => 1;\n';
    files[`modules/${m}/internal/entity.ts`] = "import { Entity } from 'typeorm';\n@Entity()\nexport class Row { id!: string }\n";
    files[`modules/${m}/${m}.spec.ts`] = `import { helper } from './internal/helper';\njest.mock('./internal/helper');\nexport const s = helper;\n`;
  });
  // Violations to start from: an exposed entity, a deep import.
  files['modules/orders/index.ts'] += "export { Row } from './internal/entity.js';\n";
  files['modules/catalog/internal/helper.ts'] += "import { helper as billingHelper } from '../../billing/internal/helper';\nexport const deep = billingHelper;\n";
  return writeProject(files);
}

function cap(name: string): string {
  return name[0].toUpperCase() + name.slice(1);
}

function sourceFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) found.push(path);
    }
  };
  for (const dir of ['modules', 'src', 'test']) if (existsSync(join(root, dir))) walk(dir);
  return found.sort();
}

/** One random edit; returns what it did. */
function edit(root: string, next: () => number, step: number, deepImports: string[]): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const files = sourceFiles(root);
  const inModules = files.filter((f) => f.startsWith('modules/'));
  const module = pick(MODULES);
  const other = pick(MODULES.filter((m) => m !== module));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const append = (path: string, text: string): void => write(path, readFileSync(join(root, path), 'utf8') + text);
  switch (pick(['add', 'add', 'delete', 'internal', 'internal', 'index', 'deep', 'undeep', 'rename', 'break', 'repair', 'manifest', 'shadow'] as const)) {
    case 'add': {
      const path = `modules/${module}/internal/added${step}.ts`;
      write(path, `import { helper } from './helper';\nimport { money } from '../../kernel/index.js';\nimport { ${cap(other)}Facade } from '../../${other}/index.js';\nexport const added${step} = () => [helper(), money(1), ${cap(other)}Facade];\n`);
      return `add ${path}`;
    }
    case 'delete': {
      const path = pick(inModules.filter((f) => !f.endsWith('/index.ts')));
      rmSync(join(root, path));
      return `delete ${path}`;
    }
    case 'internal': {
      const path = pick(inModules.filter((f) => f.includes('/internal/')));
      append(path, `export function edited${step}(x: number): number { return x + ${step}; }\n`);
      return `edit ${path}`;
    }
    case 'index': {
      const path = `modules/${module}/index.ts`;
      const line = pick([`export const published${step} = ${step};\n`, "export { Row } from './internal/entity.js';\n", `export { helper } from '../${other}/internal/helper.js';\n`, `export * from '@app/${other}/index.js';\n`]);
      append(path, line);
      return `index ${path}: ${line.trim()}`;
    }
    case 'deep': {
      const path = pick(inModules.filter((f) => f.includes('/internal/')));
      const line = pick([`import { helper as deep${step} } from '../../${other}/internal/helper.js';\n`, `import type { Row as Deep${step} } from '@app/${other}/internal/entity.js';\n`, `const lazy${step} = () => import('../../${other}/internal/service.js');\n`]);
      append(path, line);
      deepImports.push(`${path}\n${line}`);
      return `deep import in ${path}: ${line.trim()}`;
    }
    case 'undeep': {
      const deep = deepImports.pop();
      if (!deep) return 'nothing to undo';
      const [path, line] = deep.split('\n');
      if (!existsSync(join(root, path))) return `${path} is gone`;
      write(path, readFileSync(join(root, path), 'utf8').replace(`${line}\n`, ''));
      return `remove deep import from ${path}`;
    }
    case 'rename': {
      const path = pick(inModules.filter((f) => !f.endsWith('/index.ts') && !f.endsWith('.spec.ts')));
      const target = path.replace(/([^/]+)\.ts$/, `renamed${step}-$1.ts`);
      renameSync(join(root, path), join(root, target));
      return `rename ${path} -> ${target}`;
    }
    case 'break': {
      const path = pick(inModules);
      append(path, pick(['\nexport const = ;\n', '\nimport { from "./nowhere";\n', '\nfunction broken( {\n', '\n@@@ ???\n']));
      return `break ${path}`;
    }
    case 'repair': {
      const path = pick(inModules);
      const text = readFileSync(join(root, path), 'utf8');
      const repaired = text.replace(/\nexport const = ;\n|\nimport \{ from "\.\/nowhere";\n|\nfunction broken\( \{\n|\n@@@ \?\?\?\n/g, '\n');
      write(path, repaired);
      return `repair ${path}`;
    }
    case 'manifest': {
      const path = `modules/${module}/module.json`;
      const current = JSON.parse(readFileSync(join(root, path), 'utf8')) as { dependsOn: string[] };
      const dependsOn = current.dependsOn.includes(other) ? current.dependsOn.filter((d) => d !== other) : [...current.dependsOn, other];
      write(path, manifest(module, dependsOn));
      return `${path}: dependsOn ${JSON.stringify(dependsOn)}`;
    }
    case 'shadow': {
      // `./lib` resolves to lib/index.ts, until lib.ts appears next to it (and back when it goes).
      const dir = `modules/${module}/internal`;
      if (!existsSync(join(root, dir, 'lib'))) {
        write(`${dir}/lib/index.ts`, "export const lib = 'folder';\n");
        append(`${dir}/helper.ts`.replace('helper.ts', existsSync(join(root, dir, 'helper.ts')) ? 'helper.ts' : 'service.ts'), `import { lib } from './lib';\nexport const viaLib${step} = lib;\n`);
        return `lib/ folder in ${dir}`;
      }
      if (existsSync(join(root, dir, 'lib.ts'))) {
        rmSync(join(root, dir, 'lib.ts'));
        return `lib.ts removed from ${dir}`;
      }
      write(`${dir}/lib.ts`, `import { helper } from '../../${other}/internal/helper';\nexport const lib = helper;\n`);
      return `lib.ts shadows lib/index.ts in ${dir}`;
    }
  }
}

type Outcome = { found: CheckResult['found']; exitCode: number } | { error: string };

async function outcome(run: () => Promise<CheckResult | undefined>): Promise<Outcome> {
  try {
    const result = await run();
    if (!result) return { error: 'no result' };
    return { found: result.found, exitCode: result.exitCode };
  } catch (error) {
    return { error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

describe('incremental checks find what a cold check finds', () => {
  // More seeds: INCREMENTAL_SEEDS=3,4,5 npm test -- --testPathPatterns incremental
  const seeds = process.env.INCREMENTAL_SEEDS ? process.env.INCREMENTAL_SEEDS.split(',').map(Number) : [1, 2];
  for (const [seed, withNodeModules] of seeds.map((s) => [s, s % 2 === 1] as const)) {
    it(`after each of 30 random edits (seed ${seed}, cache in ${withNodeModules ? 'node_modules/.cache' : '.modulith-cache'})`, async () => {
      const root = project(withNodeModules);
      const next = random(seed);
      const engine = new CheckEngine({ rootDir: root, baseline: false, cache: false, plugins: [leaksPlugin({ cache: false })] });
      const deepImports: string[] = [];
      const cold = (): Promise<Outcome> => outcome(() => runCheck({ rootDir: root, baseline: false, cache: false, plugins: [leaksPlugin({ cache: false })] }));
      const warm = (): Promise<Outcome> => outcome(() => runCheck({ rootDir: root, baseline: false, cache: true, plugins: [leaksPlugin({ cache: true })] }));
      let reused = 0;
      let partial = 0;
      const watched = (): Promise<Outcome> =>
        outcome(async () => {
          const run = await engine.check();
          if (run.error) throw run.error;
          reused += run.changed?.reused.length ?? 0;
          if (run.result && run.result.stats.extracted < run.result.stats.files) partial++;
          return run.result;
        });

      const first = await cold();
      expect({ warm: await warm(), watch: await watched() }).toEqual({ warm: first, watch: first });
      expect(first).toMatchObject({ found: expect.arrayContaining([expect.objectContaining({ rule: 'exposes-entity' }), expect.objectContaining({ rule: 'deep-import' })]) });
      expect(existsSync(join(root, withNodeModules ? 'node_modules/.cache/modulith/extraction.json' : '.modulith-cache/extraction.json'))).toBe(true);
      if (!withNodeModules) expect(readFileSync(join(root, '.modulith-cache/.gitignore'), 'utf8')).toContain('*');
      let incrementalRuns = 0;
      for (let step = 1; step <= 30; step++) {
        const did = edit(root, next, step, deepImports);
        const expected = await cold();
        const incremental = await warm();
        // the warm one again: now nothing changed since the previous run
        const again = await warm();
        const engineRun = await watched();
        expect({ seed, step, did, incremental, again, watch: engineRun }).toEqual({ seed, step, did, incremental: expected, again: expected, watch: expected });
        if ('found' in expected) incrementalRuns++;
      }
      expect(incrementalRuns).toBeGreaterThan(20);
      // and the shortcuts were taken: files re-read without dependency-cruiser, partial extractions
      expect(reused).toBeGreaterThan(0);
      expect(partial).toBeGreaterThan(20);
    }, 180_000);
  }
});
