/** What media needs from configuration; the app shell provides it under this token. */
export abstract class MediaSettings {
  /** How long the local generator works on one image (MEDIA_GENERATION_MS). */
  abstract readonly generationMs: number;
  /** Where the local result store keeps files (MEDIA_STORAGE_DIR). */
  abstract readonly storageDir: string;
}
