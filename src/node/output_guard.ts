/**
 * Every path a user names as an output is treated as hostile: an atomic write
 * renames a new file over the target, so a target that is a device, a FIFO, a
 * socket, a symbolic link or a folder would be replaced (as root, `-o
 * /dev/null` would replace the system's), and one that is also an input would
 * be destroyed before the work that reads it is done. Outputs must be regular
 * files or new, and never an input under any spelling (./a.png, a.png, a hard
 * link or a symbolic link to it: the same device and inode).
 */
import { randomBytes } from 'node:crypto';
import { lstat, open, rm, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PixelprepError } from '../core/errors.js';
import { releaseTemporary, trackTemporary } from './temporary_files.js';

/** Options of checkOutputTarget. */
export interface OutputTargetOptions {
  /** How messages name the path (an option such as '-o', or 'path'). Default 'path'. */
  name?: string;
  /** Paths read by the same work: the output may not be any of them (compared by device and inode). Default none. */
  inputs?: readonly string[];
  /** Accept a symbolic link as the target (it is replaced by the new file, the link's target is left alone). Default false. */
  allowSymlink?: boolean;
}

/** What a non-regular, non-folder file is, for messages. */
function kindOf(info: Stats): string {
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isDirectory()) return 'a folder';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  return 'a regular file';
}

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;

/** lstat, or null when nothing is there. @throws PixelprepError E_IO on any other failure. */
async function lstatOrNull(path: string, name: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') throw new PixelprepError('E_IO', `Expected a folder to hold ${name} ${path} but something on the way to it is a file (ENOTDIR)`, { cause: error });
    throw new PixelprepError('E_IO', `Expected to inspect ${name} ${path} but could not: ${(error as Error).message}`, { cause: error });
  }
}

/** "device:inode" of what `path` names after following links, or null when it cannot be reached. */
async function identityOf(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    return `${info.dev}:${info.ino}`;
  } catch {
    return null;
  }
}

/**
 * Checks that `path` can be replaced by a new regular file: nothing is there,
 * or a regular file that is not one of `inputs`.
 *
 * @throws PixelprepError E_IO naming the path and what it is (a folder, a
 *   device, a FIFO, a socket, a symbolic link, an input, a path through a file).
 * @example
 * await checkOutputTarget('stats.json', { name: '-o', inputs: files });
 */
export async function checkOutputTarget(path: string, options: OutputTargetOptions = {}): Promise<void> {
  const name = options.name ?? 'path';
  const info = await lstatOrNull(path, name);
  if (info === null) return;
  const allowedLink = info.isSymbolicLink() && options.allowSymlink === true;
  if (!info.isFile() && !allowedLink) {
    const advice = info.isSymbolicLink() ? ' (name the file it points to, or a new path)' : ' (outputs must be regular files or new paths)';
    throw new PixelprepError('E_IO', `Expected ${name} ${path} to be a regular file or a new path but it is ${kindOf(info)}${advice}`);
  }
  if (options.inputs && options.inputs.length > 0) {
    const target = `${info.dev}:${info.ino}`;
    for (const input of options.inputs) {
      if (resolve(input) === resolve(path) || (await identityOf(input)) === target) {
        throw new PixelprepError('E_IO', `Expected ${name} ${path} to be a file other than the inputs but it is the input ${input}; write elsewhere`);
      }
    }
  }
}

/**
 * Checks that files can be created in `folder` by creating and removing an
 * empty probe file: finds read-only folders and file systems (also for root,
 * whom permission bits do not stop) before hours of work, not after.
 * @throws PixelprepError E_IO naming the folder and the reason.
 */
export async function checkFolderWritable(folder: string, name = 'the output'): Promise<void> {
  const probe = join(folder, `.${basename(resolve(folder)) || 'root'}.pixelprep-probe.${process.pid}.${randomBytes(4).toString('hex')}`);
  trackTemporary(probe);
  try {
    const handle = await open(probe, 'wx');
    await handle.close();
  } catch (error) {
    throw new PixelprepError('E_IO', `Expected to be able to write ${name} in ${folder} but could not create a file there: ${(error as Error).message}`, { cause: error });
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
    releaseTemporary(probe);
  }
}

/** The folder a file output lands in. */
export const folderOf = (path: string): string => dirname(resolve(path));
