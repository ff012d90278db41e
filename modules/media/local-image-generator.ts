import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { ImageGenerator, type GenerationRequest } from './image-generator.js';
import { MediaSettings } from './media.settings.js';
import { encodePng } from './png.js';

export const IMAGE_SIZE = 64;
const CELLS = 8;
/** A prompt containing this marker fails: lets anyone exercise the failure path end to end. */
export const FAIL_MARKER = '[fail]';

/**
 * The default generator: no network, no model. It takes MEDIA_GENERATION_MS (like a real
 * generator, it is slow) and draws a symmetric 8x8 pattern whose colours and shape come from the
 * SHA-256 of the prompt, so the same prompt always gives the same PNG.
 */
@Injectable()
export class LocalImageGenerator implements ImageGenerator {
  constructor(private readonly settings: MediaSettings) {}

  async generate({ prompt }: GenerationRequest, signal: AbortSignal): Promise<Uint8Array> {
    await sleep(this.settings.generationMs, undefined, { signal });
    if (prompt.includes(FAIL_MARKER)) throw new Error(`generation failed: the prompt contains ${FAIL_MARKER}`);
    return drawPrompt(prompt);
  }
}

export function drawPrompt(prompt: string): Buffer {
  const hash = createHash('sha256').update(prompt).digest();
  const background = [hash[0], hash[1], hash[2]];
  const foreground = [hash[3] ^ 0xff, hash[4] ^ 0x80, hash[5]];
  const cell = IMAGE_SIZE / CELLS;
  const pixels = new Uint8Array(IMAGE_SIZE * IMAGE_SIZE * 3);
  for (let y = 0; y < IMAGE_SIZE; y++) {
    for (let x = 0; x < IMAGE_SIZE; x++) {
      const row = Math.floor(y / cell);
      // Mirror the left half onto the right half: symmetric shapes read as "a picture".
      const column = Math.min(Math.floor(x / cell), CELLS - 1 - Math.floor(x / cell));
      const bit = row * (CELLS / 2) + column;
      const on = (hash[6 + (bit >> 3)] >> (bit & 7)) & 1;
      const base = on ? foreground : background;
      // A soft vertical gradient so neighbouring cells of one colour are still distinguishable.
      const shade = Math.round((y / (IMAGE_SIZE - 1)) * 40) - 20;
      const offset = (y * IMAGE_SIZE + x) * 3;
      for (let c = 0; c < 3; c++) pixels[offset + c] = Math.max(0, Math.min(255, base[c] + shade));
    }
  }
  return encodePng(IMAGE_SIZE, IMAGE_SIZE, pixels);
}
