import { isAbsolute, relative, sep } from 'node:path';
import { errorCode, unreadable } from '../core/index.js';

/** Set to 1 to have an unexpected error print its stack trace (for a bug report). */
export const DEBUG_ENV = 'MODULITH_DEBUG';

const FILE_SYSTEM_CODES = new Set(['EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ENOENT', 'ELOOP', 'ENAMETOOLONG', 'EMFILE', 'ENFILE', 'EIO', 'EROFS', 'ENOSPC', 'EDQUOT', 'EEXIST', 'ENOTEMPTY', 'EBUSY', 'ETXTBSY']);

/**
 * What a command prints for an error none of its own handlers expected, never a stack trace
 * (unless MODULITH_DEBUG=1). A file system error names its file (project-relative when inside
 * the project) with the reason in words and the fix: the project or its disk is at fault, not
 * us. Anything else is a bug: one line of what happened and a request to report it.
 */
export function unexpectedErrorMessage(command: string, error: unknown, cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const debug = env[DEBUG_ENV] === '1' || env[DEBUG_ENV] === 'true';
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}\n` : '';
  const code = errorCode(error);
  const path = (error as { path?: unknown } | null)?.path;
  if (code && FILE_SYSTEM_CODES.has(code) && typeof path === 'string') {
    const file = projectRelative(cwd, path);
    const problem = fileSystemProblem(file, code, error);
    return `modulith ${command}: ${problem.file}: ${problem.message}\n    fix: ${problem.fix}\n${stack}`;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return (
    `modulith ${command}: internal error: ${firstLine(message)}\n` +
    `  This is a bug in nest-modulith, not in your project: please report it with the command you ran and this message` +
    `${debug ? '.' : ` (run again with ${DEBUG_ENV}=1 to include the stack trace).`}\n${stack}`
  );
}

function fileSystemProblem(file: string, code: string, error: unknown): { file: string; message: string; fix: string } {
  switch (code) {
    case 'EROFS':
      return { file, message: 'cannot be written: the file system is read-only', fix: 'run the command where the project can be written' };
    case 'ENOSPC':
    case 'EDQUOT':
      return { file, message: 'cannot be written: no space left on the device (or quota exceeded)', fix: 'free some disk space and run the command again' };
    case 'EEXIST':
    case 'ENOTEMPTY':
      return { file, message: 'already exists', fix: `move ${file} out of the way and run the command again` };
    case 'EBUSY':
    case 'ETXTBSY':
      return { file, message: 'is busy (in use by another process)', fix: 'close what uses it and run the command again' };
    case 'EACCES':
    case 'EPERM':
      return { file, message: 'permission denied', fix: `give this user access to ${file} (read, or write when the command writes it), or run the command as its owner` };
    default:
      return unreadable(file, error);
  }
}

function projectRelative(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0];
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}
