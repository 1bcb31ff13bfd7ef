/**
 * What the benchmark times for each method: pixelprep's `scale` (allocating,
 * returns a tensor) and `scaleInto` (the caller's reused buffer), and the
 * baselines it is compared with: the naive tfjs op chain, a plain JS loop
 * written the obvious way, and a memcpy of the same bytes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { computeStats } from '../core/compute_stats.js';
import { readHostPixels, type RawBatch } from '../core/input.js';
import { runPlanInto } from '../kernels/index.js';
import { MODE_FORMULAS } from '../presets/modes.js';
import { presetPlan } from '../presets/preset_plan.js';
import { scale, scaleInto, type ScalerOptions } from '../core/scaler.js';
import type { BenchMethod } from './grid.js';

/** Keras' 'caffe' preprocessing (VGG16, ResNet50): RGB → BGR, then subtract the ImageNet BGR means. */
const CAFFE_PLAN = presetPlan('caffe', { channels: 3 });
const KERAS_CAFFE_MEANS_BGR = MODE_FORMULAS.caffe.mean;

/** Scaler options per method (batch statistics, per channel, where statistics are needed). */
const SCALER_OPTIONS: Partial<Record<BenchMethod, ScalerOptions>> = {
  normalize: { method: 'normalize' },
  standardize: { method: 'standardize', per: 'channel', scope: 'batch' },
  'positive-standardize': { method: 'positive-standardize', per: 'channel', scope: 'batch' },
};

/** pixelprep's allocating call: a float32 tensor (or, for 'stats', the statistics). */
export function pixelprepScale(method: BenchMethod, x: RawBatch): tf.Tensor | object {
  if (method === 'stats') return computeStats(x, { per: 'channel' });
  if (method === 'keras-caffe') return CAFFE_PLAN.apply(x);
  return scale(x, SCALER_OPTIONS[method] ?? { method: 'normalize' });
}

/** pixelprep into the caller's buffer; null for 'stats' (no output). */
export function pixelprepInto(method: BenchMethod): ((x: RawBatch, out: Float32Array) => void) | null {
  if (method === 'stats') return null;
  if (method === 'keras-caffe') return (x, out) => runPlanInto(readHostPixels(x, {}), CAFFE_PLAN, out);
  const options = SCALER_OPTIONS[method] ?? { method: 'normalize' };
  return (x, out) => {
    scaleInto(x, out, options);
  };
}

/** The input as a tfjs user holds it: int32 for 8-bit pixels (tfjs has no uint8), else float32. */
export function inputTensor(x: RawBatch): tf.Tensor {
  const shape = [...x.shape];
  return x.data instanceof Uint8Array ? tf.tensor(Int32Array.from(x.data), shape, 'int32') : tf.tensor(x.data, shape, 'float32');
}

/**
 * The naive tfjs op chain a user writes by hand (cast, moments, sub, div...),
 * one kernel and one full pass over memory per op. Returns what it computed.
 */
export function opChain(method: BenchMethod, x: tf.Tensor): tf.Tensor[] {
  return tf.tidy(() => {
    const xf = tf.cast(x, 'float32');
    if (method === 'normalize') return [tf.div(xf, 255)];
    if (method === 'keras-caffe') return [tf.sub(tf.reverse(xf, -1), tf.tensor1d([...KERAS_CAFFE_MEANS_BGR]))];
    const { mean, variance } = tf.moments(xf, [0, 1, 2]);
    if (method === 'stats') return [mean, variance];
    const standardized = tf.div(tf.sub(xf, mean), tf.sqrt(variance));
    if (method === 'standardize') return [standardized];
    return [tf.add(tf.mul(tf.clipByValue(standardized, -1, 1), 0.5), 0.5)];
  });
}

/** Per-channel mean and population std the obvious way (index % 3). */
function obviousChannelStats(data: ArrayLike<number>): { mean: number[]; std: number[] } {
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  for (let i = 0; i < data.length; i++) sum[i % 3] += data[i];
  const count = data.length / 3;
  const mean = sum.map((s) => s / count);
  for (let i = 0; i < data.length; i++) {
    const d = data[i] - mean[i % 3];
    sq[i % 3] += d * d;
  }
  return { mean, std: sq.map((s) => Math.sqrt(s / count)) };
}

/** A plain JS loop written the obvious way: a fresh output, `%` for the channel. */
export function jsLoop(method: BenchMethod, x: RawBatch): Float32Array | object {
  const data = x.data;
  const n = data.length;
  if (method === 'stats') return obviousChannelStats(data);
  const out = new Float32Array(n);
  if (method === 'normalize') {
    for (let i = 0; i < n; i++) out[i] = data[i] / 255;
  } else if (method === 'keras-caffe') {
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      out[i] = data[i - c + 2 - c] - KERAS_CAFFE_MEANS_BGR[c];
    }
  } else {
    const { mean, std } = obviousChannelStats(data);
    const positive = method === 'positive-standardize';
    for (let i = 0; i < n; i++) {
      const y = (data[i] - mean[i % 3]) / std[i % 3];
      out[i] = positive ? Math.min(Math.max(y, -1), 1) * 0.5 + 0.5 : y;
    }
  }
  return out;
}

/** The memory floor: copying `bytes` bytes between two buffers allocated once. */
export function memcpyOf(bytes: number): () => void {
  const from = new Uint8Array(bytes).fill(1);
  const to = new Uint8Array(bytes);
  to.fill(0); // touch every page once so the timed copies see no page faults
  return () => to.set(from);
}

/** A fresh float32 output of `values` values, every page touched once (what any allocating call pays). */
export function freshOutput(values: number): Float32Array {
  return new Float32Array(values).fill(0);
}

/** Frees what a workload returned (tensors are disposed, host arrays left to the GC). */
export function release(result: unknown): void {
  if (result instanceof tf.Tensor) result.dispose();
  else if (Array.isArray(result)) for (const r of result) release(r);
}

/** Waits until a backend that runs asynchronously (webgpu) has finished, by reading the result back. */
export async function settle(result: unknown): Promise<void> {
  const backend = tf.getBackend();
  if (backend === 'cpu' || backend === 'wasm' || backend === 'tensorflow') return;
  if (result instanceof tf.Tensor) await result.data();
  else if (Array.isArray(result)) for (const r of result) await settle(r);
}
