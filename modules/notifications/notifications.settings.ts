/** What notifications needs from configuration; the app shell provides it under this token. */
export abstract class NotificationsSettings {
  /**
   * Non-public hosts, addresses and CIDRs webhooks may be delivered to (WEBHOOK_ALLOWED_HOSTS);
   * every other delivery must connect to a public address (see OutboundAddressPolicy in the kernel).
   */
  abstract readonly webhookAllowedHosts: readonly string[];
}
