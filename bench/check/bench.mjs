// npm run bench:check — plain dependency-cruiser vs `modulith check` (cold, warm, one file changed)
// on a synthetic monolith, each as the command a CI job or a developer would run.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMonolith } from './generate.mjs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const MODULES = Number(process.env.BENCH_MODULES ?? 40);
const FILES = Number(process.env.BENCH_FILES ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const root = mkdtempSync(join(tmpdir(), 'modulith-bench-'));
const { files } = generateMonolith(root, { modules: MODULES, files: FILES, repo: REPO });
const cacheDir = join(root, 'node_modules/.cache/modulith');

function timed(args, before = () => undefined) {
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    before(i);
    const start = process.hrtime.bigint();
    last = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (last.status !== 0 && last.status !== 1 && !(last.status > 1 && args[0].includes('dependency-cruise'))) {
      throw new Error(`${args.join(' ')} exited ${last.status}\n${last.stderr}`);
    }
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], output: last.stdout };
}

const depcruise = join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const modulith = join(REPO, 'bin/modulith.js');
const clearCache = () => rmSync(cacheDir, { recursive: true, force: true });
let edits = 0;
const editOneFile = () => appendFileSync(join(root, 'modules/m20/domain/f04.ts'), `// edit ${++edits}\n`);

const rows = [];
const plain = timed([depcruise, 'modules', 'src', '--config', 'plain.dependency-cruiser.cjs', '--validate', '--output-type', 'err']);
rows.push(['plain dependency-cruiser, 1 deep-import rule', plain.ms]);
for (const [label, extra] of [['', []], [' --no-leaks', ['--no-leaks']]]) {
  const cold = timed([modulith, 'check', '--format', 'json', ...extra], clearCache);
  timed([modulith, 'check', '--format', 'json', ...extra]); // prime the cache
  const warm = timed([modulith, 'check', '--format', 'json', ...extra]);
  const changed = timed([modulith, 'check', '--format', 'json', ...extra], editOneFile);
  if (cold.output !== warm.output || JSON.parse(changed.output).violations.length !== JSON.parse(cold.output).violations.length) {
    throw new Error('cached and uncached results differ');
  }
  rows.push([`modulith check${label}, cold`, cold.ms, cold.ms / plain.ms, 'x plain dependency-cruiser']);
  rows.push([`modulith check${label}, warm, nothing changed`, warm.ms, warm.ms / cold.ms, 'x cold']);
  rows.push([`modulith check${label}, warm, one file changed`, changed.ms, changed.ms / cold.ms, 'x cold']);
  if (!label) rows.violations = JSON.parse(cold.output).violations.length;
}

console.log(`modulith check benchmark: ${MODULES} modules x ${FILES} files (${files} source files), median of ${RUNS} runs per row, Node ${process.version}, ${join(root)}`);
for (const [what, ms, ratio, of] of rows) {
  console.log(`  ${what.padEnd(52)} ${ms.toFixed(0).padStart(6)} ms${ratio === undefined ? '' : `   ${ratio.toFixed(2)}${of}`}`);
}
console.log(`  (violations found: ${rows.violations}; targets: cold <= 1.25x plain dependency-cruiser, one file changed <= 0.35x cold)`);
rmSync(root, { recursive: true, force: true });
