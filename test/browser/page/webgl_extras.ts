/**
 * Cases beyond the matrix for the webgl kernels: every plan feature in one
 * pass, 16-bit data, volumes, words above 2^24, tfjs-resident int32, exact
 * moments of a full batch, compensated float moments, and the refusals.
 * Each expected value is a float64 loop written here.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PixelprepError } from '../../../src/core/errors.js';
import type { PixelprepAffineAttrs } from '../../../src/core/kernel_names.js';
import { maxError, randomBytes, reference, refStats } from '../../core/reference.js';
import type { CaseResult } from './matrix_cases.js';
import { kernelInput, packWords, webglMoments, webglScale } from './webgl_scale.js';

type Extra = { name: string; run: () => Promise<{ error: number; statsError?: number }> };

/** Float64 statistics of every value. */
const pooled = (values: ArrayLike<number>) => refStats(Array.from(values));

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

/** The error code a call throws, or 'none'. */
function codeOf(call: () => unknown): string {
  try {
    const out = call();
    if (out instanceof tf.Tensor) out.dispose();
    return 'none';
  } catch (error) {
    return error instanceof PixelprepError ? error.code : `not a PixelprepError: ${String(error)}`;
  }
}

/** A copy of `x` computed by a WebGL program (tfjs would compute small tensors on the CPU), so it lives in a float32 texture. */
function onTheGpu(x: tf.Tensor): tf.Tensor {
  const forward = tf.env().getBool('WEBGL_CPU_FORWARD');
  tf.env().set('WEBGL_CPU_FORWARD', false);
  try {
    return tf.tidy(() => tf.add(x, tf.scalar(0, 'int32')));
  } finally {
    tf.env().set('WEBGL_CPU_FORWARD', forward);
  }
}

const affineAttrs = (over: Partial<PixelprepAffineAttrs> & Pick<PixelprepAffineAttrs, 'shape' | 'packing'>): PixelprepAffineAttrs => ({
  layout: 'channels_last',
  spatialDims: 2,
  channelAxis: true,
  images: 1,
  channels: 1,
  scale: [1 / 255],
  offset: [0],
  clip: [],
  postScale: 1,
  postOffset: 0,
  channelOrder: [],
  ...over,
});

const EXTRAS: Extra[] = [
  {
    name: 'one pass with per-image per-channel coefficients, clip, post step and channelOrder [2,0,1], both layouts',
    async run() {
      const [N, H, W, C] = [2, 3, 5, 3];
      const bytes = randomBytes(N * H * W * C, 21);
      const scale = [0.01, 0.02, 0.03, -0.04, 0.05, 0.06];
      const offset = [-1, -0.5, 0.25, 2, -3, 0.5];
      const order = [2, 0, 1];
      let worst = 0;
      for (const layout of ['channels_last', 'channels_first'] as const) {
        const shape = layout === 'channels_last' ? [N, H, W, C] : [N, C, H, W];
        const at = (n: number, c: number, p: number) => (layout === 'channels_last' ? (n * H * W + p) * C + c : (n * C + c) * H * W + p);
        const expected = new Float64Array(bytes.length);
        for (let n = 0; n < N; n++) {
          for (let c = 0; c < C; c++) {
            for (let p = 0; p < H * W; p++) {
              const v = bytes[at(n, order[c], p)] * scale[n * C + c] + offset[n * C + c];
              expected[at(n, c, p)] = Math.min(0.8, Math.max(-0.6, v)) * 2.5 - 1;
            }
          }
        }
        const x = tf.tensor1d(packWords(bytes), 'int32');
        const attrs = affineAttrs({ layout, shape, packing: 'uint8x4', images: N, channels: C, scale, offset, clip: [-0.6, 0.8], postScale: 2.5, postOffset: -1, channelOrder: order });
        const y = tf.engine().runKernel('PixelprepAffine', { x }, attrs) as tf.Tensor;
        worst = Math.max(worst, maxError(await y.data(), expected));
        x.dispose();
        y.dispose();
      }
      return { error: worst };
    },
  },
  {
    name: 'more coefficient sets than uniforms hold (60 images × 3 channels) read the table from a texture, with channelOrder',
    async run() {
      const [N, H, W, C] = [60, 2, 3, 3];
      const bytes = randomBytes(N * H * W * C, 23);
      const scale = Array.from({ length: N * C }, (_, s) => 0.001 * (s + 1));
      const offset = Array.from({ length: N * C }, (_, s) => -0.5 + 0.01 * s);
      const order = [1, 2, 0];
      const expected = Float64Array.from(bytes, (_, i) => {
        const [n, c] = [Math.floor(i / (H * W * C)), i % C];
        return bytes[i - c + order[c]] * scale[n * C + c] + offset[n * C + c];
      });
      const x = tf.tensor1d(packWords(bytes), 'int32');
      const y = tf.engine().runKernel('PixelprepAffine', { x }, affineAttrs({ shape: [N, H, W, C], packing: 'uint8x4', images: N, channels: C, scale, offset, channelOrder: order })) as tf.Tensor;
      const error = maxError(await y.data(), expected);
      x.dispose();
      y.dispose();
      return { error };
    },
  },
  {
    name: 'uint16 raw (uint16x2 words): normalize to [0,65535] and standardize per image',
    async run() {
      const shape = [2, 7, 5, 3];
      const data = Uint16Array.from(randomBytes(2 * 7 * 5 * 3 * 2, 9).subarray(0, 2 * 7 * 5 * 3), (v, i) => v * 257 + (i % 251));
      const values = Float64Array.from(data);
      const n = await webglScale({ data, shape }, { method: 'normalize', per: 'channel', scope: 'batch', layout: 'channels_last', range: [0, 65535] });
      const normalized = maxError(await n.y.data(), Float64Array.from(data, (v) => v / 65535));
      n.y.dispose();
      const s = await webglScale({ data, shape }, { method: 'standardize', per: 'channel', scope: 'image', layout: 'channels_last' });
      const standardized = maxError(await s.y.data(), reference({ data: values, shape, layout: 'channels_last', method: 'standardize', per: 'channel', scope: 'image' }));
      s.y.dispose();
      return { error: Math.max(normalized, standardized) };
    },
  },
  {
    name: 'volumes (spatialDims 3) [N,D,H,W,C] and [N,C,D,H,W], standardized per image',
    async run() {
      let worst = 0;
      for (const layout of ['channels_last', 'channels_first'] as const) {
        const shape = layout === 'channels_last' ? [2, 3, 4, 5, 2] : [2, 2, 3, 4, 5];
        const bytes = randomBytes(240, 5);
        const refShape = layout === 'channels_last' ? [2, 60, 1, 2] : [2, 2, 60, 1];
        const run = await webglScale({ data: bytes, shape }, { method: 'standardize', per: 'channel', scope: 'image', layout, spatialDims: 3 });
        worst = Math.max(worst, maxError(await run.y.data(), reference({ data: bytes, shape: refShape, layout, method: 'standardize', per: 'channel', scope: 'image' })));
        if (run.y.shape.join() !== shape.join()) worst = Infinity;
        run.y.dispose();
      }
      return { error: worst };
    },
  },
  {
    name: 'packed words above 2^24 come through exactly (bytes 128..255 in every position)',
    async run() {
      const bytes = Uint8Array.from({ length: 4096 }, (_, i) => 128 + ((i * 37) % 128));
      const x = tf.tensor1d(packWords(bytes), 'int32');
      const y = tf.engine().runKernel('PixelprepAffine', { x }, affineAttrs({ shape: [64, 64], packing: 'uint8x4', scale: [1], offset: [0] })) as tf.Tensor;
      const error = maxError(await y.data(), Float64Array.from(bytes));
      x.dispose();
      y.dispose();
      return { error };
    },
  },
  {
    name: 'int32 tensor already on the GPU (tfjs texture) and int32 values above 2^24 from the host',
    async run() {
      const bytes = randomBytes(3 * 4 * 4 * 3, 13);
      const host = tf.tensor(Int32Array.from(bytes), [3, 4, 4, 3], 'int32');
      const resident = onTheGpu(host);
      const run = await webglScale(resident, { method: 'standardize', per: 'channel', scope: 'batch', layout: 'channels_last' });
      const expected = reference({ data: bytes, shape: [3, 4, 4, 3], layout: 'channels_last', method: 'standardize', per: 'channel', scope: 'batch' });
      const error = maxError(await run.y.data(), expected);
      [host, resident, run.y].forEach((t) => t.dispose());
      const big = Int32Array.from([2 ** 30 + 64, -(2 ** 29) - 32, 16777217, -5]);
      const x = tf.tensor(big, [2, 2], 'int32');
      const y = tf.engine().runKernel('PixelprepAffine', { x }, affineAttrs({ shape: [2, 2], packing: 'none', scale: [1], offset: [0] })) as tf.Tensor;
      const bigError = maxError(await y.data(), Float32Array.from(big));
      x.dispose();
      y.dispose();
      return { error: Math.max(error, bigError) };
    },
  },
  {
    name: 'uint8 moments of a [32,224,224,3] batch are exact (integer sums against a float64 loop)',
    async run() {
      const shape = [32, 224, 224, 3];
      const bytes = randomBytes(32 * 224 * 224 * 3, 3);
      for (let i = 1; i < bytes.length; i += 3) bytes[i] = 200 + (bytes[i] % 56);
      const { tensor, packing } = kernelInput({ data: bytes, shape });
      const moments = await webglMoments(tensor, { layout: 'channels_last', spatialDims: 2, packing, shape, perImage: false, channelAxis: true });
      tensor.dispose();
      let worst = 0;
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        let squares = 0;
        for (let i = c; i < bytes.length; i += 3) {
          sum += bytes[i];
          squares += bytes[i] * bytes[i];
        }
        const n = bytes.length / 3;
        const mean = sum / n;
        const m2 = squares - (sum * sum) / n;
        worst = Math.max(worst, relative(moments[c].mean, mean), relative(moments[c].m2, m2) / n);
      }
      return { error: 0, statsError: worst };
    },
  },
  {
    name: 'float32 moments of 10^6 values offset by 1000 match float64 (compensated block sums)',
    async run() {
      const bytes = randomBytes(1_000_000, 17);
      const data = Float32Array.from(bytes, (v, i) => 1000 + v / 256 + (i % 7) * 1e-3);
      const x = tf.tensor(data, [1000, 1000], 'float32');
      const [m] = await webglMoments(x, { layout: 'channels_last', spatialDims: 2, packing: 'none', shape: [1000, 1000], perImage: false, channelAxis: true });
      x.dispose();
      const ref = pooled(data);
      return { error: 0, statsError: Math.max(relative(m.mean, ref.mean), relative(Math.sqrt(m.m2 / m.count), ref.std)) };
    },
  },
  {
    name: 'constant data never yields NaN: standardize → 0, positive-standardize → 0.5',
    async run() {
      const data = new Uint8Array(2 * 4 * 4 * 3).fill(200);
      let worst = 0;
      for (const [method, value] of [['standardize', 0], ['positive-standardize', 0.5], ['min-max', 0]] as const) {
        const run = await webglScale({ data, shape: [2, 4, 4, 3] }, { method, per: 'channel', scope: 'batch', layout: 'channels_last' });
        worst = Math.max(worst, maxError(await run.y.data(), new Float64Array(data.length).fill(value)));
        run.y.dispose();
      }
      return { error: worst };
    },
  },
  {
    name: "refuses with E_BACKEND: packed words tfjs already uploaded, and a context without float32 render targets",
    async run() {
      const words = tf.tensor1d(packWords(new Uint8Array(16).fill(255)), 'int32');
      const onGpu = onTheGpu(words);
      await onGpu.data();
      const attrs = affineAttrs({ shape: [4, 4], packing: 'uint8x4' });
      const uploaded = codeOf(() => tf.engine().runKernel('PixelprepAffine', { x: onGpu }, attrs));
      tf.env().set('WEBGL_RENDER_FLOAT32_ENABLED', false);
      const noFloat = codeOf(() => tf.engine().runKernel('PixelprepAffine', { x: words }, attrs));
      tf.env().set('WEBGL_RENDER_FLOAT32_ENABLED', true);
      const badPacking = codeOf(() => tf.engine().runKernel('PixelprepAffine', { x: words }, affineAttrs({ shape: [5, 5], packing: 'uint8x4' })));
      words.dispose();
      onGpu.dispose();
      const ok = uploaded === 'E_BACKEND' && noFloat === 'E_BACKEND' && badPacking === 'E_SHAPE';
      if (!ok) throw new Error(`codes: uploaded ${uploaded}, no float32 ${noFloat}, wrong word count ${badPacking}`);
      return { error: 0 };
    },
  },
];

/** Runs the extras on the webgl backend. */
export async function webglExtras(): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const extra of EXTRAS) {
    const before = tf.memory().numTensors;
    try {
      const { error, statsError } = await extra.run();
      results.push({ name: extra.name, error, statsError: statsError ?? 0, leaked: tf.memory().numTensors - before });
    } catch (error) {
      results.push({ name: extra.name, error: Infinity, statsError: Infinity, leaked: 0, thrown: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }
  return results;
}

/** The extras' names, for the vitest side. */
export const WEBGL_EXTRA_NAMES: readonly string[] = EXTRAS.map((e) => e.name);
