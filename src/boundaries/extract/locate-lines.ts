/**
 * dependency-cruiser reports no positions, so each specifier is located in the text: the first
 * line where it appears as a quoted string. Good enough for annotations; never used as a key.
 */
export function lineOf(text: string, specifier: string): number | undefined {
  let best = -1;
  for (const quote of ["'", '"', '`']) {
    const at = text.indexOf(`${quote}${specifier}${quote}`);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  if (best < 0) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < best; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
