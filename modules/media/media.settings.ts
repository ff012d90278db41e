/** What media needs from configuration; the app shell provides it under this token. */
export abstract class MediaSettings {
  /** How long the local generator works on one image (MEDIA_GENERATION_MS). */
  abstract readonly generationMs: number;
  /** Where the local result store keeps files (MEDIA_STORAGE_DIR). */
  abstract readonly storageDir: string;
  /**
   * How long a job claimed by an instance stays with it (MEDIA_LEASE_MS, default 30,000). The
   * instance renews it while it works; after a crash another instance (or the restarted one) takes
   * the job over once it runs out.
   */
  abstract readonly leaseMs?: number;
  /**
   * TESTS ONLY (MEDIA_TEST_CRASH_AFTER): the process kills itself (SIGKILL) during a job
   * submission right after that step — `record` (the job is recorded, not yet charged) or `charge`
   * (charged, not yet queued) — so a test can crash deterministically between the two writes.
   * Unset in every real deployment; nothing happens unless it is set.
   */
  abstract readonly testCrashAfter?: 'record' | 'charge';
}
