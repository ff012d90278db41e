// @modulith-covers cli
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeProjects, writeProject } from '../boundaries/support/project.js';

afterAll(removeProjects);

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(REPO, 'bin/modulith.js');
const DEPCRUISE = join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const built = existsSync(join(REPO, 'dist/src/cli/main.js'));
if (!built) console.warn('skipping the end-to-end CLI tests: dist/ is missing (run `npm run build`)');
const e2e = built ? it : it.skip;

/** A plain Nest-style app (CommonJS, no module.json yet) with nest-modulith installed as a link to this repository. */
function nestApp(packageJson: Record<string, unknown>): string {
  const root = writeProject({
    'package.json': JSON.stringify(packageJson),
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2021', experimentalDecorators: true } }),
    'src/users/users.service.ts': 'export class UsersService {}\n',
    'src/users/users.module.ts': "import { UsersService } from './users.service';\nexport class UsersModule { s = UsersService; }\n",
    'src/orders/orders.module.ts': "import { UsersService } from '../users/users.service';\nexport class OrdersModule { s = UsersService; }\n",
    'src/app.module.ts': "import { UsersModule } from './users';\nimport { OrdersModule } from './orders';\nexport class AppModule { m = [UsersModule, OrdersModule]; }\n",
    'src/main.ts': "import { AppModule } from './app.module';\nnew AppModule();\n",
  });
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(REPO, join(root, 'node_modules/nest-modulith'), 'dir');
  return root;
}

function run(cwd: string, script: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bin/modulith.js in a user project', () => {
  e2e('CommonJS app: init, then check exits 0, and plain depcruise --validate enforces the generated rules', () => {
    const root = nestApp({ name: 'shop', version: '1.0.0' });
    const init = run(root, BIN, ['init', '--modules', 'src']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('wrote .dependency-cruiser.js');

    const check = run(root, BIN, ['check', '--format', 'json']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ violations: [], known: 1, stale: [] });

    const depcruise = run(root, DEPCRUISE, ['src', '--validate']);
    expect(depcruise.stdout).toContain('error deep-import: src/orders/orders.module.ts → src/users/users.service.ts');
    expect(depcruise.code).toBe(1);
  });

  e2e('exit 2 naming the file when .dependency-cruiser.js cannot load', () => {
    const root = nestApp({ name: 'shop', version: '1.0.0', type: 'module' });
    expect(run(root, BIN, ['init', '--modules', 'src']).code).toBe(0);
    appendFileSync(join(root, '.dependency-cruiser.js'), '\nthis is not javascript\n');
    const check = run(root, BIN, ['check']);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('.dependency-cruiser.js: cannot be loaded');
  });
});
