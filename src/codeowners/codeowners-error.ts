/** Why `modulith codeowners` cannot write or check the file (exit 2): what is wrong and the fix. */
export class CodeownersError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'CodeownersError';
  }
}
