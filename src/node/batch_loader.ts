/**
 * Batches of decoded images from files, in order, with a bounded number of
 * decodes in flight: memory holds at most `concurrency` decoded images plus
 * the batch being filled.
 */
import { PixelprepError } from '../core/errors.js';
import type { RawBatch } from '../core/input.js';
import { fail, isInteger, isPlainObject } from '../core/validate.js';
import { DECODE_OPTION_KEYS, decodeResolved, resolveDecodeOptions, type DecodedImage, type DecodeOptions } from './decode_image.js';
import { listImages } from './list_images.js';

export interface LoadBatchesOptions extends DecodeOptions {
  /** Images per batch (the last batch may be smaller unless `dropRemainder`). */
  batchSize: number;
  /** Decodes in flight at once. Default 4 (sharp also runs each decode on its own threads). */
  concurrency?: number;
  /** Stops loading: the iterator throws PixelprepError E_ABORTED at the next image. */
  signal?: AbortSignal;
  /** Descend into subdirectories of directories given (default true). */
  recursive?: boolean;
  /** Skip a last batch smaller than batchSize (default false). */
  dropRemainder?: boolean;
}

/** One batch: pixels shaped [N, H, W, C] and the files they came from, in order. */
export interface LoadedBatch {
  batch: RawBatch;
  paths: string[];
}

const LOADER_KEYS = ['batchSize', 'concurrency', 'signal', 'recursive', 'dropRemainder'] as const;

const aborted = (signal: AbortSignal | undefined): void => {
  if (signal?.aborted) throw new PixelprepError('E_ABORTED', 'Expected to finish loading images but the operation was aborted', { cause: signal.reason });
};

/**
 * Loads images in batches of `batchSize`, decoding ahead with bounded concurrency.
 *
 * Every image in a batch must have the same shape: pass `resize` (and
 * `channels`) when the files differ. Batches come in the order of
 * `listImages(paths)`.
 *
 * @param source a directory, a file, or a list of both.
 * @param options batchSize (required), concurrency (4), signal, recursive (true), dropRemainder (false), and decodeImage's options.
 * @throws PixelprepError E_SHAPE when an image's shape differs from the batch's first (naming both files),
 *   E_ABORTED when the signal fires, and decodeImage's errors naming the file.
 * @example
 * for await (const { batch, paths } of loadBatches('train/', { batchSize: 32, channels: 3, resize: { width: 224, height: 224 } })) {
 *   const x = scaler.apply(batch); // [32, 224, 224, 3] float32
 *   x.dispose();
 * }
 */
export async function* loadBatches(source: string | readonly string[], options: LoadBatchesOptions): AsyncGenerator<LoadedBatch, void, undefined> {
  if (!isPlainObject(options)) fail('E_ARGUMENT', 'options', 'an options object with batchSize', options);
  const { batchSize, concurrency = 4, signal, recursive = true, dropRemainder = false } = options;
  if (!isInteger(batchSize) || batchSize < 1) fail('E_ARGUMENT', 'batchSize', 'a positive integer', batchSize);
  if (!isInteger(concurrency) || concurrency < 1) fail('E_ARGUMENT', 'concurrency', 'a positive integer', concurrency);
  if (signal !== undefined && !(signal instanceof AbortSignal)) fail('E_ARGUMENT', 'signal', 'an AbortSignal', signal);
  if (typeof dropRemainder !== 'boolean') fail('E_ARGUMENT', 'dropRemainder', 'a boolean', dropRemainder);
  const decodeOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if ((LOADER_KEYS as readonly string[]).includes(key)) continue;
    if (!(DECODE_OPTION_KEYS as readonly string[]).includes(key)) {
      fail('E_ARGUMENT', 'options', `options among ${[...LOADER_KEYS, ...DECODE_OPTION_KEYS].map((k) => `'${k}'`).join(', ')}`, key);
    }
    decodeOptions[key] = value;
  }
  const decode = resolveDecodeOptions(decodeOptions);
  const paths = await listImages(typeof source === 'string' ? [source] : source, { recursive });

  // A window of decodes in flight, consumed in order.
  const window: Promise<DecodedImage>[] = [];
  let next = 0;
  const refill = () => {
    while (window.length < concurrency && next < paths.length) {
      const pending = decodeResolved(paths[next++], decode);
      pending.catch(() => undefined); // awaited below; this only stops an early exit from reporting it unhandled
      window.push(pending);
    }
  };

  let taken = 0;
  while (taken < paths.length) {
    const size = Math.min(batchSize, paths.length - taken);
    if (size < batchSize && dropRemainder) return;
    let data: Uint8Array | Uint16Array | null = null;
    let shape: readonly number[] = [];
    const batchPaths = paths.slice(taken, taken + size);
    for (let i = 0; i < size; i++) {
      aborted(signal);
      refill();
      const image = await window.shift()!;
      aborted(signal);
      if (data === null) {
        shape = image.shape;
        data = image.data instanceof Uint16Array ? new Uint16Array(size * image.data.length) : new Uint8Array(size * image.data.length);
      } else if (image.shape.some((d, k) => d !== shape[k]) || image.data.constructor !== data.constructor) {
        throw new PixelprepError(
          'E_SHAPE',
          `Expected ${batchPaths[i]} to decode to [${shape.join(',')}] ${data instanceof Uint16Array ? 'uint16' : 'uint8'} like ${batchPaths[0]} (images in a batch share a shape; pass resize and channels) but received [${image.shape.join(',')}] ${image.data instanceof Uint16Array ? 'uint16' : 'uint8'}`,
        );
      }
      data.set(image.data, i * image.data.length);
    }
    taken += size;
    yield { batch: { data: data!, shape: [size, ...shape] }, paths: batchPaths };
  }
}
