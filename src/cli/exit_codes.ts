/**
 * Exit codes of the `pixelprep` command: 0 success, 1 the work failed (a bad
 * file, a failed write), 2 the command line was wrong (unknown option, bad value).
 */
import { CommanderError } from 'commander';
import { isPixelprepError } from '../core/errors.js';

/** The command did what was asked. */
export const EXIT_OK = 0;
/** The work failed: a file could not be read, decoded or written. */
export const EXIT_FAILURE = 1;
/** The command line was wrong. */
export const EXIT_USAGE = 2;

/** The exit code an error ends the command with. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  // Option values are checked by the same validators as the library: E_ARGUMENT is a usage error.
  if (isPixelprepError(error, 'E_ARGUMENT')) return EXIT_USAGE;
  return EXIT_FAILURE;
}
