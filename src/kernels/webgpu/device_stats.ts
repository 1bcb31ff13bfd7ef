/**
 * Statistics computed on the webgpu device: each workgroup reduces a block of
 * one (image, channel) (see stats_program.ts), one small buffer comes back,
 * and the blocks are merged on the host in float64 with Chan's formula, the
 * same merge the CPU accumulator uses. uint8 and uint16 blocks are exact
 * integer sums; int32 and float32 blocks are compensated float-float sums.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { groupMoments } from '../../core/compute_stats.js';
import { PixelprepError } from '../../core/errors.js';
import { inspectInput, type PixelInput } from '../../core/input.js';
import { type Geometry, type GeometryOptions, type Layout } from '../../core/layout.js';
import { PERS } from '../../core/methods.js';
import type { StatsOptions } from '../../core/compute_stats.js';
import { emptyMoments, mergeInto, type Moments } from '../../core/moments.js';
import { statsFromMoments, type PixelStats } from '../../core/pixel_stats.js';
import { oneOf } from '../../core/validate.js';
import { INPUT_ENCODINGS, type InputEncoding } from './affine_program.js';
import { checkFitsDevice, deviceInput } from './device_input.js';
import { BLOCK_PIXELS, BLOCK_WORDS, blocksPerGroup, isIntegerEncoding, MomentsProgram } from './stats_program.js';
import { isPixelprepBackend } from './webgpu_backend.js';

/** tfjs kernel name of the device reduction. */
export const MOMENTS_KERNEL = 'PixelprepMoments';

const TWO_32 = 2 ** 32;

/**
 * Float64 moments of every (image, channel) of `x`, reduced on the webgpu device.
 * Resolves to the same shape of result as the host's `momentsOf`: `moments[n * C + c]`.
 *
 * @throws PixelprepError E_BACKEND when the current backend is not pixelprep's webgpu backend,
 *   E_VALUE when the data holds NaN or ±Infinity, E_SHAPE for bad shapes.
 * @example
 * await setBackend('webgpu');
 * const { moments } = await deviceMoments({ data: bytes, shape: [32, 224, 224, 3] });
 */
export async function deviceMoments(x: PixelInput, options: GeometryOptions = {}): Promise<{ geometry: Geometry; moments: Moments[] }> {
  const { geometry } = inspectInput(x, options);
  const backend = tf.backend();
  if (!isPixelprepBackend(backend)) {
    throw new PixelprepError('E_BACKEND', `Expected pixelprep's webgpu backend (select it with setBackend('webgpu')) but the current tfjs backend is '${tf.getBackend()}'`);
  }
  checkFitsDevice(geometry, backend);
  backend.watch.check('starting the device reduction');
  const input = deviceInput(x, geometry, backend);
  let words: tf.Tensor;
  try {
    words = tf.engine().runKernel(MOMENTS_KERNEL, { x: input.tensor }, {
      encoding: input.encoding,
      layout: geometry.layout,
      groups: geometry.images * geometry.channels,
      channels: geometry.channels,
      pixels: geometry.pixels,
    }) as tf.Tensor;
  } finally {
    if (input.owned) input.tensor.dispose();
  }
  const data = await words.data().finally(() => words.dispose());
  if (!(data instanceof Int32Array)) throw new PixelprepError('E_BACKEND', `Expected the device reduction to return int32 words but received ${data.constructor.name}`);
  return { geometry, moments: mergeBlocks(data, geometry, input.encoding) };
}

/**
 * Like `computeStats`, with the reduction on the webgpu device: count, mean,
 * population std, min and max per channel (or pooled with per 'global').
 *
 * @example
 * const stats = await computeStatsOnDevice(batch, { per: 'channel' });
 * @throws PixelprepError as deviceMoments.
 */
export async function computeStatsOnDevice(x: PixelInput, options: StatsOptions = {}): Promise<PixelStats> {
  const per = oneOf('per', options.per, PERS, 'channel');
  const { geometry, moments } = await deviceMoments(x, options);
  return statsFromMoments(groupMoments(moments, geometry, false, per), geometry.images);
}

/** Merges the blocks' words into float64 moments per (image, channel). */
export function mergeBlocks(words: Int32Array, g: Geometry, encoding: InputEncoding): Moments[] {
  const floats = new Float32Array(words.buffer, words.byteOffset, words.length);
  const per = blocksPerGroup(g.pixels);
  const groups = g.images * g.channels;
  const result: Moments[] = Array.from({ length: groups }, emptyMoments);
  for (let group = 0; group < groups; group++) {
    for (let b = 0; b < per; b++) {
      const w = (group * per + b) * BLOCK_WORDS;
      const count = Math.min(BLOCK_PIXELS, g.pixels - b * BLOCK_PIXELS);
      if (isIntegerEncoding(encoding)) {
        const sum = (words[w] >>> 0) + (words[w + 1] >>> 0) * TWO_32;
        const squares = (words[w + 2] >>> 0) + (words[w + 3] >>> 0) * TWO_32;
        mergeInto(result[group], count, sum / count, Math.max(squares - (sum * sum) / count, 0), words[w + 4] >>> 0, words[w + 5] >>> 0);
        continue;
      }
      const bad = words[w + 7] >>> 0;
      if (bad > 0) {
        const n = Math.floor(group / g.channels);
        throw new PixelprepError('E_VALUE', `Expected finite pixel values in x but image ${n}, channel ${group % g.channels} holds ${bad} NaN or ±Infinity value(s)`);
      }
      const sum = floats[w] + floats[w + 1];
      const squares = floats[w + 2] + floats[w + 3];
      const shift = floats[w + 6];
      mergeInto(result[group], count, shift + sum / count, Math.max(squares - (sum * sum) / count, 0), floats[w + 4], floats[w + 5]);
    }
  }
  return result;
}

function runMoments(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { inputs, backend, attrs } = args;
  if (!isPixelprepBackend(backend)) throw new PixelprepError('E_BACKEND', `Expected pixelprep's webgpu backend to run '${MOMENTS_KERNEL}'`);
  const a = attrs ?? {};
  const encoding = a.encoding as InputEncoding;
  if (!INPUT_ENCODINGS.includes(encoding)) throw new PixelprepError('E_ARGUMENT', `Expected an input encoding among ${INPUT_ENCODINGS.join(', ')} but received ${String(a.encoding)}`);
  const pixels = a.pixels as number;
  const groups = a.groups as number;
  const program = new MomentsProgram({ groups, pixels, encoding, layout: a.layout as Layout });
  const uniforms = [
    { type: 'int32', data: [a.channels as number] },
    { type: 'int32', data: [pixels] },
    { type: 'int32', data: [blocksPerGroup(pixels)] },
    { type: 'int32', data: [groups * blocksPerGroup(pixels)] },
    { type: 'float32', data: [1] },
  ];
  const { x } = inputs;
  if (!x) throw new PixelprepError('E_ARGUMENT', `Expected input x for '${MOMENTS_KERNEL}'`);
  const flatX = { dataId: x.dataId, shape: [tf.util.sizeFromShape(x.shape)], dtype: x.dtype };
  return backend.runWebGPUProgram(program, [flatX], 'int32', uniforms);
}

/** The tfjs registration of the device reduction for the webgpu backend. */
export const momentsKernelConfig: KernelConfig = { kernelName: MOMENTS_KERNEL, backendName: 'webgpu', kernelFunc: runMoments };
