/**
 * Paths to image files: files are taken as given, directories are expanded
 * (recursively by default) to the image files they hold, sorted.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { PixelprepError } from '../core/errors.js';
import { fail, isPlainObject, knownKeys } from '../core/validate.js';
import { hasImageExtension } from './image_extensions.js';

export interface ListImagesOptions {
  /** Descend into subdirectories (default true). */
  recursive?: boolean;
}

/** Code-point order, the same on every machine and locale. */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Expands files and directories into a list of image paths.
 *
 * A file named explicitly is kept whatever its extension (decoding will say
 * if it is not an image). A directory contributes its files with an image
 * extension (see IMAGE_EXTENSIONS, any case), in code-point order, skipping
 * names that start with a dot. Each path appears once, at its first place.
 *
 * @example
 * await listImages(['train/']); // ['train/cat/001.jpg', 'train/cat/002.jpg', 'train/dog/001.png', ...]
 * @throws PixelprepError E_IO when a path does not exist or cannot be read.
 */
export async function listImages(paths: readonly string[], options: ListImagesOptions = {}): Promise<string[]> {
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p.length > 0)) {
    fail('E_ARGUMENT', 'paths', 'a list of file or directory paths', paths);
  }
  if (!isPlainObject(options)) fail('E_ARGUMENT', 'options', 'an options object', options);
  knownKeys('options', options, ['recursive']);
  const recursive = options.recursive ?? true;
  if (typeof recursive !== 'boolean') fail('E_ARGUMENT', 'recursive', 'a boolean', recursive);

  const found: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? 'it does not exist' : error.message;
      throw new PixelprepError('E_IO', `Expected an image file or a directory at ${path} but ${why}`, { cause: error });
    });
    if (info.isDirectory()) found.push(...(await walk(path, recursive, new Set())));
    else found.push(normalize(path));
  }
  return [...new Set(found)];
}

/** Lists one directory; `seen` holds visited directories (device:inode) so symbolic-link cycles end. */
async function walk(directory: string, recursive: boolean, seen: Set<string>): Promise<string[]> {
  let entries;
  try {
    const { dev, ino } = await stat(directory);
    if (seen.has(`${dev}:${ino}`)) return [];
    seen.add(`${dev}:${ino}`);
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    throw new PixelprepError('E_IO', `Expected a readable directory at ${directory} but ${(error as Error).message}`, { cause: error });
  }
  const names = entries.filter((e) => !e.name.startsWith('.')).sort((a, b) => byCodePoint(a.name, b.name));
  const out: string[] = [];
  for (const entry of names) {
    const path = join(directory, entry.name);
    // Symbolic links are followed: stat says what they point to.
    const kind = entry.isSymbolicLink() ? await stat(path).catch(() => null) : entry;
    if (!kind) continue;
    if (kind.isDirectory()) {
      if (recursive) out.push(...(await walk(path, recursive, seen)));
    } else if (kind.isFile() && hasImageExtension(entry.name)) {
      out.push(path);
    }
  }
  return out;
}
