/**
 * Scales one RGB photo with pixelprep on the chosen backend, timing it end to
 * end (upload → statistics → pass → values back on the host). On webgl the
 * statistics and the pass are pixelprep's webgl kernels ('PixelprepMoments',
 * 'PixelprepAffine'), called through tfjs's kernel registry.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AffinePlan, computeStats, createScaler, presetPlan, type Method, type PixelStats } from '../../src/index.js';
import type { PixelprepAffineAttrs, PixelprepMomentsAttrs } from '../../src/core/kernel_names.js';
import { statsFromMoments } from '../../src/core/pixel_stats.js';
import { mergeMomentBlocks } from '../../src/kernels/webgl/moments_kernel.js';

export interface PhotoRun {
  plan: AffinePlan;
  /** Float64 statistics of the photo (per channel). */
  before: PixelStats;
  /** The scaled values, [H, W, 3]. */
  scaled: Float32Array;
  /** Largest |round(invert(scaled)) - x|: 0 when the plan's inverse gives the photo back. */
  roundTrip: number;
  milliseconds: number;
}

const NEEDS_STATS = new Set(['center', 'standardize', 'positive-standardize', 'min-max']);

/** Little-endian int32 words of the bytes ('uint8x4'), zero-padded. */
function words(bytes: Uint8Array): Int32Array {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  return new Int32Array(padded.buffer);
}

async function statsOf(rgb: Uint8Array, shape: number[], backend: string): Promise<PixelStats> {
  if (backend !== 'webgl') return computeStats({ data: rgb, shape });
  const attrs: PixelprepMomentsAttrs = { layout: 'channels_last', spatialDims: 2, packing: 'uint8x4', shape, perImage: false };
  const x = tf.tensor1d(words(rgb), 'int32');
  const blocks = tf.engine().runKernel('PixelprepMoments', { x }, attrs) as tf.Tensor;
  x.dispose();
  const values = await blocks.data();
  blocks.dispose();
  return statsFromMoments(mergeMomentBlocks(values, attrs), 1);
}

function attrsOf(plan: AffinePlan, shape: number[], packing: 'uint8x4' | 'none'): PixelprepAffineAttrs {
  const k = plan.coefficients;
  return {
    layout: 'channels_last', spatialDims: 2, packing, shape, images: k.images, channels: k.channels,
    scale: [...k.scale], offset: [...k.offset], clip: k.clip ? [...k.clip] : [],
    postScale: k.post?.scale ?? 1, postOffset: k.post?.offset ?? 0, channelOrder: k.channelOrder ? [...k.channelOrder] : [],
  };
}

async function apply(plan: AffinePlan, x: { data: Uint8Array | Float32Array; shape: number[] }, backend: string): Promise<Float32Array> {
  let y: tf.Tensor;
  if (backend === 'webgl') {
    const raw = x.data instanceof Uint8Array;
    const input = raw ? tf.tensor1d(words(x.data as Uint8Array), 'int32') : tf.tensor(x.data, x.shape, 'float32');
    y = tf.engine().runKernel('PixelprepAffine', { x: input }, attrsOf(plan, x.shape, raw ? 'uint8x4' : 'none')) as tf.Tensor;
    input.dispose();
  } else {
    y = plan.apply(x);
  }
  const out = (await y.data()) as Float32Array;
  y.dispose();
  return out;
}

/** `choice` is a method name or 'preset:<mode>'. */
export async function scalePhoto(rgb: Uint8Array, height: number, width: number, choice: string, per: 'channel' | 'global', backend: string): Promise<PhotoRun> {
  const shape = [height, width, 3];
  const started = performance.now();
  const before = await statsOf(rgb, shape, backend);
  const plan = choice.startsWith('preset:')
    ? presetPlan(choice.slice('preset:'.length), { channels: 3 })
    : createScaler(NEEDS_STATS.has(choice) ? { method: choice as Method, per, stats: before } : { method: choice as Method }).plan({ data: rgb, shape });
  const scaled = await apply(plan, { data: rgb, shape }, backend);
  const milliseconds = performance.now() - started;
  const restored = await apply(plan.inverse(), { data: scaled, shape }, backend);
  let roundTrip = 0;
  for (let i = 0; i < rgb.length; i++) roundTrip = Math.max(roundTrip, Math.abs(Math.round(restored[i]) - rgb[i]));
  return { plan, before, scaled, roundTrip, milliseconds };
}
