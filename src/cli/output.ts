/**
 * Results go to stdout: text for people, or one JSON document with --json.
 *
 * A reader that goes away (`pixelprep stats … | head -1`) makes writes fail
 * with EPIPE: the command then stops quietly with exit code 141 (128 +
 * SIGPIPE, what a shell reports for tools ended by a closed pipe). Any other
 * failure to write stdout (EIO, a full disk behind a redirection) is one line
 * on stderr and exit code 1, never a stack trace.
 */
import { EXIT_FAILURE } from './exit_codes.js';

/** The exit code when stdout's reader has gone away. */
export const EXIT_BROKEN_PIPE = 141;

/** Writes `value` as indented JSON and a newline. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes lines of text. */
export function printLines(...lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Ends the command on the first stdout write error, as described above. */
export function handleStdoutErrors(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE);
    try {
      process.stderr.write(`pixelprep: Expected to write the results to stdout but could not: ${error.message}\n`);
    } finally {
      process.exit(EXIT_FAILURE);
    }
  });
}
