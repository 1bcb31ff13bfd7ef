/**
 * Runs the resampling passes in WebAssembly SIMD (resample_module.ts): the
 * pass's coefficients and its source go into one WebAssembly memory, grown as
 * needed and kept between calls, the pass runs there, and its output is copied
 * out. A pass too large for the memory runs in JavaScript instead; both give
 * the same bytes.
 */
import { encodeModule } from '../kernels/wasm/encoder.js';
import type { PassCoefficients } from './coefficients.js';
import type { PassEngine } from './convolution.js';
import { horizontalPass, verticalPass, type Raster } from './passes.js';
import { resampleFunctions } from './resample_module.js';

/** The part of the WebAssembly JS API used here (typed locally: the project compiles without the DOM lib). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number }) => { buffer: ArrayBuffer; grow(pages: number): number };
}

type PassFn = (...args: number[]) => void;

interface Runtime {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  vertical: PassFn;
  horizontalPixels: PassFn;
  horizontalGray: PassFn;
}

const PAGE = 65536;
/** Stay within 2 GiB so every address is a positive i32. */
const MAX_BYTES = 2 ** 31 - PAGE;
/** Spare bytes after source and destination for vector loads and stores past the end. */
const SPARE = 16;

let runtime: Runtime | null | undefined;

function start(): Runtime | null {
  const api: WebAssemblyApi | undefined = Reflect.get(globalThis, 'WebAssembly');
  if (!api) return null;
  try {
    const bytes = encodeModule(resampleFunctions(), 1);
    if (!api.validate(bytes)) return null;
    const memory = new api.Memory({ initial: 16, maximum: MAX_BYTES / PAGE });
    const { exports } = new api.Instance(new api.Module(bytes), { env: { memory } });
    const fn = (name: string): PassFn => exports[name] as PassFn;
    return { memory, vertical: fn('vertical'), horizontalPixels: fn('horizontal_pixels'), horizontalGray: fn('horizontal_gray') };
  } catch {
    // No WebAssembly SIMD in this runtime: the JavaScript passes run instead.
    return null;
  }
}

function getRuntime(): Runtime | null {
  if (runtime === undefined) runtime = start();
  return runtime;
}

/** True when this runtime runs WebAssembly SIMD (compiles the passes on first call). */
export const wasmPassesAvailable = (): boolean => getRuntime() !== null;

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

interface Layout {
  meta: number;
  weights: number;
  stride: number;
  src: number;
  dst: number;
}

/**
 * Places the coefficients (offsets scaled by `unit` bytes) and reserves room
 * for source and destination; null when they do not fit.
 */
function place(rt: Runtime, c: PassCoefficients, unit: number, srcBytes: number, dstBytes: number): { layout: Layout; memory: ArrayBuffer } | null {
  const outputs = c.bounds.length / 2;
  const padded = Math.ceil(c.taps / 4) * 4;
  const stride = padded * 4;
  const meta = 0;
  const weights = align16(outputs * 8);
  const src = align16(weights + outputs * stride);
  const dst = align16(src + srcBytes + SPARE);
  const end = dst + dstBytes + SPARE;
  if (end > MAX_BYTES) return null;
  if (end > rt.memory.buffer.byteLength) rt.memory.grow(Math.ceil((end - rt.memory.buffer.byteLength) / PAGE));
  const memory = rt.memory.buffer;
  const i32 = new Int32Array(memory);
  for (let i = 0; i < outputs; i++) {
    i32[(meta >> 2) + 2 * i] = c.bounds[2 * i] * unit;
    i32[(meta >> 2) + 2 * i + 1] = c.bounds[2 * i + 1];
    const row = (weights + i * stride) >> 2;
    i32.set(c.weights.subarray(i * c.taps, (i + 1) * c.taps), row);
    i32.fill(0, row + c.taps, row + padded);
  }
  return { layout: { meta, weights, stride, src, dst }, memory };
}

function wasmHorizontal(source: Raster, firstRow: number, rows: number, c: PassCoefficients): Raster {
  const rt = getRuntime();
  const { width, channels } = source;
  const outWidth = c.bounds.length / 2;
  const rowBytes = width * channels;
  const outBytes = outWidth * rows * channels;
  const placed = rt && place(rt, c, channels, rows * rowBytes, outBytes);
  if (!rt || !placed) return horizontalPass(source, firstRow, rows, c);
  const { layout: l, memory } = placed;
  new Uint8Array(memory, l.src, rows * rowBytes).set(source.data.subarray(firstRow * rowBytes, (firstRow + rows) * rowBytes));
  if (channels === 1) rt.horizontalGray(l.src, l.dst, rowBytes, rows, outWidth, l.meta, l.weights, l.stride);
  else rt.horizontalPixels(l.src, l.dst, rowBytes, rows, outWidth, l.meta, l.weights, l.stride, channels);
  return { data: new Uint8Array(memory, l.dst, outBytes).slice(), width: outWidth, height: rows, channels };
}

function wasmVertical(source: Raster, c: PassCoefficients): Raster {
  const rt = getRuntime();
  const { width, height, channels } = source;
  const outHeight = c.bounds.length / 2;
  const rowBytes = width * channels;
  const placed = rt && place(rt, c, rowBytes, height * rowBytes, outHeight * rowBytes);
  if (!rt || !placed) return verticalPass(source, c);
  const { layout: l, memory } = placed;
  new Uint8Array(memory, l.src, height * rowBytes).set(source.data);
  rt.vertical(l.src, l.dst, rowBytes, outHeight, l.meta, l.weights, l.stride);
  return { data: new Uint8Array(memory, l.dst, outHeight * rowBytes).slice(), width, height: outHeight, channels };
}

export const WASM_PASSES: PassEngine = { horizontal: wasmHorizontal, vertical: wasmVertical };
