/**
 * Atomic file writes: data goes to a temporary file beside the target, is
 * flushed, then renamed over it. A reader sees the old file or the new one,
 * never half of one; on failure the temporary file is removed.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PixelprepError } from '../core/errors.js';

/** Writes `data` to `path` atomically. @throws PixelprepError E_IO naming the path and the cause. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new PixelprepError('E_IO', `Expected to write ${path} but could not: ${reason}`, { cause: error });
  }
}
