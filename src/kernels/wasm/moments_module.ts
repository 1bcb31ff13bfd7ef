/**
 * WebAssembly SIMD kernels for exact 8-bit statistics: per channel, the
 * integer sum, sum of squares, min and max of a run of uint8 values.
 *
 * - `moments_u8_plain(src, blocks, dst)`: one channel, 16 values per block.
 * - `moments_u8_rgb(src, groups, dst)`: interleaved RGB, 16 pixels (48 bytes)
 *   per group, deinterleaved with shuffles so each vector holds one channel.
 *
 * Per channel vector V: sums by pairwise widening adds (u8 → u16 → u32 lanes),
 * squares by i32x4.dot_i16x8_s of V widened to 16 bits with itself, min/max
 * with i8x16.min_u / max_u. Every lane is an exact integer; a call handles at
 * most MOMENTS_MAX_GROUPS groups so no 32-bit lane can overflow (≤ 260100 is
 * added to a lane per group, and 16384 × 260100 < 2^32). Results go to `dst`: per channel 64 bytes = sum (u32x4), sum of
 * squares (u32x4), min (u8x16), max (u8x16), lanes to be added up by the caller.
 */
import { Code, I32, OP, SIMD, V128, type FunctionDef, type ValueType } from './encoder.js';

/** Bytes of results per channel in `dst`. */
export const MOMENTS_RESULT_BYTES = 64;
/** Most groups (48 bytes) or blocks (16 bytes) per call that keep every 32-bit lane exact. */
export const MOMENTS_MAX_GROUPS = 16384;

const SRC = 0, COUNT = 1, DST = 2;
const A = 3, B = 4, C = 5, V = 6, W = 7, ACC = 8;
// ACC + 4c + {0: sum, 1: squares, 2: min, 3: max}
const LOCALS: readonly ValueType[] = Array.from({ length: 17 }, () => V128);

/** Adds vector V (16 values of channel c) into channel c's accumulators. */
function accumulate(code: Code, c: number): void {
  const sum = ACC + 4 * c;
  code.get(sum).get(V).simd(SIMD.i16x8ExtaddPairwiseI8x16U).simd(SIMD.i32x4ExtaddPairwiseI16x8U).simd(SIMD.i32x4Add).set(sum);
  code.get(sum + 1);
  code.get(V).simd(SIMD.i16x8ExtendLowI8x16U).tee(W).get(W).simd(SIMD.i32x4DotI16x8S);
  code.get(V).simd(SIMD.i16x8ExtendHighI8x16U).tee(W).get(W).simd(SIMD.i32x4DotI16x8S);
  code.simd(SIMD.i32x4Add).simd(SIMD.i32x4Add).set(sum + 1);
  code.get(sum + 2).get(V).simd(SIMD.i8x16MinU).set(sum + 2);
  code.get(sum + 3).get(V).simd(SIMD.i8x16MaxU).set(sum + 3);
}

/** Zeroes sums, min = 255, max = 0 for `channels` channels. */
function initialise(code: Code, channels: number): void {
  for (let c = 0; c < channels; c++) {
    const base = ACC + 4 * c;
    code.i32(0).simd(SIMD.i8x16Splat).tee(base).tee(base + 1).set(base + 3);
    code.i32(255).simd(SIMD.i8x16Splat).set(base + 2);
  }
}

function storeResults(code: Code, channels: number): void {
  for (let c = 0; c < channels; c++) {
    for (let j = 0; j < 4; j++) code.get(DST).get(ACC + 4 * c + j).store(MOMENTS_RESULT_BYTES * c + 16 * j);
  }
}

/** Lane indices that gather channel `c` of 16 RGB pixels: first from A|B, then the rest from C. */
function rgbShuffles(c: number): [number[], number[]] {
  const first: number[] = [];
  const second: number[] = [];
  for (let p = 0; p < 16; p++) {
    const byte = 3 * p + c;
    first.push(byte < 32 ? byte : 0);
    second.push(byte < 32 ? p : 16 + byte - 32);
  }
  return [first, second];
}

function loop(code: Code, body: () => void, stride: number): void {
  code.op(OP.loop, 0x40);
  body();
  code.get(SRC).i32(stride).op(OP.i32Add).set(SRC);
  code.get(COUNT).i32(1).op(OP.i32Sub).tee(COUNT).op(OP.brIf, 0);
  code.op(OP.end);
}

function plainFunction(): FunctionDef {
  const code = new Code();
  initialise(code, 1);
  loop(
    code,
    () => {
      code.get(SRC).load().set(V);
      accumulate(code, 0);
    },
    16,
  );
  storeResults(code, 1);
  return { name: 'moments_u8_plain', params: [I32, I32, I32], locals: LOCALS, code };
}

function rgbFunction(): FunctionDef {
  const code = new Code();
  initialise(code, 3);
  loop(
    code,
    () => {
      code.get(SRC).load(0).set(A);
      code.get(SRC).load(16).set(B);
      code.get(SRC).load(32).set(C);
      for (let c = 0; c < 3; c++) {
        const [first, second] = rgbShuffles(c);
        code.get(A).get(B).shuffle(first).get(C).shuffle(second).set(V);
        accumulate(code, c);
      }
    },
    48,
  );
  storeResults(code, 3);
  return { name: 'moments_u8_rgb', params: [I32, I32, I32], locals: LOCALS, code };
}

/** The statistics kernels, to be encoded with the affine ones in one module. */
export const momentsFunctions = (): FunctionDef[] => [plainFunction(), rgbFunction()];
