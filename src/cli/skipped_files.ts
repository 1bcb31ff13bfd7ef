/**
 * --skip-errors: files that could not be read are left out, listed on stderr
 * after the results, and the command still exits 1, so a script notices.
 */
import { PixelprepError } from '../core/errors.js';
import { reportError } from './report_error.js';

/** A file left out, with the error that stopped it (its message names the file). */
export interface SkippedFile {
  path: string;
  error: PixelprepError;
}

/**
 * Lists the skipped files and throws; does nothing when none was skipped.
 * @throws PixelprepError (exit 1) saying how many of `total` files were skipped and what was written anyway.
 */
export function failIfSkipped(skipped: readonly SkippedFile[], total: number, verbose: boolean, outcome: string): void {
  if (skipped.length === 0) return;
  for (const { error } of skipped) reportError(error, verbose);
  // Options were checked before any file was read, so a file's error is never a usage error (exit 1).
  const code = skipped[0].error.code === 'E_ARGUMENT' ? 'E_IO' : skipped[0].error.code;
  throw new PixelprepError(code, `Expected every input to be read but ${skipped.length} of ${total} could not be and were skipped (listed above); ${outcome}`);
}
