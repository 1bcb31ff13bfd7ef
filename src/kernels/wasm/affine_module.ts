/**
 * The WebAssembly SIMD affine kernels, emitted as bytes (no toolchain needed).
 *
 * Each exported function maps `blocks` blocks of 16 values from `src` to
 * float32 at `dst`:
 *
 *     y[i] = clip(x[i] * S[i mod L] + O[i mod L], lo, hi) * ps + po
 *
 * where S and O are a coefficient tile of L values (a multiple of 16) stored
 * at `tile`, so interleaved channels (period C) cost nothing extra: the tile
 * holds lcm(C, 16) values. Two precisions:
 *
 * - `f64`: every value is widened to float64 (f64x2), multiplied, added,
 *   clipped with pmax/pmin (which are exactly JavaScript's `y < lo ? lo : y`
 *   and `y > hi ? hi : y`), then demoted once to float32: bit-for-bit the JS
 *   kernel's float64 arithmetic rounded once.
 * - `f32`: f32x4 arithmetic, twice the throughput, for 8- and 16-bit integer
 *   input: y = ((x * A + x * B) + O) with the scale split as A + B, A short
 *   enough that x * A is exact, so the product carries ~40 bits. Used only after
 *   wasm_simd.ts has checked that every possible input value gives the same
 *   float32 as the float64 formula.
 */
import { Code, F64, I32, OP, SIMD, V128, type FunctionDef } from './encoder.js';

/** Element types the kernels read. */
export const WASM_INPUTS = ['u8', 'u16', 'i32', 'f32', 'f64'] as const;
export type WasmInput = (typeof WASM_INPUTS)[number];
export type WasmPrecision = 'f32' | 'f64';

/** Bytes per input value. */
export const INPUT_BYTES: Readonly<Record<WasmInput, number>> = { u8: 1, u16: 2, i32: 4, f32: 4, f64: 8 };

/**
 * Bytes one 16-value block of the coefficient tile takes: f64 holds 16 scales
 * then 16 offsets; f32 holds 16 A, 16 B (the split scale) then 16 offsets.
 */
export const TILE_BLOCK_BYTES: Readonly<Record<WasmPrecision, number>> = { f32: 192, f64: 256 };

/** The exported name of a kernel variant. */
export const kernelName = (input: WasmInput, precision: WasmPrecision, clip: boolean): string =>
  `affine_${input}_${precision}${clip ? '_clip' : ''}`;

// Parameters: (src, dst, blocks, tile, tileEnd, lo, hi, postScale, postOffset).
const SRC = 0, DST = 1, BLOCKS = 2, TILE = 3, TILE_END = 4, LO = 5, HI = 6, PS = 7, PO = 8;
// Locals.
const T = 9, V_LO = 10, V_HI = 11, V_PS = 12, V_PO = 13, RAW = 14, WIDE = 15, Q0 = 16;
const PARAMS = [I32, I32, I32, I32, I32, F64, F64, F64, F64] as const;
const LOCALS = [I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128] as const;

/** Moves lanes 2-3 of a 32-bit vector to lanes 0-1 (for convert_low / promote_low). */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
/** Joins the low 64 bits of two vectors (two demoted halves into one f32x4). */
const JOIN_LOW = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

/** Loads one block of input into the 32-bit quads Q0..Q3 (not used for f64 input). */
function loadQuads(c: Code, input: WasmInput): void {
  if (input === 'u8') {
    c.get(SRC).load().tee(RAW).simd(SIMD.i16x8ExtendLowI8x16U).tee(WIDE).simd(SIMD.i32x4ExtendLowI16x8U).set(Q0);
    c.get(WIDE).simd(SIMD.i32x4ExtendHighI16x8U).set(Q0 + 1);
    c.get(RAW).simd(SIMD.i16x8ExtendHighI8x16U).tee(WIDE).simd(SIMD.i32x4ExtendLowI16x8U).set(Q0 + 2);
    c.get(WIDE).simd(SIMD.i32x4ExtendHighI16x8U).set(Q0 + 3);
  } else if (input === 'u16') {
    for (let v = 0; v < 2; v++) {
      c.get(SRC).load(16 * v).tee(RAW).simd(SIMD.i32x4ExtendLowI16x8U).set(Q0 + 2 * v);
      c.get(RAW).simd(SIMD.i32x4ExtendHighI16x8U).set(Q0 + 2 * v + 1);
    }
  } else if (input !== 'f64') {
    for (let k = 0; k < 4; k++) c.get(SRC).load(16 * k).set(Q0 + k);
  }
}

/** The clip and post step on the vector on the stack. */
function tail(c: Code, precision: WasmPrecision): void {
  const [pmax, pmin, mul, add] =
    precision === 'f32'
      ? [SIMD.f32x4Pmax, SIMD.f32x4Pmin, SIMD.f32x4Mul, SIMD.f32x4Add]
      : [SIMD.f64x2Pmax, SIMD.f64x2Pmin, SIMD.f64x2Mul, SIMD.f64x2Add];
  c.get(V_LO).simd(pmax).get(V_HI).simd(pmin).get(V_PS).simd(mul).get(V_PO).simd(add);
}

/** Pushes float64 half `half` (0 or 1) of quad `k` of the block. */
function pushHalf(c: Code, input: WasmInput, k: number, half: number): void {
  if (input === 'f64') {
    c.get(SRC).load(32 * k + 16 * half);
    return;
  }
  c.get(Q0 + k);
  if (half === 1) c.get(Q0 + k).shuffle(HIGH_HALF);
  // Signed conversion is exact for 8- and 16-bit values too, and one instruction where the unsigned form is several.
  c.simd(input === 'f32' ? SIMD.f64x2PromoteLowF32x4 : SIMD.f64x2ConvertLowI32x4S);
}

function affineFunction(input: WasmInput, precision: WasmPrecision, clip: boolean): FunctionDef {
  const c = new Code();
  c.get(TILE).set(T);
  if (clip) {
    for (const [param, local] of [[LO, V_LO], [HI, V_HI], [PS, V_PS], [PO, V_PO]]) {
      c.get(param);
      if (precision === 'f32') c.op(OP.f32DemoteF64).simd(SIMD.f32x4Splat);
      else c.simd(SIMD.f64x2Splat);
      c.set(local);
    }
  }
  c.op(OP.loop, 0x40);
  loadQuads(c, input);
  for (let k = 0; k < 4; k++) {
    c.get(DST);
    if (precision === 'f32') {
      c.get(Q0 + k).simd(SIMD.f32x4ConvertI32x4S).tee(WIDE);
      c.get(T).load(16 * k).simd(SIMD.f32x4Mul);
      c.get(WIDE).get(T).load(64 + 16 * k).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Add);
      c.get(T).load(128 + 16 * k).simd(SIMD.f32x4Add);
      if (clip) tail(c, 'f32');
    } else {
      for (let half = 0; half < 2; half++) {
        const lane = 2 * k + half;
        pushHalf(c, input, k, half);
        c.get(T).load(16 * lane).simd(SIMD.f64x2Mul);
        c.get(T).load(128 + 16 * lane).simd(SIMD.f64x2Add);
        if (clip) tail(c, 'f64');
        c.simd(SIMD.f32x4DemoteF64x2Zero);
      }
      c.shuffle(JOIN_LOW);
    }
    c.store(16 * k);
  }
  c.get(SRC).i32(16 * INPUT_BYTES[input]).op(OP.i32Add).set(SRC);
  c.get(DST).i32(64).op(OP.i32Add).set(DST);
  // t = t + stride == tileEnd ? tile : t + stride
  c.get(TILE).get(T).i32(TILE_BLOCK_BYTES[precision]).op(OP.i32Add).tee(T).get(T).get(TILE_END).op(OP.i32Eq).op(OP.select).set(T);
  c.get(BLOCKS).i32(1).op(OP.i32Sub).tee(BLOCKS).op(OP.brIf, 0);
  c.op(OP.end);
  return { name: kernelName(input, precision, clip), params: PARAMS, locals: LOCALS, code: c };
}

/** Whether a variant exists: f32 arithmetic only for 8/16-bit integers (exact there, checked at run time). */
export const hasVariant = (input: WasmInput, precision: WasmPrecision): boolean =>
  precision === 'f64' || input === 'u8' || input === 'u16';

/** Every (input, precision, clip) variant of the affine kernel. */
export function affineFunctions(): FunctionDef[] {
  const functions: FunctionDef[] = [];
  for (const input of WASM_INPUTS) {
    for (const precision of ['f32', 'f64'] as const) {
      if (!hasVariant(input, precision)) continue;
      for (const clip of [false, true]) functions.push(affineFunction(input, precision, clip));
    }
  }
  return functions;
}
