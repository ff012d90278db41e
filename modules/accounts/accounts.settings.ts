/**
 * What accounts needs from configuration. The app shell provides it (reading the environment in
 * one place); the module only declares the shape and the DI token.
 */
export abstract class AccountsSettings {
  /** Credits granted to every new account (STARTING_CREDITS). */
  abstract readonly startingCredits: number;
}
