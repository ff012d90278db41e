/** Bad input for `modulith affected` / `modulith test` (a hostile --files entry, an unknown module, no test runner): exit 2. */
export class AffectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AffectedError';
  }
}
