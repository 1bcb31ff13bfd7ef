/**
 * NaN/±Infinity in float32 input to the op chains: on a backend that scans
 * tensors when they are read (pixelprep's webgpu backend) the output is marked
 * (NaN propagates to it); on any other, one scalar probe (x · 0 summed is NaN
 * exactly when x holds a non-finite value) is read synchronously. That readback
 * is unavoidable there: tfjs offers no hook on reads of a backend pixelprep does
 * not own (tfjs-node), and without it a NaN would reach the output.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertFinite } from '../../core/input.js';

/** A backend that checks a tensor for NaN/±Infinity when it is read (pixelprep's webgpu backend). */
interface ScanningBackend {
  scanWhenRead(dataId: object): void;
  hostValues(dataId: object): unknown;
}

const isScanningBackend = (backend: unknown): backend is ScanningBackend =>
  typeof backend === 'object' && backend !== null && 'scanWhenRead' in backend && typeof backend.scanWhenRead === 'function' && 'hostValues' in backend && typeof backend.hostValues === 'function';

/**
 * Throws E_VALUE when the float32 tensor `input` (a kernel's input, owned by
 * the caller) holds NaN/±Infinity: one scalar probe read synchronously.
 */
export function probeFiniteInput(backend: tf.KernelBackend, input: tf.TensorInfo): void {
  // A Tensor over the input's data for the probe: one more reference, released by x.dispose().
  backend.incRef(input.dataId);
  const x = tf.engine().makeTensorFromTensorInfo(input);
  try {
    probeFinite(x);
  } finally {
    x.dispose();
  }
}

/** x · 0 summed is NaN exactly when x holds NaN/±Infinity: one scalar read, the whole tensor only to name the bad value. */
function probeFinite(x: tf.Tensor): void {
  const probe = tf.tidy(() => tf.sum(tf.mul(x, 0)));
  const value = probe.dataSync()[0];
  probe.dispose();
  if (Number.isNaN(value)) assertFinite(x.dataSync() as Float32Array);
}

/** Throws E_VALUE (disposing `y`) when float32 `x` holds NaN/±Infinity, or marks `y` to be checked when read. */
export function guardFinite(x: tf.Tensor, y: tf.Tensor): void {
  try {
    const backend = tf.backend();
    if (isScanningBackend(backend)) {
      const host = backend.hostValues(x.dataId);
      if (host instanceof Float32Array) assertFinite(host);
      else backend.scanWhenRead(y.dataId);
      return;
    }
    probeFinite(x);
  } catch (error) {
    y.dispose();
    throw error;
  }
}
