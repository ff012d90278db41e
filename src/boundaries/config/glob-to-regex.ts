/**
 * Turns a tsconfig-style include/exclude pattern (project-relative) into a dependency-cruiser path
 * regex. `dist` matches the folder and everything in it; `**` any depth; `*` and `?` one segment.
 */
export function globToRegex(pattern: string): string {
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  let out = '';
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i];
    if (c === '*' && clean[i + 1] === '*') {
      out += clean[i + 2] === '/' ? '(.+/)?' : '.*';
      i += clean[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return `^${out}(/|$)`;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
