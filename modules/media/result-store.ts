/**
 * Where finished results live, by key. The DI token of a pluggable part: local files by default;
 * an object store (S3, GCS) implements the same class.
 */
export abstract class ResultStore {
  abstract put(key: string, data: Uint8Array): Promise<void>;
  /** The stored bytes, or null when nothing is stored under `key`. */
  abstract get(key: string): Promise<Uint8Array | null>;
}
