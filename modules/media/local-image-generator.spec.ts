import { inflateSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { IMAGE_SIZE, LocalImageGenerator, drawPrompt } from './local-image-generator.js';

const generator = (generationMs: number) => new LocalImageGenerator({ generationMs, storageDir: 'unused' });

/** The distinct RGB colours of a PNG produced by drawPrompt (single IDAT right after IHDR). */
function pixelsOf(png: Buffer): Buffer {
  const idatLength = png.readUInt32BE(33);
  return inflateSync(png.subarray(41, 41 + idatLength));
}

describe('LocalImageGenerator', () => {
  it('takes the configured time and returns the PNG drawn from the prompt', async () => {
    const started = Date.now();
    const png = Buffer.from(await generator(60).generate({ prompt: 'a harbour', kind: 'image' }, new AbortController().signal));
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(png.equals(drawPrompt('a harbour'))).toBe(true);
    expect(png.readUInt32BE(16)).toBe(IMAGE_SIZE);
  });

  it('fails a prompt containing [fail]', async () => {
    await expect(generator(1).generate({ prompt: 'x [fail] y', kind: 'image' }, new AbortController().signal)).rejects.toThrow('[fail]');
  });

  it('stops promptly when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = generator(60_000).generate({ prompt: 'slow', kind: 'image' }, controller.signal);
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('drawPrompt', () => {
  it('is deterministic and depends on the prompt', () => {
    expect(drawPrompt('same').equals(drawPrompt('same'))).toBe(true);
    expect(drawPrompt('one').equals(drawPrompt('two'))).toBe(false);
  });

  it('draws a picture, not a flat colour', () => {
    const pixels = pixelsOf(drawPrompt('a mountain lake'));
    const colours = new Set<string>();
    const stride = IMAGE_SIZE * 3 + 1;
    for (let y = 0; y < IMAGE_SIZE; y++) {
      for (let x = 0; x < IMAGE_SIZE; x++) colours.add(pixels.subarray(y * stride + 1 + x * 3, y * stride + 4 + x * 3).toString('hex'));
    }
    expect(colours.size).toBeGreaterThan(10);
  });
});
