/**
 * A value from a file, an argument or the network as it appears inside a message: escaped as in a
 * JSON string (no control characters, newlines or quotes that could forge output) and cut to 80
 * characters.
 */
export function printable(value: string): string {
  const text = String(value);
  const shown = text.length > 80 ? `${text.slice(0, 80)}...` : text;
  return JSON.stringify(shown).slice(1, -1);
}
