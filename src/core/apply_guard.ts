/**
 * The checks every plan application makes before a kernel writes anything:
 * outputs provably finite in float32 (float32_range.ts), and an output buffer
 * that aliases the input handled correctly (overlap.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { FLOAT32_MAX, checkFloat32Outputs, overallRange, valueRanges, type AffineBounds, type ValueRange } from './float32_range.js';
import { pixelDtypeOf, type HostPixels, type PixelInput } from './input.js';
import { resolveGeometry, type GeometryOptions } from './layout.js';
import { buffersOverlap, sameElements } from './overlap.js';

/**
 * The pixels a host kernel may read while it writes `out`, after proving the
 * outputs finite. The kernels read each element before writing the same
 * index, so `out` may be exactly the input (in place) when no channel
 * permutation moves values between indices; any other overlap (a shifted
 * view, another element type over the same bytes, a permutation) gets a copy
 * of the input, so the result is what it would be with separate buffers.
 * @throws PixelprepError E_VALUE when an output would not be finite in float32.
 */
export function guardPlanInto(host: HostPixels, k: AffineBounds, out: Float32Array): HostPixels {
  if (!provenByType(k, host.dtype) && !provenOver(k, overallRange(host.data))) checkFloat32Outputs(k, valueRanges(host.data, host.geometry));
  if (!buffersOverlap(host.data, out)) return host;
  if (sameElements(host.data, out) && !k.channelOrder) return host;
  return { ...host, data: host.data.slice() };
}

/** The range every value of an element type lies in (float64 data has none that float32 can hold). */
const TYPE_RANGES: Readonly<Partial<Record<string, ValueRange>>> = {
  uint8: { min: 0, max: 255 },
  uint16: { min: 0, max: 65535 },
  int32: { min: -(2 ** 31), max: 2 ** 31 - 1 },
  float32: { min: -FLOAT32_MAX, max: FLOAT32_MAX },
};

/**
 * True when the plan is finite over every value the element type can hold:
 * then the data need not be scanned (uint8 pixels with any ordinary plan,
 * float32 data with |scale| ≤ 1 and small offsets).
 */
function provenByType(k: AffineBounds, dtype: string): boolean {
  const range = TYPE_RANGES[dtype];
  return range !== undefined && provenOver(k, range);
}

/** True when the plan is finite over `range` for every image and channel (a pooled range, so a sound shortcut). */
function provenOver(k: AffineBounds, range: ValueRange): boolean {
  if (!(Number.isFinite(range.min) && Number.isFinite(range.max))) return false;
  // The same range for every input channel of every image the coefficients cover.
  const row = Array.from({ length: Math.max(k.channels, k.channelOrder?.length ?? 0) }, () => range);
  try {
    checkFloat32Outputs(k, Array.from({ length: k.images }, () => row));
    return true;
  } catch {
    return false;
  }
}

/**
 * Proves a plan's outputs finite for input `x`: host data is scanned; a
 * tensor's overall min and max are reduced on its backend and read back, then,
 * only when those do not prove it, its per image and channel min and max
 * (2·N·C numbers); webgpu is skipped, as its kernel scans its output when it
 * is read.
 * @throws PixelprepError E_VALUE as checkFloat32Outputs; E_SHAPE for a shape the layout cannot read.
 */
export function checkPlanInput(k: AffineBounds, x: PixelInput, options: GeometryOptions): void {
  if (!(x instanceof tf.Tensor)) {
    if (typeof x !== 'object' || x === null || !('data' in x) || !('shape' in x)) return; // the kernel reports a malformed input
    if (provenByType(k, pixelDtypeOf(x.data)) || provenOver(k, overallRange(x.data))) return;
    const geometry = resolveGeometry(x.shape, options);
    checkFloat32Outputs(k, valueRanges(x.data, geometry));
    return;
  }
  if (provenByType(k, x.dtype)) return;
  // webgpu in Node cannot read back synchronously; its kernel scans the output when it is read instead.
  if (tf.getBackend() === 'webgpu') return;
  // One pooled min and max first (a full reduction, no transpose): enough for most plans.
  const [low, high] = tf.tidy(() => [tf.min(x), tf.max(x)]);
  const overall = { min: low.dataSync()[0], max: high.dataSync()[0] };
  tf.dispose([low, high]);
  if (provenOver(k, overall)) return;
  const g = resolveGeometry(x.shape, options);
  const [mins, maxs] = tf.tidy(() => {
    const firstAxis = g.layout === 'channels_first';
    const grouped = tf.reshape(x, firstAxis ? [g.images, g.channels, g.pixels] : [g.images, g.pixels, g.channels]);
    return [tf.min(grouped, firstAxis ? 2 : 1), tf.max(grouped, firstAxis ? 2 : 1)];
  });
  const [lo, hi] = [mins.dataSync(), maxs.dataSync()];
  tf.dispose([mins, maxs]);
  const ranges: ValueRange[][] = Array.from({ length: g.images }, (_, n) => Array.from({ length: g.channels }, (_, c) => ({ min: lo[n * g.channels + c], max: hi[n * g.channels + c] })));
  checkFloat32Outputs(k, ranges);
}

