/**
 * What accounts needs from configuration. The app shell provides it (reading the environment in
 * one place); the module only declares the shape and the DI token.
 */
export abstract class AccountsSettings {
  /** Credits granted to every new account (STARTING_CREDITS). */
  abstract readonly startingCredits: number;
  /**
   * Non-public hosts, addresses and CIDRs a webhookUrl may point to (WEBHOOK_ALLOWED_HOSTS);
   * everything else must be public (see OutboundAddressPolicy in the kernel).
   */
  abstract readonly webhookAllowedHosts: readonly string[];
}
