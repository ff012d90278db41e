import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { crc32, encodePng } from './png.js';

/** Reads a PNG back chunk by chunk, checking every CRC with zlib's own implementation. */
function decodeChunks(png: Buffer): Array<{ type: string; data: Buffer }> {
  const chunks = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(zlibCrc32(png.subarray(offset + 4, offset + 8 + length)));
    chunks.push({ type, data });
    offset += 12 + length;
  }
  return chunks;
}

describe('crc32', () => {
  it('matches the standard check value and zlib', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff));
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
  });
});

describe('encodePng', () => {
  it('writes signature, IHDR, IDAT and IEND whose scanlines inflate back to the pixels', () => {
    const width = 3;
    const height = 2;
    const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 29) & 0xff);
    const png = encodePng(width, height, rgb);

    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks = decodeChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = chunks[0].data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]]).toEqual([width, height, 8, 2, 0, 0, 0]);

    const raw = inflateSync(chunks[1].data);
    expect(raw.length).toBe((width * 3 + 1) * height);
    for (let y = 0; y < height; y++) {
      const line = raw.subarray(y * (width * 3 + 1), (y + 1) * (width * 3 + 1));
      expect(line[0]).toBe(0);
      expect([...line.subarray(1)]).toEqual([...rgb.subarray(y * width * 3, (y + 1) * width * 3)]);
    }
  });

  it('refuses pixel data of the wrong size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(5))).toThrow(RangeError);
  });
});
