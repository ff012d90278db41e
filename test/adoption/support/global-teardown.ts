import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Jest globalTeardown of the `adoption` project: removes this run's tarball (see tarball.ts). */
export default function globalTeardown(): void {
  const runId = process.env.MODULITH_ADOPTION_RUN;
  if (runId) rmSync(join(tmpdir(), `modulith-adoption-pack-${runId}`), { recursive: true, force: true });
}
