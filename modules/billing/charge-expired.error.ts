/**
 * Thrown by BillingFacade.charge when the charge arrived after its `notAfter`: nothing was
 * charged by this call. A stable `code` lets a caller behind a remote transport recognise it.
 */
export class ChargeExpiredError extends Error {
  static readonly code = 'billing.charge-expired';
  readonly code = ChargeExpiredError.code;

  constructor(
    readonly jobId: string,
    readonly notAfter: string,
  ) {
    super(`the charge of job ${jobId} arrived after its deadline (${notAfter}); nothing was charged`);
    this.name = 'ChargeExpiredError';
  }

  static is(error: unknown): error is ChargeExpiredError {
    return error instanceof ChargeExpiredError || (error as { code?: unknown } | null)?.code === ChargeExpiredError.code;
  }
}
