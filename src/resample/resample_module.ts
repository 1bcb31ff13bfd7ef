/**
 * The WebAssembly SIMD passes of the Pillow-exact resampler, emitted as bytes
 * with the project's encoder. They compute what passes.ts computes, in the
 * same 32-bit wrapping integer arithmetic, so the bytes are identical: each
 * sample is `2^21 + Σ pixel·weight` (i32x4.mul and i32x4.add), shifted right
 * by 22 (i32x4.shr_s) and clamped to 0..255 by the two saturating narrowings
 * (i32 → i16 signed, i16 → u8 unsigned), which clamp exactly as clip8 does.
 * Integer addition is associative, so summing four taps at a time is exact.
 *
 * Memory layout is the caller's (wasm_passes.ts): `meta` holds per output
 * (byte offset of the first source sample, tap count) as two i32; `weights`
 * holds `stride` bytes of i32 weights per output, zero past each count and
 * padded to a multiple of 4 taps. Source and destination need 16 spare bytes
 * after them: vector loads and stores run past the last sample.
 */
import { Code, I32, OP, SIMD, V128, type FunctionDef } from '../kernels/wasm/encoder.js';

/** Opcodes the encoder's tables do not list (WebAssembly core and SIMD specifications). */
const I32_GE_U = 0x4f;
const I32_MUL = 0x6c;
const V128_LOAD32_ZERO = 0x5c;
const V128_STORE8_LANE = 0x58;
const V128_STORE32_LANE = 0x5a;
const I32X4_SPLAT = 0x11;
const I32X4_EXTRACT_LANE = 0x1b;
const I8X16_NARROW_I16X8_U = 0x66;
const I16X8_NARROW_I32X4_S = 0x85;
const I32X4_SHR_S = 0xac;
const I32X4_MUL = 0xb5;

/** Half of the last kept bit: 2^(PRECISION_BITS - 1). */
const HALF = 1 << 21;
const SHIFT = 22;

/** `for (; local < limit; ) { body }` with the test at the top. */
function whileBelow(c: Code, local: number, limit: number, body: () => void): void {
  c.op(OP.block, 0x40, OP.loop, 0x40);
  c.get(local).get(limit).op(I32_GE_U).op(OP.brIf, 1);
  body();
  c.op(OP.br, 0, OP.end, OP.end);
}

const add = (c: Code, local: number, amount: number): Code => c.get(local).i32(amount).op(OP.i32Add).set(local);
const addLocal = (c: Code, local: number, amount: number): Code => c.get(local).get(amount).op(OP.i32Add).set(local);
/** Pushes the i32 at address `local + offset`. */
const loadI32 = (c: Code, local: number, offset = 0): Code => c.get(local).mem(OP.i32Load, offset);
const splatHalf = (c: Code): Code => c.i32(HALF).simd(I32X4_SPLAT);
/** acc += product of the two vectors on the stack. */
const mulAdd = (c: Code, acc: number): Code => c.simd(I32X4_MUL).get(acc).simd(SIMD.i32x4Add).set(acc);
/** Pushes acc >> 22. */
const shifted = (c: Code, acc: number): Code => c.get(acc).i32(SHIFT).simd(I32X4_SHR_S);

/** vertical(src, dst, rowBytes, outRows, meta, weights, stride): 16 samples of a row at a time. */
function vertical(): FunctionDef {
  const [SRC, DST, ROW_BYTES, OUT_ROWS, META, WEIGHTS, STRIDE] = [0, 1, 2, 3, 4, 5, 6];
  const [Y, I, P, J, COUNT, FIRST, K, OUT] = [7, 8, 9, 10, 11, 12, 13, 14];
  const [ACC, V, W, WIDE] = [15, 19, 20, 21];
  const c = new Code();
  c.i32(0).set(Y).get(DST).set(OUT);
  whileBelow(c, Y, OUT_ROWS, () => {
    loadI32(c, META).set(FIRST);
    loadI32(c, META, 4).set(COUNT);
    c.i32(0).set(I);
    whileBelow(c, I, ROW_BYTES, () => {
      for (let a = 0; a < 4; a++) splatHalf(c).set(ACC + a);
      c.get(SRC).get(FIRST).op(OP.i32Add).get(I).op(OP.i32Add).set(P);
      c.get(WEIGHTS).set(K).i32(0).set(J);
      whileBelow(c, J, COUNT, () => {
        c.get(P).load().set(V);
        loadI32(c, K).simd(I32X4_SPLAT).set(W);
        c.get(V).simd(SIMD.i16x8ExtendLowI8x16U).tee(WIDE).simd(SIMD.i32x4ExtendLowI16x8U).get(W);
        mulAdd(c, ACC);
        c.get(WIDE).simd(SIMD.i32x4ExtendHighI16x8U).get(W);
        mulAdd(c, ACC + 1);
        c.get(V).simd(SIMD.i16x8ExtendHighI8x16U).tee(WIDE).simd(SIMD.i32x4ExtendLowI16x8U).get(W);
        mulAdd(c, ACC + 2);
        c.get(WIDE).simd(SIMD.i32x4ExtendHighI16x8U).get(W);
        mulAdd(c, ACC + 3);
        addLocal(c, P, ROW_BYTES);
        add(c, K, 4);
        add(c, J, 1);
      });
      c.get(OUT).get(I).op(OP.i32Add);
      shifted(c, ACC);
      shifted(c, ACC + 1).simd(I16X8_NARROW_I32X4_S);
      shifted(c, ACC + 2);
      shifted(c, ACC + 3).simd(I16X8_NARROW_I32X4_S);
      c.simd(I8X16_NARROW_I16X8_U).store();
      add(c, I, 16);
    });
    addLocal(c, OUT, ROW_BYTES);
    add(c, META, 8);
    addLocal(c, WEIGHTS, STRIDE);
    add(c, Y, 1);
  });
  return { name: 'vertical', params: [I32, I32, I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32, I32, I32, I32, V128, V128, V128, V128, V128, V128, V128], code: c };
}

/**
 * horizontal_pixels(src, dst, srcRowBytes, rows, outWidth, meta, weights, stride, channels):
 * one pixel of 3 or 4 channels per vector (a 4-byte load; with 3 channels the
 * fourth lane is the next pixel's and its result is overwritten by that pixel).
 */
function horizontalPixels(): FunctionDef {
  const [SRC, DST, SRC_ROW_BYTES, ROWS, OUT_WIDTH, META, WEIGHTS, STRIDE, CHANNELS] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [Y, X, P, J, COUNT, M, K, OUT, ROW] = [9, 10, 11, 12, 13, 14, 15, 16, 17];
  const ACC = 18;
  const c = new Code();
  c.i32(0).set(Y).get(DST).set(OUT).get(SRC).set(ROW);
  whileBelow(c, Y, ROWS, () => {
    c.i32(0).set(X).get(META).set(M).get(WEIGHTS).set(K);
    whileBelow(c, X, OUT_WIDTH, () => {
      c.get(ROW);
      loadI32(c, M).op(OP.i32Add).set(P);
      loadI32(c, M, 4).set(COUNT);
      splatHalf(c).set(ACC);
      c.i32(0).set(J);
      whileBelow(c, J, COUNT, () => {
        c.get(P).simd(V128_LOAD32_ZERO).op(0, 0).simd(SIMD.i16x8ExtendLowI8x16U).simd(SIMD.i32x4ExtendLowI16x8U);
        c.get(K).get(J).i32(4).op(I32_MUL).op(OP.i32Add).mem(OP.i32Load).simd(I32X4_SPLAT);
        mulAdd(c, ACC);
        addLocal(c, P, CHANNELS);
        add(c, J, 1);
      });
      c.get(OUT);
      shifted(c, ACC).get(ACC).simd(I16X8_NARROW_I32X4_S).get(ACC).simd(I8X16_NARROW_I16X8_U);
      c.simd(V128_STORE32_LANE).op(0, 0, 0);
      addLocal(c, OUT, CHANNELS);
      add(c, M, 8);
      addLocal(c, K, STRIDE);
      add(c, X, 1);
    });
    addLocal(c, ROW, SRC_ROW_BYTES);
    add(c, Y, 1);
  });
  return { name: 'horizontal_pixels', params: [I32, I32, I32, I32, I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, V128], code: c };
}

/** horizontal_gray(src, dst, srcRowBytes, rows, outWidth, meta, weights, stride): four taps per vector, one channel. */
function horizontalGray(): FunctionDef {
  const [SRC, DST, SRC_ROW_BYTES, ROWS, OUT_WIDTH, META, WEIGHTS, STRIDE] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [Y, X, P, J, COUNT, M, K, OUT, ROW, SUM] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const ACC = 18;
  const c = new Code();
  c.i32(0).set(Y).get(DST).set(OUT).get(SRC).set(ROW);
  whileBelow(c, Y, ROWS, () => {
    c.i32(0).set(X).get(META).set(M).get(WEIGHTS).set(K);
    whileBelow(c, X, OUT_WIDTH, () => {
      c.get(ROW);
      loadI32(c, M).op(OP.i32Add).set(P);
      loadI32(c, M, 4).set(COUNT);
      c.i32(0).simd(I32X4_SPLAT).set(ACC);
      c.i32(0).set(J);
      whileBelow(c, J, COUNT, () => {
        c.get(P).simd(V128_LOAD32_ZERO).op(0, 0).simd(SIMD.i16x8ExtendLowI8x16U).simd(SIMD.i32x4ExtendLowI16x8U);
        c.get(K).get(J).i32(4).op(I32_MUL).op(OP.i32Add).load();
        mulAdd(c, ACC);
        add(c, P, 4);
        add(c, J, 4);
      });
      c.i32(HALF);
      for (let lane = 0; lane < 4; lane++) c.get(ACC).simd(I32X4_EXTRACT_LANE).op(lane).op(OP.i32Add);
      c.set(SUM);
      c.get(OUT).get(SUM).simd(I32X4_SPLAT).i32(SHIFT).simd(I32X4_SHR_S).tee(ACC).get(ACC).simd(I16X8_NARROW_I32X4_S).tee(ACC).get(ACC).simd(I8X16_NARROW_I16X8_U);
      c.simd(V128_STORE8_LANE).op(0, 0, 0);
      add(c, OUT, 1);
      add(c, M, 8);
      addLocal(c, K, STRIDE);
      add(c, X, 1);
    });
    addLocal(c, ROW, SRC_ROW_BYTES);
    add(c, Y, 1);
  });
  return { name: 'horizontal_gray', params: [I32, I32, I32, I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, V128], code: c };
}

/** The three pass functions. */
export const resampleFunctions = (): FunctionDef[] => [vertical(), horizontalPixels(), horizontalGray()];
