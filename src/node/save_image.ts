/**
 * Scaled data back to a viewable PNG: the plan's inverse maps network inputs
 * back to pixel values, which are rounded to 8 or 16 bits.
 *
 *     pixel = round(clamp((x' - lo) / (hi - lo), 0, 1) * (2^depth - 1)),  x' = plan⁻¹(x)
 *
 * With the default range [0, 255] and depth 8, an image scaled by any plan
 * comes back as the exact uint8 pixels it was made from.
 */
import { PixelprepError } from '../core/errors.js';
import { writeFileAtomic } from './atomic_write.js';
import { assertFinite, readHostPixels, type PixelInput } from '../core/input.js';
import { runPlanInto } from '../kernels/index.js';
import { guardPlanInto } from '../core/apply_guard.js';
import { valueCount } from '../core/layout.js';
import { AffinePlan } from '../core/plan.js';
import { fail, isPlainObject, knownKeys, numberRange, oneOf } from '../core/validate.js';
import { loadSharp } from './sharp_module.js';

/** PNG bit depths saveImage writes. */
export const PNG_DEPTHS = [8, 16] as const;
export type PngDepth = (typeof PNG_DEPTHS)[number];

export interface SaveImageOptions {
  /** The plan that scaled the data: its inverse is applied first. Default: none (data already in pixel units). */
  plan?: AffinePlan;
  /** PNG bit depth, 8 (default) or 16. */
  depth?: PngDepth;
  /**
   * Pixel values shown as black and white: [0, 255] by default; use [0, 65535] for
   * 16-bit sources. 'auto' stretches the data's own min..max (for data with no plan).
   */
  range?: readonly [number, number] | 'auto';
}

/**
 * Writes one image ([H, W], [H, W, C] or [1, H, W, C], channels last, C of 1 to 4) as a PNG, atomically.
 *
 * @example
 * const plan = scaler.plan(image);
 * const x = plan.apply(image);                          // what the network sees
 * await saveImage('seen.png', { data: x.dataSync() as Float32Array, shape: x.shape }, { plan });
 * @throws PixelprepError E_SHAPE for more than one image or more than 4 channels, E_VALUE for NaN/Infinity,
 *   E_ARGUMENT for a path not ending in .png, E_IO when writing fails (no partial file is left).
 */
export async function saveImage(path: string, image: PixelInput, options: SaveImageOptions = {}): Promise<void> {
  if (typeof path !== 'string' || !/\.png$/i.test(path)) fail('E_ARGUMENT', 'path', 'a file path ending in .png', path);
  if (!isPlainObject(options)) fail('E_ARGUMENT', 'options', 'an options object', options);
  knownKeys('options', options, ['plan', 'depth', 'range']);
  const depth = oneOf('depth', options.depth, PNG_DEPTHS, 8);
  if (options.plan !== undefined && !(options.plan instanceof AffinePlan)) fail('E_ARGUMENT', 'plan', 'an AffinePlan', options.plan);
  if (options.plan && options.plan.layout !== 'channels_last') fail('E_ARGUMENT', 'plan.layout', "'channels_last' (PNG pixels are interleaved)", options.plan.layout);

  const host = readHostPixels(image, { layout: 'channels_last' }, 'image');
  const g = host.geometry;
  if (g.images !== 1) throw new PixelprepError('E_SHAPE', `Expected one image for saveImage but received a batch of ${g.images} (shape [${g.shape.join(',')}])`);
  if (g.channels > 4) throw new PixelprepError('E_SHAPE', `Expected 1 to 4 channels for a PNG but received ${g.channels} (shape [${g.shape.join(',')}])`);
  assertFinite(host.data, 'image');

  let values: ArrayLike<number> = host.data;
  if (options.plan) {
    const restored = new Float32Array(valueCount(g));
    const inverse = options.plan.inverse();
    runPlanInto(guardPlanInto(host, inverse.coefficients, restored), inverse, restored);
    values = restored;
  }
  const [lo, hi] = options.range === 'auto' ? dataRange(values) : numberRange('range', options.range, [0, 255]);
  const max = depth === 16 ? 65535 : 255;
  const pixels = depth === 16 ? new Uint16Array(values.length) : new Uint8Array(values.length);
  const gain = max / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round((values[i] - lo) * gain);
    pixels[i] = v < 0 ? 0 : v > max ? max : v;
  }

  const height = g.shape[g.batched ? 1 : 0];
  const width = g.shape[g.batched ? 2 : 1];
  const sharp = await loadSharp();
  const space = g.channels <= 2 ? (depth === 16 ? 'grey16' : 'b-w') : depth === 16 ? 'rgb16' : 'srgb';
  const png = await sharp(pixels, { raw: { width, height, channels: g.channels as 1 | 2 | 3 | 4 } })
    .toColourspace(space)
    .png({ compressionLevel: 6 })
    .toBuffer();
  await writeFileAtomic(path, png);
}

/** [min, max] of the values, widened to [v - 0.5, v + 0.5] for constant data. */
function dataRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  return lo < hi ? [lo, hi] : [lo - 0.5, lo + 0.5];
}
