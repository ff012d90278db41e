import { CodeownersError, planCodeowners, writeCodeowners, type CodeownersPlan } from '../../codeowners/index.js';
import { parseOptions } from '../args.js';
import { EXIT, type CliIo } from '../io.js';

/**
 * `modulith codeowners [--out FILE] [--check]`: review routing. Writes the generated section of
 * the repository's CODEOWNERS file (default: the existing one in .github/, the root or docs/;
 * else .github/CODEOWNERS when .github/ exists, else CODEOWNERS) from the modules' `owners`;
 * `--check` only compares. Exit 0 written or up to date, 1 out of date (--check), 2 bad
 * configuration or a file it cannot use.
 */
export async function codeownersCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, { out: { type: 'string' }, check: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  const check = values.check === true;
  let plan: CodeownersPlan;
  try {
    plan = planCodeowners({ rootDir: io.cwd, ...(values.out !== undefined ? { out: values.out as string } : {}) });
    if (!check) writeCodeowners(plan);
  } catch (error) {
    if (!(error instanceof CodeownersError)) throw error;
    io.stderr(`modulith codeowners: ${error.message}\n    fix: ${error.fix}\n`);
    return EXIT.config;
  }

  const rules = plan.owned.reduce((n, m) => n + 1 + (m.contract ? 1 : 0), 0);
  const summary = `${plan.owned.length} module${plan.owned.length === 1 ? '' : 's'} with owners, ${rules} rule${rules === 1 ? '' : 's'}`;
  const out: string[] = [];
  if (!plan.inRepository) out.push(`note: no git repository found at or above the project: paths are anchored at the project root`);
  if (plan.owned.length === 0 && !plan.hasSection) {
    out.push(`nothing to write: no module.json has "owners" (add e.g. "owners": ["@acme/billing-team"]), so ${plan.shown} is left ${plan.current === undefined ? 'unwritten' : 'as it is'}`);
  } else if (plan.upToDate) {
    out.push(`${plan.shown} is up to date (${summary})`);
  } else if (check) {
    out.push(`${plan.shown} is out of date: ${plan.current === undefined ? 'it does not exist' : plan.hasSection ? "its nest-modulith section differs from the modules' owners" : 'it has no nest-modulith section'}`);
    for (const line of plan.removed) out.push(`  - ${line}`);
    for (const line of plan.added) out.push(`  + ${line}`);
    out.push(`fix: run modulith codeowners and commit ${plan.shown}`);
  } else {
    out.push(`wrote ${plan.shown} (${summary})`);
  }
  if (plan.unowned.length > 0) {
    out.push(`no owners, so no line: ${plan.unowned.join(', ')} (their folders and contracts keep whatever the rest of ${plan.shown} says; add "owners" to their module.json)`);
  }
  io.stdout(`${out.join('\n')}\n`);
  return check && !plan.upToDate ? EXIT.violations : EXIT.ok;
}
