import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { LocalFileResultStore } from './local-file-result-store.js';

describe('LocalFileResultStore', () => {
  let root: string;
  let store: LocalFileResultStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'modulith-store-'));
    // A folder that does not exist yet: the store creates it on first write.
    store = new LocalFileResultStore({ generationMs: 0, storageDir: join(root, 'results') });
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it('stores bytes under a key and reads them back', async () => {
    await store.put('job-1.png', Buffer.from([1, 2, 3]));
    expect(Buffer.from((await store.get('job-1.png'))!)).toEqual(Buffer.from([1, 2, 3]));
    expect(await readdir(join(root, 'results'))).toEqual(['job-1.png']); // no partial file left behind
  });

  it('answers null for a key never stored', async () => {
    expect(await store.get('missing.png')).toBeNull();
  });

  it('refuses keys that could leave the storage folder', async () => {
    await expect(store.put('../escape.png', Buffer.from([1]))).rejects.toThrow('invalid result key');
    await expect(store.get('a/b.png')).rejects.toThrow('invalid result key');
  });
});
