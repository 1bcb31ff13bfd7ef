/**
 * The browser lane's page: runs the core matrix on one tfjs backend inside
 * Chromium and reports one CaseResult per case to Node (page.evaluate).
 *
 * - webgl: pixelprep's webgl kernels called through `tf.engine().runKernel`:
 *   'PixelprepMoments' gives the statistics, the plan's coefficients come from
 *   the methods table, 'PixelprepAffine' applies them.
 * - cpu, wasm, webgpu: the public `scale()`.
 * Every output is compared with the independent float64 reference (test/core/reference.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { setBackend } from '../../../src/backends/select.js';
import { PixelprepError } from '../../../src/core/errors.js';
import { scale } from '../../../src/index.js';
import { indexOf, maxError, randomBytes, reference, refStats, type RefGroup } from '../../core/reference.js';
import { matrixCases, type CaseResult, type InputKind, type LaneInfo, type MatrixCase } from './matrix_cases.js';
import { webglScale, type KernelInput } from './webgl_scale.js';
import { webglExtras } from './webgl_extras.js';

const SHAPE_LAST = [3, 5, 4, 3];
const SHAPE_FIRST = [3, 3, 5, 4];

let backend = '';

/** Starts `name` ('webgl' | 'webgpu' | 'wasm' | 'cpu') and describes it. */
async function start(name: string): Promise<LaneInfo> {
  try {
    if (name === 'wasm') setWasmPaths('/wasm/');
    if (name === 'webgl') {
      if (!(await tf.setBackend('webgl'))) return { backend: name, available: false, reason: 'tfjs could not create a WebGL context' };
    } else {
      await setBackend(name as 'cpu' | 'wasm' | 'webgpu');
    }
    backend = name;
    return { backend: name, available: true, renderer: await rendererOf(name) };
  } catch (error) {
    return { backend: name, available: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** WEBGL_RENDERER (unmasked) or the WebGPU adapter's description. */
async function rendererOf(name: string): Promise<string> {
  if (name === 'webgl') {
    const gl = Reflect.get(Reflect.get(tf.backend(), 'gpgpu'), 'gl');
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  }
  if (name === 'webgpu') {
    const adapter = await Reflect.get(Reflect.get(globalThis, 'navigator'), 'gpu').requestAdapter();
    const info = adapter?.info ?? {};
    return [info.vendor, info.architecture, info.description, info.device].filter(Boolean).join(' / ') || 'unknown adapter';
  }
  return name === 'wasm' ? `wasm (${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD'})` : 'JavaScript';
}

/** The case's pixel values (float inputs get a fractional part) and its input. */
function makeInput(kind: InputKind, bytes: Uint8Array, shape: number[]): { input: KernelInput; values: Float64Array } {
  const values = Float64Array.from(bytes, (v, i) => (kind.startsWith('float') ? v + (i % 4) * 0.25 : v));
  if (kind === 'uint8 raw') return { input: { data: bytes, shape }, values };
  if (kind === 'float32 raw') return { input: { data: Float32Array.from(values), shape }, values };
  if (kind === 'int32 tensor') return { input: tf.tensor(Int32Array.from(bytes), shape, 'int32'), values };
  return { input: tf.tensor(Float32Array.from(values), shape, 'float32'), values };
}

/** Float64 reference statistics of the groups a case uses: per image or batch, per channel or pooled. */
export function referenceGroups(values: ArrayLike<number>, shape: number[], layout: MatrixCase['layout'], per: MatrixCase['per'], scope: MatrixCase['scope']): RefGroup[] {
  const N = shape[0];
  const C = layout === 'channels_last' ? shape[shape.length - 1] : shape[1];
  const P = values.length / (N * C);
  const images = scope === 'image' ? Array.from({ length: N }, (_, n) => [n]) : [Array.from({ length: N }, (_, n) => n)];
  const channels = per === 'channel' ? Array.from({ length: C }, (_, c) => [c]) : [Array.from({ length: C }, (_, c) => c)];
  const groups: RefGroup[] = [];
  for (const ns of images) {
    for (const cs of channels) {
      const list: number[] = [];
      for (const n of ns) for (const c of cs) for (let p = 0; p < P; p++) list.push(values[indexOf(shape, layout, n, c, p)]);
      groups.push(refStats(list));
    }
  }
  return groups;
}

/** Largest relative error of means and stds. */
export function statsError(actual: readonly RefGroup[], expected: readonly RefGroup[]): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  actual.forEach((a, i) => {
    const e = expected[i];
    for (const [x, y] of [[a.mean, e.mean], [a.std, e.std]]) worst = Math.max(worst, Math.abs(x - y) / Math.max(1, Math.abs(y)));
    if (a.min !== e.min || a.max !== e.max) worst = Infinity;
  });
  return worst;
}

async function runCase(c: MatrixCase): Promise<CaseResult> {
  const shape = c.layout === 'channels_last' ? SHAPE_LAST : SHAPE_FIRST;
  const bytes = randomBytes(3 * 5 * 4 * 3, 7);
  const before = tf.memory().numTensors;
  const { input, values } = makeInput(c.kind, bytes, shape);
  try {
    const expected = reference({ data: values, shape, layout: c.layout, method: c.method, per: c.per, scope: c.scope });
    let y: tf.Tensor;
    let stats = 0;
    if (backend === 'webgl') {
      // The kernels by themselves: the statistics PixelprepMoments gives, against the float64 reference.
      const run = await webglScale(input, { method: c.method, per: c.per, scope: c.scope, layout: c.layout });
      run.y.dispose();
      stats = statsError(run.groups, referenceGroups(values, shape, c.layout, c.per, c.scope));
    }
    // The public op, through the kernel registered for the current backend.
    y = scale(input, { method: c.method, per: c.per, scope: c.scope, layout: c.layout });
    const out = await y.data();
    const shapeOk = y.dtype === 'float32' && y.shape.join() === shape.join();
    y.dispose();
    if (input instanceof tf.Tensor) input.dispose();
    const result: CaseResult = { name: c.name, error: maxError(out, expected), statsError: stats, leaked: tf.memory().numTensors - before };
    return shapeOk ? result : { ...result, thrown: `output ${y.dtype} [${y.shape}] instead of float32 [${shape}]` };
  } catch (error) {
    if (input instanceof tf.Tensor) input.dispose();
    return { name: c.name, error: Infinity, statsError: Infinity, leaked: 0, thrown: describeError(error) };
  }
}

export const describeError = (error: unknown): string =>
  error instanceof PixelprepError ? `${error.code}: ${error.message}` : error instanceof Error ? `${error.name}: ${error.message}` : String(error);

async function matrix(): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of matrixCases()) results.push(await runCase(c));
  return results;
}

Reflect.set(globalThis, 'pixelprepLane', { start, matrix, extras: webglExtras });
