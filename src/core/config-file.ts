import { closeSync, fstatSync, lstatSync, openSync, readlinkSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Problem } from './problem.js';

/** The largest configuration file (module.json, package.json, tsconfig, ...) read by default: anything bigger is not one. */
const CONFIG_FILE_MAX_BYTES = 8 * 1024 * 1024;

export interface ConfigFileOptions {
  /** Default CONFIG_FILE_MAX_BYTES. */
  maxBytes?: number;
  /** What the file should be, for the fix of a directory or other non-file in its place, e.g. `a JSON file like { "name": "billing" }`. */
  expected?: string;
  /**
   * A UTF-8 byte order mark: `strip` (default; as TypeScript and npm do) or `reject`, for a file
   * other tools read too and choke on (package.json: dependency-cruiser's resolver).
   */
  bom?: 'strip' | 'reject';
}

/** The outcome of reading a configuration file: its text, nothing there, or what is wrong with it (file, problem and fix). */
export type ConfigFileRead = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'problem'; problem: Problem };

/**
 * What is at a configuration file's path, without following a final symbolic link blindly:
 * `missing` when nothing is there (a broken or looping symbolic link is not "missing": it is a
 * problem naming the link and its target), `file` for a regular file (through links), else the
 * problem. Never throws.
 */
function inspectConfigFile(absFile: string, file: string, options: ConfigFileOptions = {}): { kind: 'file'; stats: Stats } | { kind: 'missing' } | { kind: 'problem'; problem: Problem } {
  let link: Stats | undefined;
  try {
    link = lstatSync(absFile);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'problem', problem: unreadable(file, error) };
  }
  let stats: Stats = link;
  if (link.isSymbolicLink()) {
    const target = readLink(absFile);
    const shown = target === undefined ? '' : ` to '${target}'${target === resolve(dirname(absFile), target) ? '' : ` (${resolve(dirname(absFile), target)})`}`;
    try {
      stats = statSync(absFile);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        return {
          kind: 'problem',
          problem: { file, message: `is a broken symbolic link${shown}, which does not exist`, fix: `point the link at an existing file, or replace ${file} with the file itself` },
        };
      }
      if (code === 'ELOOP') {
        return {
          kind: 'problem',
          problem: { file, message: `is a symbolic link that loops${shown}: it never reaches a file`, fix: `replace ${file} with the file itself` },
        };
      }
      return { kind: 'problem', problem: unreadable(file, error) };
    }
  }
  const expected = options.expected ?? 'a file';
  if (stats.isDirectory()) {
    return { kind: 'problem', problem: { file, message: 'is a directory, not a file', fix: `remove the directory ${file}/ and write ${expected} in its place` } };
  }
  if (!stats.isFile()) {
    return { kind: 'problem', problem: { file, message: `is not a regular file (${fileType(stats)})`, fix: `replace it with ${expected}` } };
  }
  const maxBytes = options.maxBytes ?? CONFIG_FILE_MAX_BYTES;
  if (stats.size > maxBytes) {
    return { kind: 'problem', problem: tooBig(file, stats.size, maxBytes) };
  }
  return { kind: 'file', stats };
}

/**
 * Reads a configuration file as UTF-8 text, answering every way it can be wrong with a problem
 * that names the file and the fix instead of throwing: a directory, a broken or looping symbolic
 * link, a FIFO or device (never read: it could block forever), a file larger than `maxBytes`, no
 * read permission, UTF-16 or invalid UTF-8. A UTF-8 byte order mark is dropped, as npm and
 * TypeScript do.
 */
export function readConfigFile(absFile: string, file: string, options: ConfigFileOptions = {}): ConfigFileRead {
  const found = inspectConfigFile(absFile, file, options);
  if (found.kind !== 'file') return found;
  const maxBytes = options.maxBytes ?? CONFIG_FILE_MAX_BYTES;
  let bytes: Buffer;
  try {
    bytes = readBounded(absFile, maxBytes);
  } catch (error) {
    if (error instanceof TooBig) return { kind: 'problem', problem: tooBig(file, undefined, maxBytes) };
    return { kind: 'problem', problem: unreadable(file, error) };
  }
  if (options.bom === 'reject' && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return {
      kind: 'problem',
      problem: { file, message: 'starts with a byte order mark (BOM), which other tools reading it (dependency-cruiser, TypeScript module resolution) cannot parse', fix: 'save it as UTF-8 without a byte order mark' },
    };
  }
  return decodeConfigText(bytes, file);
}

/** UTF-8 text of a configuration file's bytes (BOM dropped), or the problem: UTF-16/32, invalid UTF-8. */
function decodeConfigText(bytes: Buffer, file: string): ConfigFileRead {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { kind: 'problem', problem: { file, message: 'is UTF-16 encoded (it starts with a UTF-16 byte order mark)', fix: 'save it as UTF-8' } };
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  const text = body.toString('utf8');
  if (text.includes('\uFFFD')) {
    const offset = firstInvalidUtf8(body);
    if (offset !== undefined) {
      const line = body.subarray(0, offset).toString('utf8').split('\n').length;
      return {
        kind: 'problem',
        problem: { file, message: `is not valid UTF-8 (byte ${offset + start} on line ${line} is not part of a UTF-8 character)`, fix: 'save it as UTF-8' },
      };
    }
  }
  return { kind: 'text', text };
}

/** The problem of an error thrown by a file system call on a configuration file: names the file, the reason in words and the fix. */
export function unreadable(file: string, error: unknown): Problem {
  const code = errorCode(error);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return { file, message: 'cannot be read: permission denied', fix: `give this user read access to ${file} (and search access to its folders), e.g. chmod a+r ${file}` };
    case 'EISDIR':
      return { file, message: 'is a directory, not a file', fix: `remove the directory ${file}/ and write the file in its place` };
    case 'ELOOP':
      return { file, message: 'is a symbolic link that loops: it never reaches a file', fix: `replace ${file} with the file itself` };
    case 'ENOENT':
      return { file, message: 'does not exist', fix: `create ${file}, or correct the path that names it` };
    case 'ENOTDIR':
      return { file, message: 'does not exist (a folder on its path is a file)', fix: `correct the path ${file}` };
    case 'ENAMETOOLONG':
      return { file, message: 'has a path longer than the file system allows', fix: 'use a shorter path' };
    case 'EMFILE':
    case 'ENFILE':
      return { file, message: 'cannot be opened: too many open files', fix: 'close other programs or raise the open-file limit (ulimit -n), then retry' };
    case 'EIO':
      return { file, message: 'cannot be read: input/output error', fix: 'check the disk or the network file system holding it' };
    default: {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return { file, message: `cannot be read (${reason})`, fix: `check that ${file} is a readable file` };
    }
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

class TooBig extends Error {}

/** Reads at most maxBytes (a file may grow, or report size 0 like /proc files): more is TooBig. */
function readBounded(absFile: string, maxBytes: number): Buffer {
  const fd = openSync(absFile, 'r');
  try {
    // The path may have changed since it was inspected: what was opened must be a regular file.
    if (!fstatSync(fd).isFile()) throw new Error('it is no longer a regular file');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) throw new TooBig();
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** `size` undefined: found too big while reading (its size is unknown). */
function tooBig(file: string, size: number | undefined, maxBytes: number): Problem {
  return {
    file,
    message: `is ${size === undefined ? 'larger than' : `${formatBytes(size)}, larger than`} the ${formatBytes(maxBytes)} limit for this file`,
    fix: `check that ${file} is the file you mean; a configuration file is a few kilobytes`,
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} bytes`;
}

function fileType(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a file';
}

function readLink(absFile: string): string | undefined {
  try {
    return readlinkSync(absFile);
  } catch {
    return undefined;
  }
}

/** Offset of the first byte that does not belong to a valid UTF-8 sequence, or undefined when all do. */
function firstInvalidUtf8(bytes: Buffer): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return undefined;
}
