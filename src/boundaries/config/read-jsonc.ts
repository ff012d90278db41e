import { readConfigFile } from '../../core/index.js';
import { CheckConfigError } from './check-config-error.js';

/**
 * Reads a JSON-with-comments file (tsconfig.json style: comments and trailing commas allowed).
 * Kept tiny and dependency-free so the warm path of the check never loads TypeScript.
 */
export function readJsonc(absFile: string, displayName: string): unknown {
  const read = readConfigFile(absFile, displayName, { expected: 'a JSON file' });
  if (read.kind === 'missing') throw new CheckConfigError([{ file: displayName, message: 'does not exist', fix: 'create it, or correct the path that names it' }]);
  if (read.kind === 'problem') throw new CheckConfigError([read.problem]);
  const text = read.text;
  try {
    return JSON.parse(stripJsonComments(text));
  } catch (error) {
    throw new CheckConfigError([{ file: displayName, message: `is not valid JSON (${(error as Error).message})`, fix: 'repair the JSON syntax' }]);
  }
}

/** Removes // and /* comments outside strings, and trailing commas before } or ]. */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      out += text.slice(start, ++i);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}
