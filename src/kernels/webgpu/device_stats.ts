/**
 * Statistics computed on the webgpu device: PixelprepMoments reduces each
 * block of one (image, channel) in a workgroup (stats_program.ts), one small
 * buffer of records comes back, and core merges the records on the host in
 * float64 with Chan's formula (decodeMomentPartials), the same merge every
 * backend's records go through. uint8 and uint16 blocks are exact integer
 * sums; int32 and float32 blocks are compensated float-float sums.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { groupMoments, type StatsOptions } from '../../core/compute_stats.js';
import { PixelprepError } from '../../core/errors.js';
import { inspectInput, type PixelInput } from '../../core/input.js';
import { geometryOfAttrs, momentsAttrs } from '../../core/kernel_attrs.js';
import { PixelprepMoments, type PixelprepMomentsAttrs } from '../../core/kernel_names.js';
import type { Geometry, GeometryOptions } from '../../core/layout.js';
import { PERS } from '../../core/methods.js';
import { decodeMomentPartials } from '../../core/moment_partials.js';
import type { Moments } from '../../core/moments.js';
import { statsFromMoments, type PixelStats } from '../../core/pixel_stats.js';
import { oneOf } from '../../core/validate.js';
import { checkFitsDevice, deviceInput, encodingOf } from './device_input.js';
import { BLOCK_WORDS, blocksPerGroup, MomentsProgram } from './stats_program.js';
import { isPixelprepBackend } from './webgpu_backend.js';

/** tfjs kernel name of the device reduction. */
export const MOMENTS_KERNEL = PixelprepMoments;

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
  const input = deviceInput(x, geometry, backend);
  const packing = input.encoding === 'u8x4' ? 'uint8x4' : input.encoding === 'u16x2' ? 'uint16x2' : 'none';
  let records: tf.Tensor;
  try {
    records = tf.engine().runKernel(PixelprepMoments, { x: input.tensor }, momentsAttrs(geometry, packing, true)) as tf.Tensor;
  } finally {
    if (input.owned) input.tensor.dispose();
  }
  const data = await records.data().finally(() => records.dispose());
  if (!(data instanceof Int32Array)) throw new PixelprepError('E_BACKEND', `Expected the device reduction to return int32 words but received ${data.constructor.name}`);
  return { geometry, moments: decodeMomentPartials(data, geometry.images * geometry.channels, geometry.channels) };
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

function runMoments({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  if (!isPixelprepBackend(backend)) throw new PixelprepError('E_BACKEND', `Expected pixelprep's webgpu backend (select it with setBackend('webgpu')) to run '${PixelprepMoments}'`);
  const { x } = inputs;
  if (!x) throw new PixelprepError('E_ARGUMENT', `Expected input x for '${PixelprepMoments}' but received none`);
  const a = attrs as PixelprepMomentsAttrs;
  const g = geometryOfAttrs(a);
  checkFitsDevice(g, backend);
  backend.watch.check('starting the device reduction');
  const encoding = encodingOf(a.packing, x, backend);
  const groups = g.images * g.channels;
  const program = new MomentsProgram({ groups, pixels: g.pixels, encoding, layout: g.layout });
  const blocks = groups * blocksPerGroup(g.pixels);
  const uniforms = [
    { type: 'int32', data: [g.channels] },
    { type: 'int32', data: [g.pixels] },
    { type: 'int32', data: [blocksPerGroup(g.pixels)] },
    { type: 'int32', data: [blocks] },
    { type: 'int32', data: [a.perImage ? groups : g.channels] },
    { type: 'float32', data: [1] },
  ];
  const flatX = { dataId: x.dataId, shape: [tf.util.sizeFromShape(x.shape)], dtype: x.dtype };
  const out = backend.runWebGPUProgram(program, [flatX], 'int32', uniforms);
  return { dataId: out.dataId, shape: [blocks, BLOCK_WORDS], dtype: 'int32' };
}

/** The tfjs registration of the device reduction for the webgpu backend. */
export const momentsKernelConfig: KernelConfig = { kernelName: PixelprepMoments, backendName: 'webgpu', kernelFunc: runMoments };
