export interface GenerationRequest {
  prompt: string;
  kind: 'image';
}

/**
 * Turns a prompt into image bytes (PNG). The DI token of a pluggable part: the module binds a
 * local, deterministic generator by default; a real model client implements this same class.
 * It must reject promptly when `signal` aborts (the app is shutting down; the job resumes later).
 */
export abstract class ImageGenerator {
  abstract generate(request: GenerationRequest, signal: AbortSignal): Promise<Uint8Array>;
}
