/**
 * Atomic file writes: data goes to a temporary file beside the target, is
 * flushed, then renamed over it. A reader sees the old file or the new one,
 * never half of one. The target must be a regular file or a new path (see
 * output_guard.ts): a device, FIFO, socket, folder or symbolic link there is
 * refused before anything is written, and checked again just before the rename.
 *
 * The temporary file is removed on every failure path: a failed write, a
 * thrown error, and the process exiting while a write is in flight (an
 * 'exit' handler removes what is left, which covers process.exit and the
 * CLI's signal handling).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PixelprepError, isPixelprepError } from '../core/errors.js';
import { checkOutputTarget, type OutputTargetOptions } from './output_guard.js';
import { releaseTemporary, trackTemporary } from './temporary_files.js';

/**
 * Writes `data` to `path` atomically.
 * @param options `inputs` (paths the target may not be), `allowSymlink` (false), `name` ('path'), as checkOutputTarget.
 * @throws PixelprepError E_IO naming the path and the cause, also when the target is not a regular file or is an input.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: OutputTargetOptions = {}): Promise<void> {
  await checkOutputTarget(path, options);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  trackTemporary(temp);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The target may have changed while the data was written.
    await checkOutputTarget(path, options);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    if (isPixelprepError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new PixelprepError('E_IO', `Expected to write ${path} but could not: ${reason}`, { cause: error });
  } finally {
    releaseTemporary(temp);
  }
}
