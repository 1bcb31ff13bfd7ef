/**
 * The PixelprepMoments op: exact moments per (image, channel), reduced by the
 * kernel registered for the current backend and merged here in float64.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from './errors.js';
import { inspectInput, readHostPixels, type HostPixels, type PixelInput } from './input.js';
import { momentsAttrs } from './kernel_attrs.js';
import { kernelInput } from './kernel_input.js';
import { PixelprepMoments } from './kernel_names.js';
import { currentBackend, ensureKernels, kernelProvider } from './kernel_registry.js';
import type { Geometry, GeometryOptions } from './layout.js';
import { decodeMomentPartials } from './moment_partials.js';
import type { Moments } from './moments.js';

/** Moments of every (image, channel), image-major (`moments[n * C + c]`). */
export interface InputMoments {
  geometry: Geometry;
  moments: Moments[];
}

/**
 * Moments of `x` per (image, channel), synchronously: through the kernel on
 * backends that read synchronously; on the others (webgpu in Node) from the
 * pixels read on the host (use computeStatsOnDevice for the device reduction).
 *
 * @throws PixelprepError E_SHAPE, E_DTYPE, E_VALUE (NaN/±Infinity, or squares beyond float64) on bad input.
 */
export function momentsOf(x: PixelInput, options: GeometryOptions): InputMoments {
  const backend = currentBackend();
  const provider = kernelProvider();
  if (!provider.readsSynchronously(backend)) return momentsOfHost(readHostPixels(x, options));
  const { geometry } = inspectInput(x, options);
  const input = kernelInput(x, geometry, provider.packings(backend, false));
  let words: Int32Array;
  try {
    ensureKernels(backend);
    const attrs = momentsAttrs(geometry, input.packing, true);
    const records = tf.engine().runKernel(PixelprepMoments, { x: input.tensor }, attrs) as tf.Tensor;
    try {
      words = records.dataSync() as Int32Array;
    } finally {
      records.dispose();
    }
  } finally {
    if (input.owned) input.tensor.dispose();
  }
  return checked(geometry, decodeMomentPartials(words, geometry.images * geometry.channels, geometry.channels));
}

/** Moments of pixels already on the host (the host kernel; no tensor). */
export function momentsOfHost(host: HostPixels): InputMoments {
  const { geometry } = host;
  const words = kernelProvider().momentsHost(host, true);
  return checked(geometry, decodeMomentPartials(words, geometry.images * geometry.channels, geometry.channels));
}

function checked(geometry: Geometry, moments: Moments[]): InputMoments {
  const overflow = moments.find((m) => !Number.isFinite(m.m2));
  if (overflow) throw new PixelprepError('E_VALUE', `Expected values whose squares fit in float64 but received values up to ${Math.max(Math.abs(overflow.min), Math.abs(overflow.max))}`);
  return { geometry, moments };
}
