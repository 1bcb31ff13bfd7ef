/**
 * The browser benchmark's page (bundled by esbuild, run in Chromium): on one
 * GPU backend, pixelprep's fused kernel against the tfjs op chain, end to end
 * from host uint8 bytes to float32 values read back on the host, on the same
 * batch in the same page, with warm-up and repeats in alternation.
 *
 * - fused: `plan.apply({ data, shape })` → data(): the bytes travel packed
 *   'uint8x4' to 'PixelprepAffine' (the GLSL or WGSL kernel).
 * - op chain: int32 tensor of the bytes → cast → sub(mean) → div(std) → data().
 * - readback: data() alone of a [32,224,224,3] float32 output already computed,
 *   the floor both paths share.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import { setBackend } from '../../backends/select.js';
import { AffinePlan } from '../../core/plan.js';
import '../../kernels/register_all_kernels.js';

/** ImageNet's per-channel mean and std on the 0..255 scale: a per-channel standardization. */
const MEAN = [123.675, 116.28, 103.53];
const STD = [58.395, 57.12, 57.375];

export interface BrowserBenchRequest {
  backend: 'webgl' | 'webgpu';
  shape: number[];
}

export interface BrowserBenchReply {
  backend: string;
  available: boolean;
  reason?: string;
  renderer?: string;
  /** Largest |fused - op chain| over the batch (both float32). */
  agreement?: number;
}

async function start(backend: 'webgl' | 'webgpu'): Promise<string> {
  if (backend === 'webgl') {
    if (!(await tf.setBackend('webgl'))) throw new Error('tfjs could not create a WebGL context');
    const gl = Reflect.get(Reflect.get(tf.backend(), 'gpgpu'), 'gl');
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  }
  await setBackend('webgpu');
  const adapter = await Reflect.get(Reflect.get(globalThis, 'navigator'), 'gpu').requestAdapter();
  const info = adapter?.info ?? {};
  return [info.vendor, info.architecture, info.description].filter(Boolean).join(' / ') || 'unknown adapter';
}

/** Deterministic bytes (xorshift), so both paths see the same batch. */
function batchBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = 2463534242;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 255;
  }
  return out;
}

/** The two implementations on one batch, ready to time (Node calls `time` once per run, alternating). */
let prepared: { fused: () => Promise<Float32Array>; opChain: () => Promise<Float32Array>; readback: () => Promise<number> } | null = null;

async function prepare(request: BrowserBenchRequest): Promise<BrowserBenchReply> {
  let renderer: string;
  try {
    renderer = await start(request.backend);
  } catch (error) {
    return { backend: request.backend, available: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const { shape } = request;
  const bytes = batchBytes(shape.reduce((a, b) => a * b, 1));
  const plan = new AffinePlan({ images: 1, channels: 3, scale: STD.map((s) => 1 / s), offset: MEAN.map((m, c) => -m / STD[c]), clip: null, post: null });
  const fused = async (): Promise<Float32Array> => {
    const y = plan.apply({ data: bytes, shape });
    const out = (await y.data()) as Float32Array;
    y.dispose();
    return out;
  };
  const mean = tf.tensor1d(MEAN);
  const std = tf.tensor1d(STD);
  const opChain = async (): Promise<Float32Array> => {
    const x = tf.tensor(Int32Array.from(bytes), shape, 'int32');
    const y = tf.tidy(() => tf.div(tf.sub(tf.cast(x, 'float32'), mean), std));
    x.dispose();
    const out = (await y.data()) as Float32Array;
    y.dispose();
    return out;
  };
  /** The readback alone: the fused output is computed first (one value read), then only data() is timed. */
  const readback = async (): Promise<number> => {
    const y = plan.apply({ data: bytes, shape });
    const corner = tf.slice(y, [0, 0, 0, 0], [1, 1, 1, 1]);
    await corner.data();
    corner.dispose();
    const t0 = performance.now();
    await y.data();
    const ms = performance.now() - t0;
    y.dispose();
    return ms;
  };
  prepared = { fused, opChain, readback };
  const a = await fused();
  const b = await opChain();
  let agreement = 0;
  for (let i = 0; i < a.length; i++) agreement = Math.max(agreement, Math.abs(a[i] - b[i]));
  return { backend: request.backend, available: true, renderer, agreement };
}

/** Milliseconds of one end-to-end run of `which` ('readback': of reading back an output already computed). */
async function time(which: 'fused' | 'opChain' | 'readback'): Promise<number> {
  if (!prepared) throw new Error('prepare() first');
  if (which === 'readback') return prepared.readback();
  const t0 = performance.now();
  await prepared[which]();
  return performance.now() - t0;
}

Reflect.set(globalThis, 'pixelprepBench', { prepare, time });
