/**
 * Stable error codes. Scripts may branch on `error.code`; the message is for people.
 *
 * - `E_ARGUMENT`: an option or argument has the wrong type or value.
 * - `E_SHAPE`: the input's rank, shape or channel count does not fit.
 * - `E_DTYPE`: the input's element type is not supported.
 * - `E_VALUE`: the input holds a value that cannot be scaled (NaN, ±Infinity).
 * - `E_STATS`: statistics are malformed, of another version, or do not match the data.
 * - `E_BACKEND`: a backend is unknown, not installed, or failed to start.
 * - `E_IO`: a file could not be read or written.
 * - `E_FORMAT`: a file was read but its content is not what was expected.
 * - `E_ABORTED`: the caller aborted the operation.
 */
export const ERROR_CODES = [
  'E_ARGUMENT',
  'E_SHAPE',
  'E_DTYPE',
  'E_VALUE',
  'E_STATS',
  'E_BACKEND',
  'E_IO',
  'E_FORMAT',
  'E_ABORTED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one error class pixelprep throws on purpose. */
export class PixelprepError extends Error {
  override readonly name = 'PixelprepError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True when `error` is a PixelprepError, optionally with the given code. */
export function isPixelprepError(error: unknown, code?: ErrorCode): error is PixelprepError {
  return error instanceof PixelprepError && (code === undefined || error.code === code);
}
