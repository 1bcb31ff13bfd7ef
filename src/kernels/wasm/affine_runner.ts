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
import type { PixelArray } from '../../core/input.js';
import { kernelName, TILE_BLOCK_BYTES, type WasmInput, type WasmPrecision } from './affine_module.js';
import { splitScale, type RunCoefficients } from './float32_exactness.js';
import { CHUNK_VALUES, IN_BASE, OUT_BASE, outputArenaOf, stagingArena, wasmInputOf, type Arena } from './memory_arena.js';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

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
  const direct = outputArenaOf(out);
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
