import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DeploymentFile } from './deployment-files.js';
import { ownership } from '../core/index.js';

export interface WrittenFile {
  file: string;
  status: 'created' | 'updated' | 'unchanged';
}

/** Some target files belong to the user (no generated header, or edited since): nothing was written. */
export class DeploymentWriteRefused extends Error {
  constructor(
    readonly refused: Array<{ file: string; reason: string }>,
    command = 'extract',
  ) {
    super(
      `modulith ${command}: refusing to overwrite ${refused.map((r) => `${r.file} (${r.reason})`).join(', ')}; ` +
        `move your changes elsewhere and delete the file, or pass --out DIR${command === 'extract' ? ' (or --no-write)' : ''}`,
    );
    this.name = 'DeploymentWriteRefused';
  }
}

/**
 * Writes the deployment files under `rootDir`, all or nothing: a file that exists is rewritten
 * only when it is our untouched output (see generated-header); otherwise nothing is written and
 * DeploymentWriteRefused names every such file.
 */
export function writeDeploymentFiles(rootDir: string, files: readonly DeploymentFile[], command: 'extract' | 'broker-config' = 'extract'): WrittenFile[] {
  const plan = files.map((f) => {
    const abs = resolve(rootDir, f.path);
    const existing = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    return { ...f, abs, existing, owner: existing === undefined ? undefined : ownership(existing, ['extract', 'broker-config']) };
  });
  const refused = plan
    .filter((p) => p.existing !== undefined && p.existing !== p.text && p.owner !== 'generated')
    .map((p) => ({ file: p.path, reason: p.owner === 'edited' ? 'edited since it was generated' : `not written by modulith ${command}` }));
  if (refused.length > 0) throw new DeploymentWriteRefused(refused, command);
  return plan.map((p) => {
    if (p.existing === p.text) return { file: p.path, status: 'unchanged' as const };
    mkdirSync(dirname(p.abs), { recursive: true });
    // Secrets (a process's nkey seed) are readable by their owner only.
    writeFileSync(p.abs, p.text, p.mode !== undefined ? { mode: p.mode } : undefined);
    if (p.mode !== undefined) chmodSync(p.abs, p.mode);
    return { file: p.path, status: p.existing === undefined ? ('created' as const) : ('updated' as const) };
  });
}
