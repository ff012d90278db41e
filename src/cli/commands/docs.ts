import { applyDocsPlans, DEFAULT_DOCS_DIR, outdatedDocs, planDocs } from '../../docs/index.js';
import { parseOptions, UsageError } from '../args.js';
import { collectForCli } from '../collect-docs.js';
import { EXIT, type CliIo } from '../io.js';
import { projectPath } from '../project-path.js';

/**
 * `modulith docs [--out DIR] [--check] [--tsconfig FILE] [--no-cache]`: writes a canvas per module
 * (`<name>.md`), an index (README.md) and the interactive page (index.html) to DIR (default
 * docs/modules), each with a generated-file header: files written or edited by hand are kept,
 * canvases of modules that no longer exist removed. `--check` writes nothing: exit 1 when a file
 * is missing, out of date or left over.
 */
export async function docsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(
    args,
    { out: { type: 'string' }, check: { type: 'boolean' }, tsconfig: { type: 'string' }, 'no-cache': { type: 'boolean' } },
    { min: 0, max: 0, names: '' },
  );
  const out = outDir(io.cwd, values.out as string | undefined);
  const check = values.check === true;
  const name = check ? 'modulith docs --check' : 'modulith docs';
  const model = await collectForCli(io, name, { tsConfig: values.tsconfig as string | undefined, cache: values['no-cache'] !== true });
  const plans = planDocs(io.cwd, out, model);
  const due = outdatedDocs(plans);
  const kept = plans.filter((p) => p.status === 'edited' || p.status === 'foreign');
  const what = { missing: 'missing', stale: 'out of date', obsolete: 'left over from a module that no longer exists' } as Record<string, string>;
  const lines: string[] = [];
  if (check) {
    lines.push(
      due.length === 0
        ? `${name}: ${plans.length - kept.length} file${plans.length - kept.length === 1 ? '' : 's'} in ${out} up to date`
        : `${name}: ${due.length} of ${plans.length} files in ${out} missing or out of date (fix: run modulith docs and commit them)`,
    );
    for (const p of due) lines.push(`  ✖ ${out}/${p.file}: ${what[p.status]}`);
  } else {
    applyDocsPlans(io.cwd, out, plans);
    lines.push(`${name}: ${due.length} written or removed, ${plans.filter((p) => p.status === 'same').length} up to date, ${kept.length} kept (${out})`);
    for (const p of due) lines.push(`  ${p.status === 'obsolete' ? 'removed' : 'wrote'} ${out}/${p.file}${p.status === 'stale' ? ' (updated)' : ''}`);
  }
  for (const p of kept) lines.push(`  - ${out}/${p.file}: ${p.status === 'edited' ? 'edited by hand since it was generated' : 'written by hand (no generated header)'}, left alone`);
  io.stdout(`${lines.join('\n')}\n`);
  return check && due.length > 0 ? EXIT.violations : EXIT.ok;
}

/** --out, project-relative with `/`: inside the project, never through a symbolic link (the docs belong to it). */
function outDir(rootDir: string, out: string | undefined): string {
  if (out === undefined) return DEFAULT_DOCS_DIR;
  return projectPath(rootDir, out, '--out', DEFAULT_DOCS_DIR, (message) => new UsageError(message));
}
