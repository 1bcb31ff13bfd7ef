/**
 * Output paths are checked before any work starts, so an hour-long fit does
 * not end in "cannot write" because its folder is missing or is a file.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PixelprepError } from '../core/errors.js';

/** What is at `path`: a folder, a file (or anything else that is not a folder), or nothing (null). */
async function kindOf(path: string): Promise<'folder' | 'file' | null> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: something on the way is a file; the walk up finds which.
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new PixelprepError('E_IO', `Expected to inspect ${path} but could not: ${(error as Error).message}`, { cause: error });
  }
}

/** The nearest existing path at or above `path`, and what it is. */
async function nearestExisting(path: string): Promise<{ path: string; kind: 'folder' | 'file' }> {
  let current = resolve(path);
  for (;;) {
    const kind = await kindOf(current);
    if (kind) return { path: current, kind };
    const parent = dirname(current);
    if (parent === current) return { path: current, kind: 'folder' };
    current = parent;
  }
}

/**
 * Checks that a file can be written at `path`: its folder exists and is a
 * folder, and `path` itself is not a folder.
 * @throws PixelprepError E_IO naming the option, the path and what is wrong.
 */
export async function checkOutputFile(path: string, option: string): Promise<void> {
  const folder = dirname(resolve(path));
  const existing = await nearestExisting(folder);
  if (existing.kind === 'file') throw new PixelprepError('E_IO', `Expected a folder to hold ${option} ${path} but ${existing.path} is a file`);
  if (existing.path !== folder) throw new PixelprepError('E_IO', `Expected an existing folder for ${option} ${path} but ${folder} does not exist (create it first)`);
  if ((await kindOf(path)) === 'folder') throw new PixelprepError('E_IO', `Expected a file path for ${option} but ${path} is a folder`);
}

/**
 * Checks that a folder exists or can be created at `path`: nothing on the way
 * to it is a file. Nothing is created yet.
 * @throws PixelprepError E_IO naming the option and the file in the way.
 */
export async function checkOutputFolder(path: string, option: string): Promise<void> {
  const existing = await nearestExisting(path);
  if (existing.kind === 'file') throw new PixelprepError('E_IO', `Expected ${option} ${path} to be a folder (or a place to create one) but ${existing.path} is a file`);
}

/**
 * Creates `folder` and its parents for an output file.
 * @throws PixelprepError E_IO naming the folder and the reason.
 */
export async function makeOutputFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new PixelprepError('E_IO', `Expected to create the folder ${folder} but could not: ${(error as Error).message}`, { cause: error });
  }
}
