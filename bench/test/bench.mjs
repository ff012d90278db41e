// npm run bench:test — change-aware testing on this repository: for an internal change in one
// module (a comment appended to a private file of media, so its contract does not move), the wall
// time of `modulith test --affected` (selection plus the selected tests, as a developer runs it)
// against the full `npm test`, both measured in this run, and the share of test files each ran.
//
// The change is named with --files, so uncommitted work elsewhere in the tree does not widen the
// selection; the file is restored afterwards. Needs the services `npm test` needs (PostgreSQL,
// NATS, ...) and a build (npm run build). Environment: BENCH_FILE (default modules/media/png.ts),
// BENCH_FULL=0 skips the full run (then only the affected run and its plan are printed).
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const FILE = process.env.BENCH_FILE ?? 'modules/media/png.ts';
const MODULITH = join(REPO, 'bin/modulith.js');

function run(command, args) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, seconds: Number(process.hrtime.bigint() - started) / 1e9, output }));
  });
}

function testsRun(output) {
  const suites = /Test Suites:\s+(?:(\d+) failed, )?(?:(\d+) skipped, )?(\d+) passed, (\d+) total/.exec(output);
  const tests = /Tests:\s+.*?(\d+) total/.exec(output);
  return { suites: suites ? Number(suites[4]) : NaN, failed: suites?.[1] ? Number(suites[1]) : 0, tests: tests ? Number(tests[1]) : NaN };
}

const original = readFileSync(join(REPO, FILE), 'utf8');
const plan = JSON.parse(spawnSync(process.execPath, [MODULITH, 'test', '--affected', '--files', FILE, '--dry-run', '--format', 'json'], { cwd: REPO, encoding: 'utf8' }).stdout);
console.log(`change: a comment appended to ${FILE} (internals of ${plan.modules.map((m) => m.name).join(', ')})`);
console.log(`selected: ${plan.files.length} test files (${plan.modules.map((m) => `${m.name}: ${m.reason}`).join('; ')}); ${plan.skipped.length} skipped`);

let affected;
try {
  appendFileSync(join(REPO, FILE), '\n// bench:test — an internal edit\n');
  affected = await run(process.execPath, [MODULITH, 'test', '--affected', '--files', FILE]);
} finally {
  writeFileSync(join(REPO, FILE), original);
}
const a = testsRun(affected.output);
console.log(`modulith test --affected: ${affected.seconds.toFixed(1)} s, exit ${affected.code}, ${a.suites} suites, ${a.tests} tests`);
if (affected.code !== 0) console.log(affected.output.slice(-3000));

if (process.env.BENCH_FULL !== '0') {
  const full = await run('npm', ['test']);
  const f = testsRun(full.output);
  console.log(`npm test (everything):    ${full.seconds.toFixed(1)} s, exit ${full.code}, ${f.suites} suites, ${f.tests} tests`);
  console.log(`ratio: ${(affected.seconds / full.seconds).toFixed(3)}x the time (${(full.seconds / affected.seconds).toFixed(1)}x faster), ${((100 * a.suites) / f.suites).toFixed(1)}% of the suites`);
}
