/**
 * Argument checking for resize: the image and the options are validated at
 * the edge, with defaults filled in, so the resampling code sees only sound
 * values.
 */
import { PixelprepError } from '../core/errors.js';
import { isRawBatch } from '../core/input.js';
import { describe, fail, isInteger, isNumber, isPlainObject, knownKeys, oneOf } from '../core/validate.js';
import { PIL_KERNELS, type PilKernel } from './filters.js';
import type { Raster } from './passes.js';

/** Which code runs the convolution passes; every choice gives the same bytes. */
export const RESAMPLE_IMPLEMENTATIONS = ['auto', 'js', 'wasm'] as const;
export type ResampleImplementation = (typeof RESAMPLE_IMPLEMENTATIONS)[number];

/** Default bound on the output (and intermediate) size: 2^28 values, 256 MiB of bytes. */
export const DEFAULT_MAX_VALUES = 2 ** 28;

export interface PilResizeOptions {
  /** Output width in pixels (a positive integer). */
  width: number;
  /** Output height in pixels (a positive integer). */
  height: number;
  /** Filter, named after Pillow's Image.Resampling. Default 'pil-bicubic' (Pillow's default). */
  kernel?: PilKernel;
  /** Source region [left, top, right, bottom] in pixels, fractions allowed (Pillow's `box`). Default: the whole image. */
  box?: readonly [number, number, number, number];
  /** Pillow's `reducing_gap` (≥ 1): first Image.reduce by an integer factor, then resample. Default: none. Ignored for nearest and RGBA, as in Pillow. */
  reducingGap?: number | null;
  /** Refuse outputs (or intermediate images) of more values than this. Default 2^28. */
  maxValues?: number;
  /** 'auto' (default): WebAssembly SIMD where available, else JavaScript; 'js' or 'wasm' to choose. */
  implementation?: ResampleImplementation;
}

export interface ResolvedResize {
  readonly width: number;
  readonly height: number;
  readonly kernel: PilKernel;
  readonly box: readonly [number, number, number, number];
  readonly reducingGap: number | null;
  readonly implementation: ResampleImplementation;
}

const OPTION_KEYS = ['width', 'height', 'kernel', 'box', 'reducingGap', 'maxValues', 'implementation'] as const;
const CHANNELS = [1, 3, 4];

/** The image as a Raster, or a PixelprepError (E_ARGUMENT, E_DTYPE, E_SHAPE). */
export function resolveImage(image: unknown): Raster {
  if (!isRawBatch(image)) fail('E_ARGUMENT', 'image', 'raw pixels { data: Uint8Array, shape: [height, width, channels] }', image);
  const { data, shape } = image;
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) fail('E_DTYPE', 'image.data', 'a Uint8Array of 8-bit samples', data);
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((s) => isInteger(s) && s >= 1)) {
    fail('E_SHAPE', 'image.shape', '[height, width, channels] of positive integers', shape);
  }
  const [height, width, channels] = shape;
  if (!CHANNELS.includes(channels)) fail('E_SHAPE', 'image.shape[2]', '1 (L), 3 (RGB) or 4 (RGBA) channels', channels);
  if (height * width * channels !== data.length) {
    throw new PixelprepError('E_SHAPE', `Expected image.data of length ${height}×${width}×${channels} = ${height * width * channels} for shape [${shape.join(', ')}] but received ${describe(data)}`);
  }
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.length);
  return { data: bytes, width, height, channels };
}

function side(name: string, value: unknown): number {
  if (!isInteger(value) || value < 1) fail('E_ARGUMENT', name, 'a positive integer number of pixels', value);
  return value;
}

function resolveBox(value: unknown, image: Raster): readonly [number, number, number, number] {
  if (value === undefined) return [0, 0, image.width, image.height];
  if (!Array.isArray(value) || value.length !== 4 || !value.every(isNumber)) fail('E_ARGUMENT', 'box', 'four finite numbers [left, top, right, bottom]', value);
  const [x0, y0, x1, y1] = value;
  if (!(x0 >= 0 && y0 >= 0 && x1 <= image.width && y1 <= image.height && x0 < x1 && y0 < y1)) {
    throw new PixelprepError(
      'E_ARGUMENT',
      `Expected box to be a non-empty region inside the ${image.width}×${image.height} image (0 ≤ left < right ≤ ${image.width}, 0 ≤ top < bottom ≤ ${image.height}) but received [${value.join(', ')}]`,
    );
  }
  return [x0, y0, x1, y1];
}

/**
 * Validates resize options against the image and fills in the defaults.
 * @throws PixelprepError E_ARGUMENT for a bad option; E_VALUE when the output would exceed maxValues.
 */
export function resolveResizeOptions(options: unknown, image: Raster): ResolvedResize {
  if (!isPlainObject(options)) fail('E_ARGUMENT', 'options', 'an options object { width, height, kernel? }', options);
  knownKeys('options', options, OPTION_KEYS);
  const width = side('width', options.width);
  const height = side('height', options.height);
  const kernel = oneOf('kernel', options.kernel, PIL_KERNELS, 'pil-bicubic');
  const box = resolveBox(options.box, image);
  const gap = options.reducingGap ?? null;
  if (gap !== null && !(isNumber(gap) && gap >= 1)) fail('E_ARGUMENT', 'reducingGap', 'a finite number ≥ 1 (or null for none)', gap);
  const maxValues = options.maxValues ?? DEFAULT_MAX_VALUES;
  if (!isInteger(maxValues) || maxValues < 1) fail('E_ARGUMENT', 'maxValues', 'a positive integer', maxValues);
  // The horizontal pass keeps an image `width` wide and up to the source's height tall.
  const largest = Math.max(width * height, width * image.height) * image.channels;
  if (largest > maxValues) {
    throw new PixelprepError(
      'E_VALUE',
      `Expected an output of at most ${maxValues} values (maxValues) but received ${width}×${height} from a ${image.width}×${image.height}×${image.channels} image, which needs ${largest}`,
    );
  }
  const implementation = oneOf('implementation', options.implementation, RESAMPLE_IMPLEMENTATIONS, 'auto');
  return { width, height, kernel, box, reducingGap: gap, implementation };
}
