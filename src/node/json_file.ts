/**
 * Reading JSON files with errors that name the file: E_IO when it cannot be
 * read, E_FORMAT when it is not JSON, and any later validation error prefixed
 * with the path.
 */
import { PixelprepError, isPixelprepError } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { readRegularText } from './read_regular.js';

/**
 * Reads and parses a JSON file (a regular file of at most 256 MiB).
 * @throws PixelprepError E_IO when unreadable or not a regular file, E_FORMAT when not JSON or too large.
 */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new PixelprepError('E_ARGUMENT', `Expected a file path for path but received ${describe(path)}`);
  }
  // Regular files only, of at most MAX_JSON_BYTES: a FIFO or /dev/zero named stats.json is refused, not read forever.
  const text = await readRegularText(path, `a readable ${what}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PixelprepError('E_FORMAT', `Expected ${path} to hold JSON (a ${what}) but it does not parse: ${reason}`, { cause: error });
  }
}

/** Re-throws a PixelprepError with `prefix: ` in front of its message, keeping its code. */
export function withPrefix<T>(prefix: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isPixelprepError(error)) throw new PixelprepError(error.code, `${prefix}: ${error.message}`, { cause: error });
    throw error;
  }
}
