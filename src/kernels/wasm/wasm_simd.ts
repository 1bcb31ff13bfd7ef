/**
 * Runs affine runs through the WebAssembly SIMD kernels.
 *
 * WebAssembly reads and writes only its own memory, so a run streams through
 * it in chunks small enough to stay in the L2 cache: copy a chunk of input in,
 * transform it, copy the float32 result out to the caller's array. Main memory
 * sees each input byte read once and each output byte written once, as with
 * the plain JS loop, while the arithmetic runs 4 or 2 lanes wide. An output
 * made by `createOutputBuffer` lives in a WebAssembly memory of its own, and
 * the kernel writes into it directly, saving the copy out.
 */
import { PixelprepError } from '../../core/errors.js';
import { pixelDtypeOf, type PixelArray, type PixelDtype } from '../../core/input.js';
import { affineFunctions, hasVariant, kernelName, TILE_BLOCK_BYTES, type WasmInput, type WasmPrecision } from './affine_module.js';
import { encodeModule } from './encoder.js';
import { MOMENTS_MAX_GROUPS, MOMENTS_RESULT_BYTES, momentsFunctions } from './moments_module.js';

/** Values per chunk: input (≤ 512 KiB) and output (256 KiB) stay in L2 (measured best of 4K, 16K, 64K). */
const CHUNK_VALUES = 65536;
/** Room for the coefficient tile: lcm(C, 16) values of float64 scale and offset, enough for C ≤ 256. */
const TILE_BYTES = 65536;
const IN_BASE = TILE_BYTES;
const OUT_BASE = IN_BASE + CHUNK_VALUES * 8;
const PAGE = 65536;
/** Pages of the staging area (tile, input chunk, output chunk); an output buffer's values follow it. */
const STAGING_PAGES = Math.ceil((OUT_BASE + CHUNK_VALUES * 4) / PAGE);
/** WebAssembly memories hold at most 65536 pages (4 GiB); stay well inside what engines grant. */
const MAX_PAGES = 32768;
/** Channels the tile has room for. */
export const WASM_MAX_CHANNELS = 256;

/** The part of the WebAssembly JS API used here (typed locally: the project compiles without the DOM lib). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number }) => { buffer: ArrayBuffer };
}

type KernelFn = (src: number, dst: number, blocks: number, tile: number, tileEnd: number, lo: number, hi: number, ps: number, po: number) => void;

/** One instance of the kernels with its memory: staging area, and for output buffers the values after it. */
interface Arena {
  kernels: Map<string, KernelFn>;
  views: Record<WasmInput, PixelArray>;
  out: Float32Array;
  tile64: Float64Array;
  tile32: Float32Array;
  /** The whole input staging area as bytes (statistics read up to 128 KiB per call). */
  inBytes: Uint8Array;
  /** Statistics results (at the tile's place: the two never run at once). */
  results32: Uint32Array;
  results8: Uint8Array;
}

interface Compiled {
  api: WebAssemblyApi;
  module: object;
}

let compiled: Compiled | null | undefined;
let staging: Arena | null | undefined;
/** Arenas of the buffers made by createOutputBuffer, by their ArrayBuffer. */
const outputArenas = new WeakMap<ArrayBuffer, Arena>();

/** The kernels module: affine and statistics kernels, importing a memory of at least `minPages` pages. */
export const kernelModuleBytes = (minPages: number): Uint8Array => encodeModule([...affineFunctions(), ...momentsFunctions()], minPages);

function compile(): Compiled | null {
  const api: WebAssemblyApi | undefined = Reflect.get(globalThis, 'WebAssembly');
  if (!api) return null;
  try {
    const bytes = kernelModuleBytes(STAGING_PAGES);
    return api.validate(bytes) ? { api, module: new api.Module(bytes) } : null;
  } catch {
    // No WebAssembly SIMD in this runtime: the JS kernel runs instead.
    return null;
  }
}

function createArena(c: Compiled, pages: number): Arena {
  const memory = new c.api.Memory({ initial: pages, maximum: pages });
  const instance = new c.api.Instance(c.module, { env: { memory } });
  const kernels = new Map<string, KernelFn>();
  for (const [name, value] of Object.entries(instance.exports)) {
    if (typeof value === 'function') kernels.set(name, value as KernelFn);
  }
  const buffer = memory.buffer;
  return {
    kernels,
    views: {
      u8: new Uint8Array(buffer, IN_BASE, CHUNK_VALUES),
      u16: new Uint16Array(buffer, IN_BASE, CHUNK_VALUES),
      i32: new Int32Array(buffer, IN_BASE, CHUNK_VALUES),
      f32: new Float32Array(buffer, IN_BASE, CHUNK_VALUES),
      f64: new Float64Array(buffer, IN_BASE, CHUNK_VALUES),
    },
    out: new Float32Array(buffer, OUT_BASE, CHUNK_VALUES),
    tile64: new Float64Array(buffer, 0, TILE_BYTES / 8),
    tile32: new Float32Array(buffer, 0, TILE_BYTES / 4),
    inBytes: new Uint8Array(buffer, IN_BASE, CHUNK_VALUES * 8),
    results32: new Uint32Array(buffer, 0, (3 * MOMENTS_RESULT_BYTES) / 4),
    results8: new Uint8Array(buffer, 0, 3 * MOMENTS_RESULT_BYTES),
  };
}

function stagingArena(): Arena | null {
  if (compiled === undefined) compiled = compile();
  if (staging === undefined) staging = compiled ? createArena(compiled, STAGING_PAGES) : null;
  return staging;
}

/** True when this runtime runs WebAssembly SIMD (compiles the kernels on first call). */
export const wasmSimdAvailable = (): boolean => stagingArena() !== null;

/** The most values createOutputBuffer can place in WebAssembly memory. */
export const MAX_OUTPUT_BUFFER_VALUES = ((MAX_PAGES - STAGING_PAGES) * PAGE) / 4;

/**
 * A Float32Array for `scaleInto` / `applyInto` to fill again and again (one
 * per training-loop buffer): where WebAssembly SIMD runs, it lives in a
 * WebAssembly memory of its own and the kernel writes into it directly, with
 * no copy; elsewhere it is an ordinary Float32Array. It is zero-filled and
 * freed by the garbage collector like any array.
 *
 * @param length number of float32 values (e.g. 32 * 224 * 224 * 3).
 * @throws PixelprepError E_ARGUMENT when `length` is not a positive integer.
 * @example
 * const out = createOutputBuffer(32 * 224 * 224 * 3);
 * for (const batch of batches) scaleInto(batch, out, { method: 'normalize' });
 */
export function createOutputBuffer(length: number): Float32Array {
  if (!Number.isInteger(length) || length < 1) {
    throw new PixelprepError('E_ARGUMENT', `Expected a positive integer length for createOutputBuffer but received ${String(length)}`);
  }
  if (!stagingArena() || !compiled || length > MAX_OUTPUT_BUFFER_VALUES) return new Float32Array(length);
  // 16 values of slack after the end: no kernel block ever crosses the memory's end.
  const pages = STAGING_PAGES + Math.ceil((length + 16) * 4 / PAGE);
  const arena = createArena(compiled, pages);
  const buffer = arena.out.buffer;
  if (!(buffer instanceof ArrayBuffer)) return new Float32Array(length);
  outputArenas.set(buffer, arena);
  return new Float32Array(buffer, STAGING_PAGES * PAGE, length);
}

const WASM_INPUT: Readonly<Record<PixelDtype, WasmInput>> = { uint8: 'u8', uint16: 'u16', int32: 'i32', float32: 'f32', float64: 'f64' };

/** The kernels' name for a typed array's element type. */
export const wasmInputOf = (data: PixelArray): WasmInput => WASM_INPUT[pixelDtypeOf(data)];

/** Clip and post-affine step shared by every value (identity when absent). */
export interface AffineTail {
  clip: readonly [number, number] | null;
  post: { readonly scale: number; readonly offset: number } | null;
}

/**
 * Per-position coefficients of a run: value i of the run uses
 * `scale[i % period]` and `offset[i % period]` (period = channels for interleaved
 * pixels, 1 for a single-coefficient run).
 */
export interface RunCoefficients extends AffineTail {
  scale: ArrayLike<number>;
  offset: ArrayLike<number>;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Whether float32 arithmetic gives exactly the float64 formula's float32 for
 * every integer input 0..maxValue and every coefficient pair: checked value by
 * value (Math.fround after each operation is exactly IEEE float32 arithmetic,
 * since float64 has more than 2×24+2 bits).
 */
/**
 * The float32 form of a scale for integer input of `inputBits` bits: A keeps
 * 24 - inputBits significant bits (so x * A is exact in float32) and B is the
 * float32 remainder.
 */
export function splitScale(s: number, inputBits: number): [number, number] {
  const step = 2 ** (Math.floor(Math.log2(Math.abs(s))) - (23 - inputBits));
  const a = Math.round(s / step) * step;
  return [a, Math.fround(s - a)];
}

export function float32IsExact(scale: ArrayLike<number>, offset: ArrayLike<number>, tail: AffineTail, inputBits: number): boolean {
  const f = Math.fround;
  const [lo, hi] = tail.clip ?? [-Infinity, Infinity];
  const ps = tail.post?.scale ?? 1;
  const po = tail.post?.offset ?? 0;
  const lo32 = f(lo), hi32 = f(hi), ps32 = f(ps), po32 = f(po);
  const clipped = tail.clip !== null || tail.post !== null;
  const maxValue = 2 ** inputBits - 1;
  for (let k = 0; k < scale.length; k++) {
    const s = scale[k], o = offset[k], o32 = f(o);
    const [a, b] = splitScale(s, inputBits);
    for (let v = 0; v <= maxValue; v++) {
      let y = v * s + o;
      let y32 = f(f(f(v * a) + f(v * b)) + o32);
      if (clipped) {
        y = (y < lo ? lo : y > hi ? hi : y) * ps + po;
        y32 = y32 < lo32 ? lo32 : y32;
        y32 = hi32 < y32 ? hi32 : y32;
        y32 = f(f(y32 * ps32) + po32);
      }
      if (!Object.is(f(y), y32)) return false;
    }
  }
  return true;
}

/** Largest number of (coefficient pair × input value) checks spent proving the float32 path exact. */
const EXACTNESS_CHECK_BUDGET = 1 << 18;

/** float32 arithmetic where it is proven exact for these coefficients and this input type, else float64. */
export function choosePrecision(input: WasmInput, k: RunCoefficients): WasmPrecision {
  if (!hasVariant(input, 'f32')) return 'f64';
  const bits = input === 'u8' ? 8 : 16;
  if (k.scale.length * 2 ** bits > EXACTNESS_CHECK_BUDGET) return 'f64';
  return float32IsExact(k.scale, k.offset, k, bits) ? 'f32' : 'f64';
}

/**
 * out[to + i] = clip(data[from + i] * scale[i % P] + offset[i % P], lo, hi) * ps + po
 * for i < count, with P = scale.length (≤ WASM_MAX_CHANNELS) and float32
 * results identical to the float64 JS kernel's. Returns false, doing nothing,
 * when WebAssembly SIMD is unavailable.
 */
export function affineRunWasm(
  data: PixelArray,
  from: number,
  out: Float32Array,
  to: number,
  count: number,
  k: RunCoefficients,
  precision: WasmPrecision,
): boolean {
  const direct = out.buffer instanceof ArrayBuffer ? outputArenas.get(out.buffer) : undefined;
  const w = direct ?? stagingArena();
  if (!w) return false;
  const input = wasmInputOf(data);
  const fn = w.kernels.get(kernelName(input, precision, k.clip !== null || k.post !== null));
  if (!fn) return false;
  const period = k.scale.length;
  const tileValues = (period * 16) / gcd(period, 16);
  const blockBytes = TILE_BLOCK_BYTES[precision];
  const tileBlocks = tileValues / 16;
  writeTile(w, input, k, precision, period, tileBlocks, blockBytes);
  const [lo, hi] = k.clip ?? [-Infinity, Infinity];
  const ps = k.post?.scale ?? 1;
  const po = k.post?.offset ?? 0;
  const chunk = Math.floor(CHUNK_VALUES / tileValues) * tileValues;
  const view = w.views[input];
  const tileEnd = tileBlocks * blockBytes;
  for (let done = 0; done < count; done += chunk) {
    const n = Math.min(chunk, count - done);
    view.set(data.subarray(from + done, from + done + n));
    // Whole tiles go straight into a createOutputBuffer array (blocks never write past the run);
    // the rest, starting again at tile phase 0, goes through the staging output.
    const directValues = direct ? Math.floor(n / tileValues) * tileValues : 0;
    if (directValues > 0) fn(IN_BASE, out.byteOffset + (to + done) * 4, directValues / 16, 0, tileEnd, lo, hi, ps, po);
    const rest = n - directValues;
    if (rest === 0) continue;
    fn(IN_BASE + directValues * view.BYTES_PER_ELEMENT, OUT_BASE, Math.ceil(rest / 16), 0, tileEnd, lo, hi, ps, po);
    out.set(rest === CHUNK_VALUES ? w.out : w.out.subarray(0, rest), to + done + directValues);
  }
  return true;
}

/** Fills the coefficient tile: per 16-value block, scales (f64) or split scales A, B (f32), then offsets. */
function writeTile(w: Arena, input: WasmInput, k: RunCoefficients, precision: WasmPrecision, period: number, tileBlocks: number, blockBytes: number): void {
  const bits = input === 'u8' ? 8 : 16;
  const tile = precision === 'f32' ? w.tile32 : w.tile64;
  const perBlock = blockBytes / (precision === 'f32' ? 4 : 8);
  for (let b = 0; b < tileBlocks; b++) {
    for (let j = 0; j < 16; j++) {
      const c = (b * 16 + j) % period;
      const at = b * perBlock + j;
      if (precision === 'f32') {
        [tile[at], tile[at + 16]] = splitScale(k.scale[c], bits);
        tile[at + 32] = k.offset[c];
      } else {
        tile[at] = k.scale[c];
        tile[at + 16] = k.offset[c];
      }
    }
  }
}

/** Exact integer sums of one channel's uint8 values. */
export interface ChannelSums {
  count: number;
  sum: number;
  sumSquares: number;
  min: number;
  max: number;
}

type MomentsFn = (src: number, count: number, dst: number) => void;

/**
 * Per channel count, Σx, Σx², min and max of `count` uint8 values from
 * `from`: one channel (`channels` 1) or interleaved RGB (`channels` 3, `count`
 * a multiple of 3). Sums are exact integers (below 2^53 for any array a
 * JavaScript engine can hold with fewer than 2^37 values). Returns null when
 * WebAssembly SIMD is unavailable.
 */
export function uint8ChannelSums(data: Uint8Array | Uint8ClampedArray, from: number, count: number, channels: 1 | 3): ChannelSums[] | null {
  const w = stagingArena();
  const fn = w?.kernels.get(channels === 3 ? 'moments_u8_rgb' : 'moments_u8_plain') as MomentsFn | undefined;
  if (!w || !fn) return null;
  const sums: ChannelSums[] = Array.from({ length: channels }, () => ({ count: 0, sum: 0, sumSquares: 0, min: 255, max: 0 }));
  const groupBytes = 16 * channels;
  const chunkGroups = Math.min(MOMENTS_MAX_GROUPS, Math.floor((CHUNK_VALUES * 8) / groupBytes));
  const whole = Math.floor(count / groupBytes) * groupBytes;
  for (let done = 0; done < whole; done += chunkGroups * groupBytes) {
    const n = Math.min(chunkGroups * groupBytes, whole - done);
    w.inBytes.set(data.subarray(from + done, from + done + n));
    fn(IN_BASE, n / groupBytes, 0);
    for (let c = 0; c < channels; c++) {
      const s = sums[c];
      const at32 = (c * MOMENTS_RESULT_BYTES) / 4;
      const at8 = c * MOMENTS_RESULT_BYTES;
      for (let lane = 0; lane < 4; lane++) {
        s.sum += w.results32[at32 + lane];
        s.sumSquares += w.results32[at32 + 4 + lane];
      }
      for (let lane = 0; lane < 16; lane++) {
        s.min = Math.min(s.min, w.results8[at8 + 32 + lane]);
        s.max = Math.max(s.max, w.results8[at8 + 48 + lane]);
      }
      s.count += n / channels;
    }
  }
  // The last values (fewer than 16 pixels) in plain JS.
  for (let i = whole, c = 0; i < count; i++) {
    const v = data[from + i];
    const s = sums[c];
    s.count++;
    s.sum += v;
    s.sumSquares += v * v;
    if (v < s.min) s.min = v;
    if (v > s.max) s.max = v;
    if (++c === channels) c = 0;
  }
  return sums;
}
