import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_EXTENSIONS, listImages } from '../../src/node/index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-list-'));
  for (const name of ['a/b.png', 'a/C.JPG', 'a/.hidden.png', 'a/notes.txt', 'a/sub/d.webp', 'a/sub/e.avif', 'z.tif', 'a/Á.gif']) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), '');
  }
  await symlink(join(dir, 'a'), join(dir, 'a', 'sub', 'loop'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('listImages', () => {
  it('expands directories recursively to image files in code-point order, skipping dot files and other extensions', async () => {
    const found = await listImages([join(dir, 'a')]);
    expect(found).toEqual(['C.JPG', 'b.png', 'sub/d.webp', 'sub/e.avif', 'Á.gif'].map((n) => join(dir, 'a', n)));
  });

  it('stays in the directory when recursive is false, and keeps explicit files whatever their extension', async () => {
    const found = await listImages([join(dir, 'a/notes.txt'), join(dir, 'a'), join(dir, 'a/b.png')], { recursive: false });
    expect(found).toEqual([join(dir, 'a/notes.txt'), join(dir, 'a/C.JPG'), join(dir, 'a/b.png'), join(dir, 'a/Á.gif')]);
  });

  it('follows symbolic links without looping', async () => {
    const found = await listImages([dir]);
    expect(found.filter((p) => p.endsWith('b.png'))).toHaveLength(1);
    expect(found).toContain(join(dir, 'z.tif'));
  });

  it('names a missing path (E_IO) and rejects non-lists (E_ARGUMENT)', async () => {
    await expect(listImages([join(dir, 'nope')])).rejects.toMatchObject({ code: 'E_IO', message: expect.stringContaining('nope') });
    await expect(listImages('a' as never)).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(listImages([dir], { recursve: true } as never)).rejects.toMatchObject({ code: 'E_ARGUMENT' });
  });

  it('knows the formats decodeImage reads', () => {
    expect(IMAGE_EXTENSIONS).toEqual(expect.arrayContaining(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.gif', '.avif']));
  });
});
