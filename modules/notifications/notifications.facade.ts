/** An event for one account. `type` names it (e.g. media.job.completed); `data` is plain JSON. */
export interface AccountEvent {
  accountId: string;
  type: string;
  data: Record<string, unknown>;
}

export type DeliveryOutcome =
  | { status: 'delivered'; eventId: string; httpStatus: number }
  | { status: 'skipped'; eventId: string; reason: string }
  | { status: 'failed'; eventId: string; error: string };

/** Notifications' public contract and DI token. */
export abstract class NotificationsFacade {
  /**
   * Sends the event to the account's webhook. Never throws: a failed delivery is logged and
   * reported in the outcome, so the caller's own work is never undone by a receiver being down.
   */
  abstract publish(event: AccountEvent): Promise<DeliveryOutcome>;
}
