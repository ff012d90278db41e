/**
 * Thrown by BillingFacade.charge when the balance cannot cover the charge. It carries a stable
 * `code` as well, so a caller behind a remote transport can recognise it without `instanceof`.
 */
export class InsufficientCreditsError extends Error {
  static readonly code = 'billing.insufficient-credits';
  readonly code = InsufficientCreditsError.code;

  constructor(
    readonly accountId: string,
    readonly required: number,
    readonly available: number,
  ) {
    super(`not enough credits: ${required} required, ${available} available`);
    this.name = 'InsufficientCreditsError';
  }

  static is(error: unknown): error is InsufficientCreditsError {
    return error instanceof InsufficientCreditsError || (error as { code?: unknown } | null)?.code === InsufficientCreditsError.code;
  }
}
