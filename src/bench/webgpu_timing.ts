/**
 * Upload, kernel and download time of one plan on the webgpu backend, apart:
 * on a GPU the kernel is the cheap part and the bus decides, so a benchmark
 * row that only shows the total hides where the time goes.
 *
 * - fused: uint8/uint16 packed into 32-bit words on the host, one WGSL pass.
 * - composite: the tfjs op chain (cast, gather, sub, mul, add...) from an
 *   int32 (or float32) tensor, as the composite path uploads it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from '../core/errors.js';
import { inspectInput, type RawBatch } from '../core/input.js';
import { checkPlanFits } from '../kernels/index.js';
import { affineComposite } from '../kernels/composite.js';
import type { Geometry } from '../core/layout.js';
import type { AffinePlan } from '../core/plan.js';
import { isNumber } from '../core/validate.js';
import type { WebGpuAdapterSummary } from '../kernels/webgpu/adapter.js';
import { affineOnDevice } from '../kernels/webgpu/affine_kernel.js';
import { checkFitsDevice, deviceInput, type DeviceInput } from '../kernels/webgpu/device_input.js';
import { isPixelprepBackend, type PixelprepWebGpuBackend } from '../kernels/webgpu/webgpu_backend.js';

export interface WebGpuTimingOptions {
  /** 'fused' (default): the WGSL kernel; 'composite': the tfjs op chain. */
  kernel?: 'fused' | 'composite';
  /** Timed runs; the medians are reported. Default 5. */
  repeats?: number;
  /** Untimed runs first (shader compilation, buffer pools). Default 1. */
  warmup?: number;
}

/** Median milliseconds of each phase over `repeats` runs. */
export interface WebGpuAffineTimings {
  kernel: 'fused' | 'composite';
  adapter: WebGpuAdapterSummary;
  shape: number[];
  /** Host → device: packing (fused) or int32 conversion (composite), copy, and queue completion. */
  uploadMs: number;
  /** The kernel (or op chain) until the queue is idle. */
  kernelMs: number;
  /** Device → host: staging copy, map, and the copy out. */
  downloadMs: number;
  /** Sum of the medians. */
  totalMs: number;
  /** Bytes uploaded per run. */
  uploadBytes: number;
  /** Bytes downloaded per run (float32 output). */
  downloadBytes: number;
  repeats: number;
}

/**
 * Times `plan` on a raw batch on the current (webgpu) backend, upload, kernel and download apart.
 *
 * @example
 * await setBackend('webgpu');
 * const t = await timeWebGpuAffine({ data: bytes, shape: [32, 224, 224, 3] }, plan, { kernel: 'fused' });
 * console.log(t.uploadMs, t.kernelMs, t.downloadMs);
 * @throws PixelprepError E_BACKEND when the current backend is not pixelprep's webgpu backend, E_ARGUMENT for bad options.
 */
export async function timeWebGpuAffine(x: RawBatch, plan: AffinePlan, options: WebGpuTimingOptions = {}): Promise<WebGpuAffineTimings> {
  const backend = tf.backend();
  if (!isPixelprepBackend(backend)) {
    throw new PixelprepError('E_BACKEND', `Expected pixelprep's webgpu backend (select it with setBackend('webgpu')) but the current tfjs backend is '${tf.getBackend()}'`);
  }
  const kernel = options.kernel ?? 'fused';
  if (kernel !== 'fused' && kernel !== 'composite') throw new PixelprepError('E_ARGUMENT', `Expected kernel 'fused' or 'composite' but received ${String(kernel)}`);
  const repeats = count('repeats', options.repeats, 5, 1);
  const warmup = count('warmup', options.warmup, 1, 0);
  const { geometry } = inspectInput(x, plan);
  checkPlanFits(plan, geometry);
  checkFitsDevice(geometry, backend);
  const runs: number[][] = [];
  let uploadBytes = 0;
  for (let r = 0; r < warmup + repeats; r++) {
    const run = await timeOnce(x, geometry, plan, kernel, backend);
    uploadBytes = run[3];
    if (r >= warmup) runs.push(run);
  }
  const median = (i: number) => {
    const sorted = runs.map((run) => run[i]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  const [uploadMs, kernelMs, downloadMs] = [median(0), median(1), median(2)];
  return {
    kernel,
    adapter: backend.adapter,
    shape: [...geometry.shape],
    uploadMs,
    kernelMs,
    downloadMs,
    totalMs: uploadMs + kernelMs + downloadMs,
    uploadBytes,
    downloadBytes: 4 * x.data.length,
    repeats,
  };
}

/** One run: [upload ms, kernel ms, download ms, bytes uploaded]. */
async function timeOnce(x: RawBatch, g: Geometry, plan: AffinePlan, kernel: 'fused' | 'composite', backend: PixelprepWebGpuBackend): Promise<number[]> {
  const t0 = performance.now();
  const input: DeviceInput = kernel === 'fused' ? deviceInput(x, g, backend) : compositeInput(x, g);
  backend.uploadToGPU(input.tensor.dataId);
  await drain(backend);
  const t1 = performance.now();
  const y = kernel === 'fused' ? affineOnDevice(input, g, plan.coefficients) : affineComposite(input.tensor, g, plan.coefficients);
  await drain(backend);
  const t2 = performance.now();
  await y.data();
  const t3 = performance.now();
  const bytes = input.tensor.size * 4;
  tf.dispose([y, input.tensor]);
  return [t1 - t0, t2 - t1, t3 - t2, bytes];
}

/** What the composite path uploads (shaped like x): int32 for integer pixels, float32 otherwise. */
function compositeInput(x: RawBatch, g: Geometry): DeviceInput {
  const data = x.data;
  const integer = !(data instanceof Float32Array || data instanceof Float64Array);
  const shape = g.shape as number[];
  const tensor = integer
    ? tf.tensor(data instanceof Int32Array ? data : Int32Array.from(data), shape, 'int32')
    : tf.tensor(data instanceof Float32Array ? data : Float32Array.from(data), shape, 'float32');
  return { tensor, encoding: integer ? 'i32' : 'f32', owned: true, unchecked: false };
}

/** Submits everything recorded and waits until the device has run it. */
async function drain(backend: PixelprepWebGpuBackend): Promise<void> {
  backend.endComputePassEncoder();
  backend.ensureCommandEncoderReady();
  backend.submitQueue();
  await backend.queue.onSubmittedWorkDone();
  backend.watch.check('timing a kernel');
}

function count(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!isNumber(value) || !Number.isInteger(value) || value < min) throw new PixelprepError('E_ARGUMENT', `Expected ${name} to be an integer ≥ ${min} but received ${String(value)}`);
  return value;
}
