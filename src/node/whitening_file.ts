/**
 * Whitening files: the JSON form of a Whitening, written atomically and
 * validated on load, like stats files.
 */
import { PixelprepError } from '../core/errors.js';
import { writeFileAtomic } from './atomic_write.js';
import { readJsonFile, withPrefix } from './json_file.js';
import { describe } from '../core/validate.js';
import { Whitening } from '../whitening/whitening.js';

/**
 * Writes `whitening` to `path` as JSON, atomically (temporary file, then rename).
 *
 * @example
 * await saveWhitening('zca.json', await fitWhitening(batches(), { kind: 'zca' }));
 * @throws PixelprepError E_ARGUMENT when `whitening` is not a Whitening, E_IO when the file cannot be written.
 */
export async function saveWhitening(path: string, whitening: Whitening): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) throw new PixelprepError('E_ARGUMENT', `Expected a file path for path but received ${describe(path)}`);
  if (!(whitening instanceof Whitening)) throw new PixelprepError('E_ARGUMENT', `Expected a Whitening for whitening but received ${describe(whitening)}`);
  await writeFileAtomic(path, `${JSON.stringify(whitening.toJSON(), null, 2)}\n`);
}

/**
 * Reads a whitening file written by `saveWhitening`.
 *
 * @example
 * const zca = await loadWhitening('zca.json');
 * const y = zca.apply(batch);
 * @throws PixelprepError E_IO naming the path when unreadable; E_FORMAT when not JSON or not a
 *   version-1 whitening file; E_STATS on impossible values. Every message starts with the path.
 */
export async function loadWhitening(path: string): Promise<Whitening> {
  const json = await readJsonFile(path, 'whitening file');
  return withPrefix(path, () => Whitening.fromJSON(json));
}
