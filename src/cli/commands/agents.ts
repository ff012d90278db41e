import { AgentsMarkersError, planAgentsFiles, planRootAgentsSection, writeAgentsFiles, writeRootAgentsSection, type RootAgentsPlan } from '../../agents/index.js';
import { parseOptions } from '../args.js';
import { EXIT, type CliIo } from '../io.js';

/**
 * `modulith agents [--check]`: writes a short generated AGENTS.md in each module folder (its walls
 * and the commands that verify a change), with a checksummed header so a file edited by hand (or
 * written by hand) is never overwritten, only reported. `--check` writes nothing: exit 1 when one
 * is missing or out of date. It also keeps a section in the project root's AGENTS.md (between its
 * BEGIN/END markers, the rest of the file kept byte for byte); broken markers exit 2, writing nothing.
 */
export async function agentsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, { check: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  const check = values.check === true;
  let root: RootAgentsPlan;
  try {
    root = planRootAgentsSection(io.cwd);
  } catch (error) {
    if (!(error instanceof AgentsMarkersError)) throw error;
    io.stderr(`modulith agents: ${error.message}\n`);
    return EXIT.config;
  }
  const plans = planAgentsFiles(io.cwd);
  const out: string[] = [];
  const rootLine = (verb: string): string => `  ${verb} ${root.file}: the nest-modulith section ${root.status === 'missing' ? 'missing' : 'out of date'}`;
  const kept = plans.filter((p) => p.status === 'edited' || p.status === 'foreign');
  if (check) {
    const due = plans.filter((p) => p.status === 'missing' || p.status === 'stale');
    for (const p of due) out.push(`  ✖ ${p.file}: ${p.status === 'missing' ? 'missing' : 'out of date'}`);
    for (const p of kept) out.push(`  - ${p.file}: ${p.status === 'edited' ? 'edited by hand' : 'written by hand'}, not generated (left alone)`);
    if (root.status !== 'same') out.push(rootLine('✖'));
    out.unshift(
      due.length === 0 && root.status !== 'same'
        ? `modulith agents --check: the section in ${root.file} is missing or out of date (fix: run modulith agents and commit it)`
        : due.length === 0
        ? `modulith agents --check: ${plans.length - kept.length} AGENTS.md file${plans.length - kept.length === 1 ? '' : 's'} up to date`
        : `modulith agents --check: ${due.length} of ${plans.length} AGENTS.md files missing or out of date (fix: run modulith agents and commit them)`,
    );
    io.stdout(`${out.join('\n')}\n`);
    return due.length === 0 && root.status === 'same' ? EXIT.ok : EXIT.violations;
  }
  const written = writeAgentsFiles(io.cwd, plans);
  for (const p of written) out.push(`  wrote ${p.file}${p.status === 'stale' ? ' (updated)' : ''}`);
  if (writeRootAgentsSection(io.cwd, root)) out.push(`  wrote ${root.file}: the nest-modulith section${root.status === 'stale' ? ' (updated)' : ''}`);
  for (const p of kept) out.push(`  kept ${p.file}: ${p.status === 'edited' ? 'edited by hand since it was generated' : 'written by hand (no generated header)'}; delete it to regenerate`);
  out.unshift(`modulith agents: ${written.length} written, ${plans.filter((p) => p.status === 'same').length} up to date, ${kept.length} kept`);
  io.stdout(`${out.join('\n')}\n`);
  return EXIT.ok;
}
