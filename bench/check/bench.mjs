// npm run bench:check — plain dependency-cruiser vs `modulith check` (cold, warm, incremental, --watch)
// on two differently shaped generated monoliths, each run as the command a CI job or a developer
// would run, in a child process. Ratios are against plain dependency-cruiser and the cold check
// measured in the same run. Every incremental row edits a different file than the previous run (no
// row re-measures an edit the cache has already seen), and each shape ends by comparing the last
// incremental result with a check without any cache.
//
// `check` includes module contracts (each module's computed contract against its committed
// module.api.md, written once after generating the project, as a repository commits them); the
// `--no-contracts` rows and the "contracts' share" lines say what they cost.
//
// Environment: BENCH_RUNS (default 3), BENCH_SHAPES (e.g. "A" or "A,B"), BENCH_KEEP=1 keeps the
// generated projects.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLayeredMonolith, generateMonolith } from './generate.mjs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ONLY = (process.env.BENCH_SHAPES ?? 'A,B').split(',');
const DEPCRUISE = join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const MODULITH = join(REPO, 'bin/modulith.js');
// Every child reports its peak resident set size on exit.
const MAXRSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\n@@maxrss '+process.resourceUsage().maxRSS+'\\n'))`;

const SHAPES = [
  {
    id: 'A',
    title: (n) => `A: 40 modules x 50 files (${n} files): NodeNext \`.js\` imports of siblings and of declared dependencies' index.ts, one index re-exporting 7 files`,
    generate: (root) => generateMonolith(root, { modules: 40, files: 50, repo: REPO }),
    folders: ['modules', 'src'],
    // f23 is internal (no index reaches it); each run takes another module's
    internal: (i) => `modules/m${pad((10 + i) % 40)}/internal/f23.ts`,
    barrel: (i) => `modules/m${pad((10 + i) % 40)}/domain/f04.ts`,
    index: (i) => `modules/m${pad((20 + i) % 40)}/index.ts`,
    newImport: (i) => [`modules/m${pad((30 + i) % 40)}/internal/f27.ts`, `import { value1 as added${i} } from '../application/f01.js';\nexport const use${i} = added${i};\n`],
    newFile: (i) => [`modules/m${pad((5 + i) % 40)}/internal/added${i}.ts`, `import { value3 } from './f03.js';\nexport const added${i} = value3;\n`],
  },
  {
    id: 'B',
    title: (n) => `B: a shared kernel + 30 modules x 60 files (${n} files): Bundler resolution, extensionless imports, \`@modules/*\` path alias, nested barrels`,
    generate: (root) => generateLayeredMonolith(root, { modules: 30, files: 60, kernel: 40, repo: REPO }),
    folders: ['src'],
    internal: (i) => `src/modules/f${pad((10 + i) % 30)}/internal/s20.ts`,
    barrel: (i) => `src/modules/f${pad((10 + i) % 30)}/api/a02.ts`,
    index: (i) => `src/modules/f${pad((15 + i) % 30)}/index.ts`,
    newImport: (i) => [`src/modules/f${pad((20 + i) % 30)}/internal/s22.ts`, `import { d03Value as added${i} } from '../domain/d03';\nexport const use${i} = added${i};\n`],
    newFile: (i) => [`src/modules/f${pad((3 + i) % 30)}/internal/added${i}.ts`, `import { s01 } from './s01';\nexport const added${i} = s01;\n`],
  },
];

function pad(n) {
  return String(n).padStart(2, '0');
}

/** Runs a command RUNS times (before(i) first each time); median wall time, median peak RSS, last stdout. */
function timed(root, args, before = () => undefined) {
  const times = [];
  const rss = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    before(i);
    const start = process.hrtime.bigint();
    last = spawnSync(process.execPath, ['--import', MAXRSS, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    const peak = /@@maxrss (\d+)/.exec(last.stderr);
    if (peak) rss.push(Number(peak[1]));
    if (last.status !== 0 && last.status !== 1 && !(last.status > 1 && args[0] === DEPCRUISE)) {
      throw new Error(`${args.join(' ')} exited ${last.status}\n${last.stderr}`);
    }
  }
  return { ms: median(times), rssMb: rss.length ? median(rss) / 1024 : undefined, output: last.stdout };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * `modulith check --watch --format json` in a child: saves files one at a time and measures, per
 * save, the wall time from the write to the re-check's line (file-system event, debounce,
 * re-check, printing) and the re-check itself (its durationMs).
 */
async function watchLatency(root, shape) {
  const child = spawn(process.execPath, ['--import', MAXRSS, MODULITH, 'check', '--watch', '--format', 'json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t) => (stderr += t));
  const waiters = [];
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (text) => {
    buffer += text;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const event = JSON.parse(line);
      for (const waiter of [...waiters]) if (waiter.match(event)) waiters.splice(waiters.indexOf(waiter), 1) && waiter.resolve(event);
    }
  });
  const next = (match, ms = 20000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no watch event in ${ms} ms\n${stderr}`)), ms);
      waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  await next((e) => e.event === 'check');
  await sleep(2500); // the first check is followed by loading the tools a re-check may need
  const saves = { internal: [], index: [] };
  for (let i = 0; i < 2 * RUNS + 1; i++) {
    for (const [kind, file, text] of [
      ['internal', shape.internal(20 + i), `export function watched${i}(x: number): number { return x - ${i}; }\n`],
      ['index', shape.index(20 + i), `export const watchedIndex${i} = ${i};\n`],
    ]) {
      const start = process.hrtime.bigint();
      const seen = next((e) => e.event === 'check' && e.changed.includes(file));
      appendFileSync(join(root, file), text);
      const event = await seen;
      saves[kind].push({ wall: Number(process.hrtime.bigint() - start) / 1e6, check: event.durationMs });
      await sleep(150);
    }
  }
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  child.kill('SIGINT');
  const code = await exited;
  const peak = /@@maxrss (\d+)/.exec(stderr);
  const summary = (list) => ({ wall: median(list.map((s) => s.wall)), check: median(list.map((s) => s.check)), max: Math.max(...list.map((s) => s.wall)) });
  return { internal: summary(saves.internal), index: summary(saves.index), exitCode: code, rssMb: peak ? Number(peak[1]) / 1024 : undefined };
}

const fmt = (ms) => `${Math.round(ms).toLocaleString('en-US')} ms`;
const mb = (v) => (v === undefined ? '' : `${Math.round(v)} MB`);

console.log(`modulith check benchmark: Node ${process.version}, ${cpus().length} CPUs, median of ${RUNS} runs per row`);
for (const shape of SHAPES.filter((s) => ONLY.includes(s.id))) {
  const root = mkdtempSync(join(tmpdir(), `modulith-bench-${shape.id}-`));
  const { files } = shape.generate(root);
  const cacheDir = join(root, 'node_modules/.cache/modulith');
  const clearCache = () => rmSync(cacheDir, { recursive: true, force: true });
  const check = (extra = []) => [MODULITH, 'check', '--format', 'json', ...extra];
  const rows = [];
  const edit = (file, text) => appendFileSync(join(root, file), text);

  // Commit the contracts, as a repository does (`modulith contracts`), so check compares them.
  const contracts = spawnSync(process.execPath, [MODULITH, 'contracts'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (contracts.status !== 0) throw new Error(`modulith contracts exited ${contracts.status}\n${contracts.stderr}`);

  const plain = timed(root, [DEPCRUISE, ...shape.folders, '--config', 'plain.dependency-cruiser.cjs', '--validate', '--output-type', 'err']);
  rows.push(['plain dependency-cruiser, one deep-import rule', plain.ms, '1.00x plain', plain.rssMb]);
  const cold = timed(root, check(), clearCache);
  rows.push(['check, cold (no cache)', cold.ms, `${(cold.ms / plain.ms).toFixed(2)}x plain`, cold.rssMb]);
  const coldNoLeaks = timed(root, check(['--no-leaks']), clearCache);
  rows.push(['check --no-leaks, cold', coldNoLeaks.ms, `${(coldNoLeaks.ms / plain.ms).toFixed(2)}x plain`, coldNoLeaks.rssMb]);
  const coldNoContracts = timed(root, check(['--no-contracts']), clearCache);
  rows.push(['check --no-contracts, cold', coldNoContracts.ms, `${(coldNoContracts.ms / plain.ms).toFixed(2)}x plain`, coldNoContracts.rssMb]);
  // The difference of two rows measured apart: below zero it is run-to-run noise.
  const share = (withThem, without) =>
    withThem - without <= 0 ? 'none measurable (within run-to-run noise)' : `${fmt(withThem - without)} (${Math.round((100 * (withThem - without)) / withThem)}% of the row)`;
  rows.push(["  contracts' share of the cold check", Math.max(0, cold.ms - coldNoContracts.ms), share(cold.ms, coldNoContracts.ms), undefined]);
  timed(root, check()); // a warm cache, leaks included
  const rel = (r) => `${(r.ms / cold.ms).toFixed(2)}x cold`;
  const warm = timed(root, check());
  rows.push(['check, warm, nothing changed', warm.ms, rel(warm), warm.rssMb]);
  const internal = timed(root, check(), (i) => edit(shape.internal(i), `export function edited${i}(x: number): number { return x + ${i}; }\n`));
  rows.push(['check, one internal file changed (a function added)', internal.ms, rel(internal), internal.rssMb]);
  const imported = timed(root, check(), (i) => edit(...shape.newImport(i)));
  rows.push(['check, one internal file changed (an import added)', imported.ms, rel(imported), imported.rssMb]);
  const barrel = timed(root, check(), (i) => edit(shape.barrel(i), `export function exported${i}(x: number): number { return x * ${i}; }\n`));
  rows.push(['check, one file a public index re-exports changed', barrel.ms, rel(barrel), barrel.rssMb]);
  const index = timed(root, check(), (i) => edit(shape.index(i), `export const published${i} = ${i};\n`));
  rows.push(['check, one public index.ts changed', index.ms, rel(index), index.rssMb]);
  const added = timed(root, check(), (i) => {
    const [file, text] = shape.newFile(i);
    writeFileSync(join(root, file), text);
  });
  rows.push(['check, one file added', added.ms, rel(added), added.rssMb]);
  const internalNoLeaks = timed(root, check(['--no-leaks']), (i) => edit(shape.internal(10 + i), `export function again${i}(x: number): number { return x + ${i}; }\n`));
  rows.push(['check --no-leaks, one internal file changed', internalNoLeaks.ms, `${(internalNoLeaks.ms / coldNoLeaks.ms).toFixed(2)}x cold`, internalNoLeaks.rssMb]);
  const internalNoContracts = timed(root, check(['--no-contracts']), (i) => edit(shape.internal(30 + i), `export function other${i}(x: number): number { return x - ${i}; }\n`));
  rows.push(['check --no-contracts, one internal file changed', internalNoContracts.ms, `${(internalNoContracts.ms / coldNoContracts.ms).toFixed(2)}x cold`, internalNoContracts.rssMb]);
  rows.push(["  contracts' share of one internal file changed", Math.max(0, internal.ms - internalNoContracts.ms), share(internal.ms, internalNoContracts.ms), undefined]);
  spawnSync(process.execPath, [MODULITH, 'contracts', '--check'], { cwd: root }); // computes what the --no-contracts rows left stale
  const contractsWarm = timed(root, [MODULITH, 'contracts', '--check']);
  rows.push(['contracts --check, warm (what CI runs besides check)', contractsWarm.ms, rel(contractsWarm), contractsWarm.rssMb]);

  const uncached = spawnSync(process.execPath, [...check(['--no-cache'])], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const last = spawnSync(process.execPath, [...check()], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const identical = last.stdout === uncached.stdout;

  const watch = await watchLatency(root, shape);
  rows.push(['check --watch, save of an internal file: save -> printed', watch.internal.wall, `re-check ${fmt(watch.internal.check)}, worst ${fmt(watch.internal.max)}`, watch.rssMb]);
  rows.push(['check --watch, save of a public index.ts: save -> printed', watch.index.wall, `re-check ${fmt(watch.index.check)}, worst ${fmt(watch.index.max)}`, undefined]);

  const violations = JSON.parse(cold.output).violations.length;
  console.log(`\n${shape.title(files)}; ${violations} violations`);
  console.log(`  ${'run'.padEnd(60)} ${'time'.padStart(9)}   ${'ratio'.padEnd(36)} peak RSS`);
  for (const [what, ms, ratio, rss] of rows) console.log(`  ${what.padEnd(60)} ${fmt(ms).padStart(9)}   ${ratio.padEnd(36)} ${mb(rss)}`);
  console.log(`  incremental result identical to a check without cache: ${identical ? 'yes' : 'NO'}; --watch exit code on SIGINT: ${watch.exitCode}`);
  if (!identical) process.exitCode = 1;
  if (process.env.BENCH_KEEP === '1') console.log(`  (kept in ${root})`);
  else rmSync(root, { recursive: true, force: true });
}
console.log('\ntargets: cold <= 1.0x plain dependency-cruiser; one internal file changed <= 0.25x cold; --watch re-check <= 150 ms');
