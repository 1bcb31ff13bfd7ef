/**
 * Scales one RGB photo with pixelprep on the chosen backend, timing it end to
 * end (upload → statistics → pass → values back on the host). The statistics
 * and the pass are the kernels registered for the backend ('PixelprepMoments',
 * 'PixelprepAffine'; on webgl pixelprep's GLSL kernels).
 */
import * as tf from '@tensorflow/tfjs-core';
import { AffinePlan, computeStats, createScaler, presetPlan, type Method, type PixelStats } from '../../src/index.js';

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

/** The plan applied through tfjs's kernel registry (on webgl, pixelprep's GLSL kernel), values read back. */
async function apply(plan: AffinePlan, x: { data: Uint8Array | Float32Array; shape: number[] }): Promise<Float32Array> {
  const y = plan.apply(x);
  const out = (await y.data()) as Float32Array;
  y.dispose();
  return out;
}

/** `choice` is a method name or 'preset:<mode>'. */
export async function scalePhoto(rgb: Uint8Array, height: number, width: number, choice: string, per: 'channel' | 'global'): Promise<PhotoRun> {
  const shape = [height, width, 3];
  const started = performance.now();
  const before = computeStats({ data: rgb, shape });
  const plan = choice.startsWith('preset:')
    ? presetPlan(choice.slice('preset:'.length), { channels: 3 })
    : createScaler(NEEDS_STATS.has(choice) ? { method: choice as Method, per, stats: before } : { method: choice as Method }).plan({ data: rgb, shape });
  const scaled = await apply(plan, { data: rgb, shape });
  const milliseconds = performance.now() - started;
  const restored = await apply(plan.inverse(), { data: scaled, shape });
  let roundTrip = 0;
  for (let i = 0; i < rgb.length; i++) roundTrip = Math.max(roundTrip, Math.abs(Math.round(restored[i]) - rgb[i]));
  return { plan, before, scaled, roundTrip, milliseconds };
}
