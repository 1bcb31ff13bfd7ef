/** One line per failure on stderr, "pixelprep: <message>"; the stack only with --verbose. */
import { isPixelprepError } from '../core/errors.js';

/** Writes the error for a person: its message, and with `verbose` its stack and causes. */
export function reportError(error: unknown, verbose: boolean, write: (text: string) => void = (t) => process.stderr.write(t)): void {
  const message = error instanceof Error ? error.message : String(error);
  const unexpected = !isPixelprepError(error);
  write(`pixelprep: ${unexpected ? `unexpected error: ${message}` : message}\n`);
  if (verbose) {
    let current: unknown = error;
    for (let depth = 0; current instanceof Error && depth < 5; depth++) {
      write(`${depth === 0 ? '' : 'caused by: '}${current.stack ?? current.message}\n`);
      current = current.cause;
    }
  } else if (unexpected) {
    write('pixelprep: run again with --verbose for the stack trace\n');
  }
}
