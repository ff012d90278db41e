import { printable } from './printable.js';
import type { Problem } from './problem.js';

/**
 * `"owners"` of a module.json: who reviews changes to the module, in CODEOWNERS owner syntax
 * (`modulith codeowners` writes them into the repository's CODEOWNERS file). Each owner becomes
 * one word of a CODEOWNERS line, so the rule is strict: whitespace, a line break or a `#` would
 * split the line, end it or start a comment, and forge or silence other rules of the file.
 */

/** `@user` or `@org/team` (GitHub names: letters, digits, `-`; `_` and `.` as GitLab and Gitea allow). */
const HANDLE = '@[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,38})(?:/[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,99}))?';
/** An email address as code hosts accept it for a user: a plain local part, a dotted domain. */
const EMAIL = '[A-Za-z0-9_%+-](?:[A-Za-z0-9._%+-]{0,63})@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))+';

/** The JSON-schema pattern (module.schema.json carries the same). */
export const OWNER_PATTERN = `^(?:${HANDLE}|${EMAIL})$`;
const OWNER = new RegExp(OWNER_PATTERN);
/** An owner longer than this is not one (an email address is at most 254 characters). */
export const OWNER_MAX_LENGTH = 254;
/** More owners than this on one module is not a review rule any more. */
export const OWNERS_MAX_ITEMS = 50;
export const OWNER_RULE = '@user, @org/team or an email address, one owner per item, no spaces';
const EXAMPLE = '"owners": ["@acme/billing-team", "@jane"]';

export function isOwner(value: string): boolean {
  return value.length <= OWNER_MAX_LENGTH && OWNER.test(value);
}

/** The owners of a parsed module.json, or the problems of its `"owners"` (each naming the file and the fix). */
export function parseOwners(value: unknown, file: string): { owners: string[]; problems: Problem[] } {
  const problems: Problem[] = [];
  if (value === undefined) return { owners: [], problems };
  if (!Array.isArray(value)) {
    const single = typeof value === 'string' && isOwner(value.trim()) ? `write "owners": [${JSON.stringify(value.trim())}]` : `write e.g. ${EXAMPLE}, or remove "owners"`;
    problems.push({ file, message: `"owners" must be an array of code owners (${OWNER_RULE}), not ${kindOf(value)}`, fix: single });
    return { owners: [], problems };
  }
  if (value.length > OWNERS_MAX_ITEMS) {
    problems.push({ file, message: `"owners" lists ${value.length} owners (at most ${OWNERS_MAX_ITEMS})`, fix: 'name a team (@org/team) instead of its members' });
    return { owners: [], problems };
  }
  const seen = new Map<string, string>();
  value.forEach((item: unknown, index) => {
    const where = `"owners"[${index}]`;
    if (typeof item !== 'string') {
      problems.push({ file, message: `${where} must be a string (${OWNER_RULE}), not ${kindOf(item)}`, fix: `write e.g. ${EXAMPLE}` });
      return;
    }
    const problem = ownerProblem(item, where, file);
    if (problem) {
      problems.push(problem);
      return;
    }
    // Code hosts compare owners without case: @Team and @team are one owner.
    const key = item.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ file, message: `"owners" lists '${item}' twice${first === item ? '' : ` ('${first}' and '${item}' are the same owner)`}`, fix: `remove the second '${item}'` });
      return;
    }
    seen.set(key, item);
  });
  return { owners: problems.length > 0 ? [] : (value as string[]), problems };
}

function ownerProblem(item: string, where: string, file: string): Problem | undefined {
  const shown = `'${quoted(item)}'`;
  if (item.trim() === '') return { file, message: `${where} is empty`, fix: `remove it, or write an owner (${OWNER_RULE})` };
  if (item.length > OWNER_MAX_LENGTH) {
    return { file, message: `${where} is ${item.length} characters long (an owner is at most ${OWNER_MAX_LENGTH})`, fix: `write the owner's handle or address, e.g. ${EXAMPLE}` };
  }
  if (/[\r\n\u2028\u2029]/.test(item)) {
    return { file, message: `${where} ${shown} contains a line break, which would end the CODEOWNERS line and start a rule of its own`, fix: `write one owner per item, e.g. ${EXAMPLE}` };
  }
  if (/\s/.test(item)) {
    const words = item.split(/\s+/).filter(Boolean);
    const fix = words.length > 1 && words.every(isOwner) ? `write one owner per item: ${JSON.stringify(words)}` : `remove the spaces; write e.g. ${EXAMPLE}`;
    return { file, message: `${where} ${shown} contains whitespace, which separates owners in CODEOWNERS`, fix };
  }
  if (item.includes('#')) {
    return { file, message: `${where} ${shown} contains '#', which starts a comment in CODEOWNERS (the rest of the line would be ignored)`, fix: `write the owner without '#', e.g. ${EXAMPLE}` };
  }
  if (isOwner(item)) return undefined;
  const handle = /^[A-Za-z0-9][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/.test(item) && isOwner(`@${item}`);
  return {
    file,
    message: `${where} ${shown} is not a code owner (${OWNER_RULE})`,
    fix: handle ? `write '@${item}'` : `write e.g. ${EXAMPLE}`,
  };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string '${quoted(value)}'`;
  return `${typeof value === 'object' ? 'an object' : `the ${typeof value} ${quoted(String(value))}`}`;
}

/** A value as printable() shows it, and every other non-ASCII character escaped too (U+2028, U+0085, bidi controls): a valid owner is ASCII. */
function quoted(value: string): string {
  return printable(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
