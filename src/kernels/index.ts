/**
 * Kernel registry: which implementation runs a plan on which tfjs backend.
 * Backends in FUSED_KERNELS get one fused pass, on the host (cpu, and wasm,
 * whose output the host kernel writes straight into the backend's heap) or on
 * the device (webgpu); every other backend runs the composite op chain (the
 * path tfjs-node takes).
 */
import * as tf from '@tensorflow/tfjs-core';
import { getBackend } from '../backends/select.js';
import { PixelprepError } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { assertFinite, hostPixelsOf, inspectInput, isRawBatch, type HostPixels, type PixelInput } from '../core/input.js';
import { valueCount, type Geometry } from '../core/layout.js';
import type { AffineCoefficients, AffinePlan } from '../core/plan.js';
import { affineComposite } from './composite.js';
import { affineCpu } from './host/affine.js';
import { affineIntoWasmHeap } from './wasm/backend_output.js';
import { affineWebGpu } from './webgpu/affine_kernel.js';
import { isPixelprepBackend } from './webgpu/webgpu_backend.js';

export const KERNEL_CHOICES = ['auto', 'fused', 'composite'] as const;
export type KernelChoice = (typeof KERNEL_CHOICES)[number];

/** A fused kernel: checked input and coefficients in, a new float32 tensor out. */
type FusedKernel = (x: PixelInput, g: Geometry, k: AffineCoefficients) => tf.Tensor;

/** The host kernel writing into a fresh Float32Array that becomes the tensor's storage (no copy on cpu). */
function affineHost(x: PixelInput, g: Geometry, k: AffineCoefficients): tf.Tensor {
  const host = hostPixelsOf(x, g);
  assertFinite(host.data);
  const out = new Float32Array(valueCount(g));
  affineCpu(host.data, g, k, out);
  return tf.tensor(out, g.shape as number[], 'float32');
}

/** The host kernel writing into the wasm backend's heap: one pass, no fresh JS allocation, no upload. */
function affineWasmHeap(x: PixelInput, g: Geometry, k: AffineCoefficients): tf.Tensor {
  const host = hostPixelsOf(x, g);
  assertFinite(host.data);
  return affineIntoWasmHeap(host, k) ?? affineHost(x, g, k);
}

/** Fused kernels by tfjs backend name. */
export const FUSED_KERNELS: Readonly<Record<string, FusedKernel>> = { cpu: affineHost, wasm: affineWasmHeap, webgpu: affineWebGpu };

/** The kernel that `choice` resolves to on the current tfjs backend. */
export function resolveKernel(choice: KernelChoice): 'fused' | 'composite' {
  const backend = getBackend();
  const hasFused = backend in FUSED_KERNELS;
  if (choice === 'fused' && !hasFused) {
    throw new PixelprepError('E_BACKEND', `Expected a backend with a fused kernel (${Object.keys(FUSED_KERNELS).join(', ')}) for kernel 'fused' but the current tfjs backend is '${backend}'`);
  }
  if (choice === 'composite') return 'composite';
  return hasFused ? 'fused' : 'composite';
}

/** Throws E_SHAPE when the plan's coefficient sets do not fit the input. */
export function checkPlanFits(plan: AffinePlan, g: Geometry): void {
  const { images, channels } = plan.coefficients;
  if (channels !== 1 && channels !== g.channels) {
    throw new PixelprepError('E_SHAPE', `Expected input with ${channels} channels (${plan.layout}) for this plan but received shape [${g.shape.join(',')}] with ${g.channels}`);
  }
  const order = plan.coefficients.channelOrder;
  if (order && order.length !== g.channels) {
    throw new PixelprepError('E_SHAPE', `Expected input with ${order.length} channels (the plan reorders channels) but received shape [${g.shape.join(',')}] with ${g.channels}`);
  }
  if (images !== 1 && images !== g.images) {
    throw new PixelprepError('E_SHAPE', `Expected a batch of ${images} images (the plan holds per-image statistics) but received ${g.images}`);
  }
}

/** Applies `plan` to `x` and returns a new float32 tensor of the same shape. */
export function runPlan(x: PixelInput, plan: AffinePlan, choice: KernelChoice): tf.Tensor {
  const options = { layout: plan.layout, spatialDims: plan.spatialDims };
  if (resolveKernel(choice) === 'fused') {
    const { geometry } = inspectInput(x, options);
    checkPlanFits(plan, geometry);
    return FUSED_KERNELS[getBackend()](x, geometry, plan.coefficients);
  }
  const { geometry, dtype } = inspectInput(x, options);
  checkPlanFits(plan, geometry);
  if (isRawBatch(x)) assertFinite(x.data);
  const backend = tf.backend();
  const scanOutput = dtype === 'float32' && !isRawBatch(x) && isPixelprepBackend(backend);
  if (dtype === 'float32' && !isRawBatch(x) && !scanOutput) assertFiniteTensor(x);
  const y = tf.tidy(() => affineComposite(isRawBatch(x) ? rawToTensor(x, geometry) : x, geometry, plan.coefficients));
  // webgpu in Node cannot read synchronously: NaN/Infinity in the input reaches the output and is caught when it is read.
  if (scanOutput) backend.scanWhenRead(y.dataId);
  return y;
}

/** The fused CPU kernel into a caller's buffer, whatever the tfjs backend (no tensors, no allocation). */
export function runPlanInto(host: HostPixels, plan: AffinePlan, out: Float32Array): void {
  checkPlanFits(plan, host.geometry);
  if (!(out instanceof Float32Array) || out.length !== host.data.length) {
    throw new PixelprepError('E_ARGUMENT', `Expected out to be a Float32Array of length ${host.data.length} but received ${out instanceof Float32Array ? `length ${out.length}` : describe(out)}`);
  }
  assertFinite(host.data);
  affineCpu(host.data, host.geometry, plan.coefficients, out);
}

function rawToTensor(x: Exclude<PixelInput, tf.Tensor>, g: Geometry): tf.Tensor {
  const shape = g.shape as number[];
  if (x.data instanceof Float32Array) return tf.tensor(x.data, shape, 'float32');
  if (x.data instanceof Float64Array) return tf.tensor(Float32Array.from(x.data), shape, 'float32');
  return tf.tensor(x.data instanceof Int32Array ? x.data : Int32Array.from(x.data), shape, 'int32');
}

/** x * 0 sums to NaN exactly when x holds a NaN or ±Infinity; one scalar comes back to the host. */
function assertFiniteTensor(x: tf.Tensor): void {
  const probe = tf.tidy(() => tf.sum(tf.mul(x, 0)));
  const value = probe.dataSync()[0];
  probe.dispose();
  if (!Number.isNaN(value)) return;
  assertFinite(x.dataSync() as Float32Array);
}
