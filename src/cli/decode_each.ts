/**
 * Decoding a list of files in order with a bounded number of decodes in flight,
 * where a file that fails gives its error instead of ending the stream: a
 * command can carry on past it and report every failure at the end.
 */
import { PixelprepError, isPixelprepError } from '../core/errors.js';
import { decodeResolved, type DecodedImage, type ResolvedDecodeOptions } from '../node/decode_image.js';

/** One file's outcome: its pixels, or the error that stopped it (its message names the file). */
export type DecodeOutcome = { path: string; image: DecodedImage; error: null } | { path: string; image: null; error: PixelprepError };

/** `error` as a PixelprepError whose message names `path`. */
export function fileError(path: string, error: unknown): PixelprepError {
  if (isPixelprepError(error)) return error.message.includes(path) ? error : new PixelprepError(error.code, `${path}: ${error.message}`, { cause: error });
  const reason = error instanceof Error ? error.message : String(error);
  return new PixelprepError('E_IO', `Expected to process ${path} but it failed: ${reason}`, { cause: error });
}

const throwIfAborted = (signal: AbortSignal | undefined): void => {
  if (signal?.aborted) throw new PixelprepError('E_ABORTED', 'Expected to finish the files but the operation was aborted', { cause: signal.reason });
};

/**
 * Yields each file's outcome in the order of `paths`, decoding up to
 * `concurrency` files ahead.
 * @throws PixelprepError E_ABORTED when the signal fires (between files).
 */
export async function* decodeEach(
  paths: readonly string[],
  decode: ResolvedDecodeOptions,
  options: { concurrency: number; signal?: AbortSignal },
): AsyncGenerator<DecodeOutcome, void, undefined> {
  const window: Promise<DecodeOutcome>[] = [];
  let next = 0;
  const refill = () => {
    while (window.length < options.concurrency && next < paths.length) {
      const path = paths[next++];
      window.push(
        decodeResolved(path, decode).then(
          (image): DecodeOutcome => ({ path, image, error: null }),
          (error: unknown): DecodeOutcome => ({ path, image: null, error: fileError(path, error) }),
        ),
      );
    }
  };
  for (let taken = 0; taken < paths.length; taken++) {
    throwIfAborted(options.signal);
    refill();
    const outcome = await window.shift()!;
    throwIfAborted(options.signal);
    yield outcome;
  }
}
