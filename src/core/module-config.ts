import { isOwner, OWNER_RULE } from './module-owners.js';
import { printable } from './printable.js';
import type { Problem } from './problem.js';

/**
 * `"config"` and `"externals"` of a module.json: what a module needs from outside its code. The
 * environment variables it reads (each parsed and validated at boot, secrets never printed) and
 * the outside accounts it depends on (who owns each, which variables hold its credentials, when
 * it must be renewed). The runtime (ModuleConfig, the boot check), `modulith check`
 * (undeclared-config), `modulith inventory` and `modulith extract` all read them from here.
 */

/** How a variable's text is parsed. */
export type ConfigType = 'string' | 'integer' | 'number' | 'boolean' | 'url' | 'list';
export const CONFIG_TYPES: readonly ConfigType[] = ['string', 'integer', 'number', 'boolean', 'url', 'list'];

/** One environment variable a module reads. */
export interface ConfigVariable {
  name: string;
  description: string;
  /** The process hosting the module refuses to start without it (default false). */
  required: boolean;
  /** Never printed, never written with its value (default false). */
  secret: boolean;
  type: ConfigType;
  /** Used when the variable is unset (as text, parsed like a value); never for a secret or a required one. */
  default?: string;
}

/** An outside account a module depends on (a model provider, a payment service, ...). */
export interface ExternalAccount {
  name: string;
  description?: string;
  /** Who answers for it (CODEOWNERS syntax, like module owners). */
  owner?: string;
  /** The module's variables that hold its credentials or settings (each declared in "config"). */
  variables: string[];
  /** When it must be renewed: YYYY-MM-DD. */
  renews?: string;
  /** Its console. */
  url?: string;
}

/** POSIX-style environment variable names, as shells and .env files write them. */
export const VARIABLE_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;
const CONFIG_KEYS = new Set(['description', 'required', 'secret', 'type', 'default']);
const EXTERNAL_KEYS = new Set(['name', 'description', 'owner', 'variables', 'renews', 'url']);
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_VARIABLES = 200;
const MAX_EXTERNALS = 50;

/** The variables of a module.json's "config", or the problems (each naming the file and the fix). */
export function parseConfig(value: unknown, file: string): { config: ConfigVariable[]; problems: Problem[] } {
  const problems: Problem[] = [];
  if (value === undefined) return { config: [], problems };
  const example = '"config": { "IMAGE_API_KEY": { "description": "key of the image provider", "secret": true, "required": true } }';
  if (!isRecord(value)) {
    problems.push({ file, message: `"config" must be an object of environment variables by name, not ${kindOf(value)}`, fix: `write e.g. ${example}` });
    return { config: [], problems };
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_VARIABLES) {
    problems.push({ file, message: `"config" declares ${entries.length} variables (at most ${MAX_VARIABLES})`, fix: 'split the module, or group settings into fewer variables' });
    return { config: [], problems };
  }
  const config: ConfigVariable[] = [];
  for (const [name, spec] of entries) {
    const where = `"config"."${printable(name)}"`;
    if (!VARIABLE_NAME.test(name)) {
      problems.push({ file, message: `${where}: not an environment variable name (capital letters, digits and _, not starting with a digit, at most 128 characters)`, fix: `rename it, e.g. "${suggestName(name)}"` });
      continue;
    }
    if (!isRecord(spec)) {
      problems.push({ file, message: `${where} must be an object, not ${kindOf(spec)}`, fix: `write "${name}": { "description": "what it sets" }` });
      continue;
    }
    const before = problems.length;
    for (const key of Object.keys(spec)) {
      if (!CONFIG_KEYS.has(key)) problems.push({ file, message: `${where}: unknown key "${printable(key)}"`, fix: `remove it (allowed: ${[...CONFIG_KEYS].join(', ')})` });
    }
    if (typeof spec.description !== 'string' || spec.description.trim() === '') {
      problems.push({ file, message: `${where} has no "description"`, fix: `say what it sets: "${name}": { "description": "..." } (inventories and the boot error show it)` });
    }
    for (const flag of ['required', 'secret'] as const) {
      if (spec[flag] !== undefined && typeof spec[flag] !== 'boolean') problems.push({ file, message: `${where}: "${flag}" must be true or false`, fix: `write "${flag}": true or remove it` });
    }
    const type = (spec.type ?? 'string') as ConfigType;
    if (!CONFIG_TYPES.includes(type)) problems.push({ file, message: `${where}: "type" must be one of ${CONFIG_TYPES.join(', ')}`, fix: 'write e.g. "type": "integer", or remove it (string)' });
    let fallback: string | undefined;
    if (spec.default !== undefined) {
      if (typeof spec.default !== 'string' && typeof spec.default !== 'number' && typeof spec.default !== 'boolean') {
        problems.push({ file, message: `${where}: "default" must be a string, number or boolean`, fix: 'write the value as it would appear in the environment, e.g. "default": "200"' });
      } else {
        fallback = String(spec.default);
        if (spec.secret === true) problems.push({ file, message: `${where} is a secret with a "default": the secret would be in the repository`, fix: 'remove the default; set the variable where the app runs' });
        if (spec.required === true) problems.push({ file, message: `${where} is required and has a "default", which would never be used`, fix: 'remove "required" (the default applies) or the default' });
        if (CONFIG_TYPES.includes(type)) {
          const parsed = parseConfigValue({ name, type }, fallback);
          if (!parsed.ok) problems.push({ file, message: `${where}: its "default" ${parsed.problem}`, fix: `write a ${type} default` });
        }
      }
    }
    if (problems.length > before) continue;
    config.push({
      name,
      description: (spec.description as string).trim(),
      required: spec.required === true,
      secret: spec.secret === true,
      type,
      ...(fallback !== undefined ? { default: fallback } : {}),
    });
  }
  return { config: config.sort((a, b) => a.name.localeCompare(b.name)), problems };
}

/** The outside accounts of a module.json's "externals", or the problems. Each variable must be declared in `config`. */
export function parseExternals(value: unknown, file: string, config: readonly ConfigVariable[]): { externals: ExternalAccount[]; problems: Problem[] } {
  const problems: Problem[] = [];
  if (value === undefined) return { externals: [], problems };
  const example = '"externals": [{ "name": "image-provider", "owner": "@acme/media", "variables": ["IMAGE_API_KEY"], "renews": "2027-06-30" }]';
  if (!Array.isArray(value)) {
    problems.push({ file, message: `"externals" must be an array of outside accounts, not ${kindOf(value)}`, fix: `write e.g. ${example}` });
    return { externals: [], problems };
  }
  if (value.length > MAX_EXTERNALS) {
    problems.push({ file, message: `"externals" lists ${value.length} accounts (at most ${MAX_EXTERNALS})`, fix: 'keep the accounts this module itself depends on' });
    return { externals: [], problems };
  }
  const declared = new Set(config.map((c) => c.name));
  const externals: ExternalAccount[] = [];
  const names = new Set<string>();
  value.forEach((entry, index) => {
    const where = `"externals"[${index}]`;
    if (!isRecord(entry)) {
      problems.push({ file, message: `${where} must be an object, not ${kindOf(entry)}`, fix: `write e.g. ${example}` });
      return;
    }
    const before = problems.length;
    for (const key of Object.keys(entry)) {
      if (!EXTERNAL_KEYS.has(key)) problems.push({ file, message: `${where}: unknown key "${printable(key)}"`, fix: `remove it (allowed: ${[...EXTERNAL_KEYS].join(', ')})` });
    }
    const name = entry.name;
    if (typeof name !== 'string' || !/^[\w .@/-]{1,100}$/.test(name)) {
      problems.push({ file, message: `${where}: "name" must be a short name (letters, digits, spaces, . _ - / @; at most 100 characters)`, fix: 'write e.g. "name": "image-provider"' });
    } else if (names.has(name)) {
      problems.push({ file, message: `${where}: "${name}" is listed twice`, fix: 'remove one' });
    } else names.add(name);
    if (entry.description !== undefined && typeof entry.description !== 'string') problems.push({ file, message: `${where}: "description" must be a string`, fix: 'write what the account is for' });
    if (entry.owner !== undefined && (typeof entry.owner !== 'string' || !isOwner(entry.owner))) {
      problems.push({ file, message: `${where}: "owner" must be one code owner (${OWNER_RULE})`, fix: 'write e.g. "owner": "@acme/media-team"' });
    }
    const variables = entry.variables ?? [];
    if (!Array.isArray(variables) || !variables.every((v) => typeof v === 'string')) {
      problems.push({ file, message: `${where}: "variables" must be an array of variable names`, fix: 'write e.g. "variables": ["IMAGE_API_KEY"]' });
    } else {
      for (const variable of variables as string[]) {
        if (!declared.has(variable)) problems.push({ file, message: `${where}: "variables" names ${printable(variable)}, which "config" does not declare`, fix: `declare "${printable(variable)}" in "config" (with "secret": true for a credential)` });
      }
    }
    if (entry.renews !== undefined && (typeof entry.renews !== 'string' || !isDate(entry.renews))) {
      problems.push({ file, message: `${where}: "renews" must be a date, YYYY-MM-DD (got ${typeof entry.renews === 'string' ? `'${printable(entry.renews)}'` : kindOf(entry.renews)})`, fix: 'write e.g. "renews": "2027-06-30"' });
    }
    if (entry.url !== undefined && (typeof entry.url !== 'string' || !isHttpUrl(entry.url))) {
      problems.push({ file, message: `${where}: "url" must be an http(s) URL`, fix: 'write the address of its console, e.g. "url": "https://console.example.com"' });
    }
    if (problems.length > before) return;
    externals.push({
      name: name as string,
      ...(typeof entry.description === 'string' ? { description: entry.description } : {}),
      ...(typeof entry.owner === 'string' ? { owner: entry.owner } : {}),
      variables: [...(variables as string[])],
      ...(typeof entry.renews === 'string' ? { renews: entry.renews } : {}),
      ...(typeof entry.url === 'string' ? { url: entry.url } : {}),
    });
  });
  return { externals, problems };
}

/**
 * A variable's text parsed by its type: `{ ok, value }` or `{ ok: false, problem }` (the problem
 * never repeats the text: it may be a secret).
 */
export function parseConfigValue(variable: Pick<ConfigVariable, 'name' | 'type'>, text: string): { ok: true; value: string | number | boolean | string[] } | { ok: false; problem: string } {
  const trimmed = text.trim();
  switch (variable.type) {
    case 'integer':
      return /^-?\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed)) ? { ok: true, value: Number(trimmed) } : { ok: false, problem: 'is not a whole number' };
    case 'number':
      return trimmed !== '' && Number.isFinite(Number(trimmed)) ? { ok: true, value: Number(trimmed) } : { ok: false, problem: 'is not a number' };
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(trimmed)) return { ok: true, value: true };
      if (/^(false|0|no|off)$/i.test(trimmed)) return { ok: true, value: false };
      return { ok: false, problem: 'is not true or false (true/false, 1/0, yes/no, on/off)' };
    case 'url':
      return isHttpUrl(trimmed) || (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) && canParseUrl(trimmed)) ? { ok: true, value: trimmed } : { ok: false, problem: 'is not a URL' };
    case 'list':
      return { ok: true, value: trimmed.split(',').map((item) => item.trim()).filter(Boolean) };
    default:
      return { ok: true, value: text };
  }
}

function isDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.getUTCFullYear() === Number(match[1]) && date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
}

function isHttpUrl(text: string): boolean {
  return /^https?:\/\//i.test(text) && canParseUrl(text);
}

function canParseUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function suggestName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_').replace(/^([0-9])/, '_$1').slice(0, 128) || 'MY_SETTING';
}
