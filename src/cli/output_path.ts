/**
 * Output paths are checked before any work starts, so an hour-long fit does
 * not end in "cannot write" because its folder is missing, is a file, or is
 * read-only, and so no output replaces a device, a FIFO, a symbolic link or
 * one of the command's own inputs (see src/node/output_guard.ts).
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PixelprepError } from '../core/errors.js';
import { checkFolderWritable, checkOutputTarget } from '../node/output_guard.js';

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
 * Checks that a file can be written at `path`: its folder exists, is a folder
 * and takes new files; `path` is not a folder, is a regular file or new (not a
 * device, FIFO, socket or symbolic link) and is none of `inputs`.
 * @throws PixelprepError E_IO naming the option, the path and what is wrong.
 */
export async function checkOutputFile(path: string, option: string, inputs: readonly string[] = []): Promise<void> {
  const folder = dirname(resolve(path));
  const existing = await nearestExisting(folder);
  if (existing.kind === 'file') throw new PixelprepError('E_IO', `Expected a folder to hold ${option} ${path} but ${existing.path} is a file`);
  if (existing.path !== folder) throw new PixelprepError('E_IO', `Expected an existing folder for ${option} ${path} but ${folder} does not exist (create it first)`);
  if ((await kindOf(path)) === 'folder') throw new PixelprepError('E_IO', `Expected a file path for ${option} but ${path} is a folder`);
  await checkOutputTarget(path, { name: option, inputs });
  await checkFolderWritable(folder, `${option} ${path}`);
}

/**
 * The output checks of `fit`: the stats file and the checkpoint are distinct,
 * and neither is one of the files being fitted.
 * @throws PixelprepError E_ARGUMENT when the checkpoint is the output; E_IO as checkOutputFile.
 */
export async function checkFitOutputs(output: string, checkpoint: string | undefined, inputs: readonly string[]): Promise<void> {
  await checkOutputFile(output, '-o', inputs);
  if (checkpoint === undefined) return;
  const sameFile = resolve(checkpoint) === resolve(output) || (await sameInode(checkpoint, output));
  if (sameFile) throw new PixelprepError('E_ARGUMENT', `Expected --checkpoint to be another file than -o ${output} but received ${checkpoint}`);
  await checkOutputFile(checkpoint, '--checkpoint', inputs);
}

/** True when both paths exist and are the same file (hard or symbolic links). */
async function sameInode(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)]);
  return x !== null && y !== null && x.dev === y.dev && x.ino === y.ino;
}

/**
 * Checks that a folder exists or can be created at `path`: nothing on the way
 * to it is a file, and the nearest existing folder is writable. Nothing is created yet.
 * @throws PixelprepError E_IO naming the option and the file in the way.
 */
export async function checkOutputFolder(path: string, option: string): Promise<void> {
  const existing = await nearestExisting(path);
  if (existing.kind === 'file') throw new PixelprepError('E_IO', `Expected ${option} ${path} to be a folder (or a place to create one) but ${existing.path} is a file`);
  // The nearest existing folder must take new files (and folders): a read-only one is found now.
  await checkFolderWritable(existing.path, `${option} ${path}`);
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
