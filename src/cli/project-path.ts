import { lstatSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { printable } from '../core/index.js';

/**
 * Output folders of the commands that write files (extract --out, broker-config --out): inside the
 * project, never through a symbolic link. `fail` builds the command's own error from a message.
 */
type Failure = (message: string) => Error;

/** A path inside the project, project-relative with `/`; refused when it leaves the project (`..`, absolute elsewhere, a symbolic link out). */
export function projectPath(rootDir: string, path: string, option: string, example: string, fail: Failure): string {
  if (path.trim() === '' || /[\0\r\n]/.test(path)) throw fail(`${option} must name a folder`);
  const root = resolve(rootDir);
  const absolute = resolve(root, path);
  const inside = relative(root, absolute);
  if (inside === '') throw fail(`${option} '${printable(path)}' is the project root: name a folder inside it, e.g. ${example}`);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw fail(`${option} '${printable(path)}' is outside the project (${root}): write the files inside it and copy them where they belong`);
  }
  refuseLinks(root, inside.split(sep).join('/'), fail);
  return inside.split(sep).join('/');
}

/** Refuses a target whose path (below the project root) passes through or ends at a symbolic link, or resolves outside the project. */
export function refuseLinks(rootDir: string, path: string, fail: Failure): void {
  const root = realpathSync(resolve(rootDir));
  let current = resolve(rootDir);
  for (const part of path.split('/')) {
    current = resolve(current, part);
    let stat;
    try {
      stat = lstatSync(current);
    } catch {
      return; // does not exist yet: nothing below it can be a link
    }
    if (stat.isSymbolicLink()) throw fail(`refusing to write through the symbolic link ${relative(rootDir, current).split(sep).join('/')}`);
    const real = relative(root, realpathSync(current));
    if (real.startsWith('..') || isAbsolute(real)) throw fail(`${printable(path)} resolves outside the project`);
  }
}

