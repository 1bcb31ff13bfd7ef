/**
 * Reading input files as hostile paths: only regular files are read, and only
 * up to a size cap. The check is made on the opened file (fstat after open),
 * not on the path before it (stat, then read: the path may change in
 * between). A FIFO is opened without blocking and refused, so `x.png` naming
 * a pipe, /dev/zero, /dev/urandom or a symbolic link to them ends at once
 * with an error instead of reading forever; a huge (sparse) file is refused
 * from its size without reading it.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { PixelprepError } from '../core/errors.js';

/** Largest image file read by default: 1 GiB. */
export const DEFAULT_MAX_IMAGE_BYTES = 1024 ** 3;
/** Largest JSON file (stats, whitening, checkpoint, model.json) read: 256 MiB. */
export const MAX_JSON_BYTES = 256 * 1024 ** 2;

/** Opening a FIFO for reading would wait for a writer: O_NONBLOCK returns at once (0 where the platform has no such flag). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

const describeErrno = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'it does not exist (ENOENT)';
  if (code === 'EACCES' || code === 'EPERM') return `permission was denied (${code})`;
  if (code === 'ELOOP') return 'it is a loop of symbolic links (ELOOP)';
  if (code === 'ENOTDIR') return 'something on the way to it is a file (ENOTDIR)';
  return error instanceof Error ? error.message : String(error);
};

/**
 * Reads a whole regular file of at most `maxBytes` bytes.
 *
 * @param what how messages name the file ('an image file', 'a stats file', ...).
 * @throws PixelprepError E_IO when it cannot be opened or is not a regular file
 *   (a folder, a device, a FIFO, a socket); E_FORMAT when it is larger than `maxBytes`.
 */
export async function readRegularFile(path: string, what: string, maxBytes: number): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    throw new PixelprepError('E_IO', `Expected ${what} at ${path} but could not read it: ${describeErrno(error)}`, { cause: error });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      const kind = info.isDirectory() ? 'a folder' : info.isCharacterDevice() ? 'a character device' : info.isBlockDevice() ? 'a block device' : info.isFIFO() ? 'a named pipe (FIFO)' : 'a socket';
      throw new PixelprepError('E_IO', `Expected ${what} at ${path} to be a regular file but it is ${kind}`);
    }
    if (info.size > maxBytes) {
      throw new PixelprepError('E_FORMAT', `Expected ${what} of at most ${maxBytes} bytes at ${path} but it is ${info.size} bytes`);
    }
    // Exactly the size fstat gave: a file that grows while it is read does not make the read endless.
    const bytes = new Uint8Array(info.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } catch (error) {
    if (error instanceof PixelprepError) throw error;
    throw new PixelprepError('E_IO', `Expected ${what} at ${path} but could not read it: ${describeErrno(error)}`, { cause: error });
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** A regular file's text (UTF-8), as readRegularFile. */
export async function readRegularText(path: string, what: string, maxBytes = MAX_JSON_BYTES): Promise<string> {
  return new TextDecoder().decode(await readRegularFile(path, what, maxBytes));
}
