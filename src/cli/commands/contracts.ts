import { join } from 'node:path';
import { defaultCacheDir, loadCheckConfig } from '../../boundaries/index.js';
import { loadApplicationModules } from '../../core/index.js';
import { contractStatuses, contractViolations, describeChanges, loadContracts, writeContractFiles, CONTRACT_FIX } from '../../contracts/index.js';
import { parseOptions } from '../args.js';
import { contractModules, CONTRACTS_CACHE_FILE } from '../contracts-plugin.js';
import { EXIT, type CliIo } from '../io.js';
import { createProgress } from '../progress.js';

/**
 * `modulith contracts [--check] [--tsconfig FILE] [--no-cache]`: computes each module's contract
 * from its code and writes it to `<module dir>/module.api.md` (only files whose content changes,
 * each named with what changed). `--check` writes nothing: exit 1 when any file differs from the
 * code (listing the changes), 0 when all match; 2 on a configuration error.
 */
export async function contractsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(
    args,
    { check: { type: 'boolean' }, tsconfig: { type: 'string' }, 'no-cache': { type: 'boolean' } },
    { min: 0, max: 0, names: '' },
  );
  const check = values.check === true;
  const name = check ? 'modulith contracts --check' : 'modulith contracts';
  const progress = createProgress(io.stderr, io.stderrIsTTY, name);
  let statuses;
  try {
    progress.update('loading configuration');
    const config = await loadCheckConfig(io.cwd, { tsConfig: values.tsconfig as string | undefined, onWarning: (m) => io.stderr(`${name}: warning: ${m}\n`) });
    const model = loadApplicationModules(io.cwd, { roots: config.options.roots, allowEmpty: true, allowCycles: true });
    const eligible = contractModules(model);
    if (eligible.length === 0) {
      progress.done();
      io.stdout(`${name}: no modules with a TypeScript index.ts, so no contract to ${check ? 'compare' : 'write'}\n`);
      return EXIT.ok;
    }
    const loaded = await loadContracts(model, {
      ...(config.options.tsConfig ? { tsConfig: config.options.tsConfig } : {}),
      ...(values['no-cache'] === true ? {} : { cacheFile: join(defaultCacheDir(io.cwd), CONTRACTS_CACHE_FILE) }),
      ...(eligible.length < model.modules.length ? { modules: eligible } : {}),
      onCompute: (modules) => progress.update(`computing ${modules.length} contract${modules.length === 1 ? '' : 's'}`),
    });
    statuses = contractStatuses(io.cwd, model, loaded.contracts);
  } finally {
    progress.done();
  }

  const differing = statuses.filter((s) => s.status !== 'same');
  const lines: string[] = [];
  if (check) {
    if (differing.length === 0) {
      io.stdout(`${name}: ${statuses.length} module contract${statuses.length === 1 ? '' : 's'} match the code\n`);
      return EXIT.ok;
    }
    lines.push(`${name}: ${differing.length} of ${statuses.length} module contracts differ from the code`);
    const byFile = new Map(contractViolations(differing).map((v) => [v.from, v]));
    for (const s of differing) {
      const violation = byFile.get(s.file);
      lines.push(`  ${s.status === 'missing' ? '⚠' : '✖'} ${s.file}: ${s.status === 'missing' ? 'missing' : (violation?.message ?? s.status)}`);
      for (const line of s.diff) lines.push(`      ${line}`);
    }
    lines.push(`fix: ${CONTRACT_FIX}`);
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT.violations;
  }

  writeContractFiles(io.cwd, differing);
  for (const s of differing) {
    const what = s.status === 'missing' ? 'new' : s.status === 'unreadable' ? 'replaced a file that was not a contract' : s.changes.length ? describeChanges(s.changes) : 'rewritten (the contract is the same)';
    lines.push(`  wrote ${s.file}: ${what}`);
  }
  const same = statuses.length - differing.length;
  const breaking = differing.some((s) => s.changes.some((c) => c.kind === 'breaking'));
  lines.unshift(
    `${name}: ${differing.length === 0 ? `${statuses.length} module contract${statuses.length === 1 ? '' : 's'} up to date` : `${differing.length} written, ${same} unchanged`}`,
  );
  if (breaking) lines.push('  breaking changes: the owners of the modules that depend on these should review them');
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/**
 * Writes the module.api.md of `modules` (default: every module with a TypeScript index.ts), for
 * `modulith init` (the adopted modules) and `modulith new` (the new one). Returns the files written.
 */
export async function writeModuleContracts(rootDir: string, options: { modules?: readonly string[]; tsConfig?: string } = {}): Promise<string[]> {
  const config = await loadCheckConfig(rootDir, { ...(options.tsConfig ? { tsConfig: options.tsConfig } : {}) });
  const model = loadApplicationModules(rootDir, { roots: config.options.roots, allowEmpty: true, allowCycles: true });
  const eligible = contractModules(model).filter((name) => !options.modules || options.modules.includes(name));
  if (eligible.length === 0) return [];
  const loaded = await loadContracts(model, {
    ...(config.options.tsConfig ? { tsConfig: config.options.tsConfig } : {}),
    cacheFile: join(defaultCacheDir(rootDir), CONTRACTS_CACHE_FILE),
    modules: eligible,
  });
  return writeContractFiles(rootDir, contractStatuses(rootDir, model, loaded.contracts));
}
