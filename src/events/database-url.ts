import type { DataSourceOptions } from 'typeorm';

/** The default database of an app built with nest-modulith: an embedded SQLite file. */
export const DEFAULT_DATABASE_URL = 'sqlite:data/modulith.sqlite';

/**
 * TypeORM connection options from a DATABASE_URL: `sqlite:PATH` (better-sqlite3, WAL on) or
 * `postgres://...`. The same parsing serves apps and the `modulith events` command, so both
 * always open the same database.
 */
export function dataSourceOptionsFromUrl(url: string, schema?: string): DataSourceOptions {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path) throw new Error(`DATABASE_URL '${url}' names no file: write e.g. sqlite:data/modulith.sqlite or sqlite::memory:`);
    return { type: 'better-sqlite3', database: path, enableWAL: path !== ':memory:' };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { type: 'postgres', url, ...(schema ? { schema } : {}) };
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got '${redactDatabaseUrl(url)}')`);
}

/** A DATABASE_URL fit to print: the password (everything between the user and the last '@') replaced by ***. */
export function redactDatabaseUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (!scheme) return url;
  const rest = url.slice(scheme[0].length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return url;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  return colon < 0 ? url : `${scheme[0]}${userinfo.slice(0, colon)}:***@${rest.slice(at + 1)}`;
}

/** A message about a database with the URL's password removed wherever it appears (raw or decoded), and the URL itself redacted. */
export function scrubDatabaseSecrets(text: string, url: string): string {
  let out = text.split(url).join(redactDatabaseUrl(url));
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (!scheme) return out;
  const rest = url.slice(scheme[0].length);
  const at = rest.lastIndexOf('@');
  const colon = at < 0 ? -1 : rest.slice(0, at).indexOf(':');
  if (colon < 0) return out;
  const raw = rest.slice(colon + 1, at);
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // keep the raw spelling
  }
  for (const secret of [raw, decoded]) if (secret.length >= 2) out = out.split(secret).join('***');
  return out;
}
