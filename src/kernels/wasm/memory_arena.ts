/**
 * The WebAssembly memories the SIMD kernels run in: a staging arena (tile,
 * input chunk, output chunk) shared by every call, and one arena per buffer
 * made by `createOutputBuffer`, whose values follow its staging area so the
 * kernel writes into them directly. Compiles the kernels module once.
 */
import { PixelprepError } from '../../core/errors.js';
import { pixelDtypeOf, type PixelArray, type PixelDtype } from '../../core/input.js';
import { affineFunctions, type WasmInput } from './affine_module.js';
import { encodeModule } from './encoder.js';
import { MOMENTS_RESULT_BYTES, momentsFunctions } from './moments_module.js';

/** Values per chunk: input (≤ 512 KiB) and output (256 KiB) stay in L2 (measured best of 4K, 16K, 64K). */
export const CHUNK_VALUES = 65536;
/** Room for the coefficient tile: lcm(C, 16) values of float64 scale and offset, enough for C ≤ 256. */
const TILE_BYTES = 65536;
export const IN_BASE = TILE_BYTES;
export const OUT_BASE = IN_BASE + CHUNK_VALUES * 8;
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

export type KernelFn = (src: number, dst: number, blocks: number, tile: number, tileEnd: number, lo: number, hi: number, ps: number, po: number) => void;

/** One instance of the kernels with its memory: staging area, and for output buffers the values after it. */
export interface Arena {
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

export function stagingArena(): Arena | null {
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

/** The arena of a buffer made by createOutputBuffer, whose kernels write into it directly. */
export const outputArenaOf = (out: Float32Array): Arena | undefined => (out.buffer instanceof ArrayBuffer ? outputArenas.get(out.buffer) : undefined);

