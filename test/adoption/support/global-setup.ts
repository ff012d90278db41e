import { randomBytes } from 'node:crypto';

/**
 * Jest globalSetup of the `adoption` project: names this run (MODULITH_ADOPTION_RUN, see
 * tarball.ts), so every spec file of it shares one `npm pack` of the repository. Packing itself
 * happens in the first test that needs it, where a failure is that test's failure, not a broken
 * run. (Jest loads this file outside the ESM test runtime: node: imports only.)
 */
export default function globalSetup(): void {
  process.env.MODULITH_ADOPTION_RUN ??= `${Date.now()}-${randomBytes(4).toString('hex')}`;
}
