/**
 * Moments on the device: one workgroup reduces one block of up to
 * BLOCK_PIXELS values of one (image, channel) and writes one PixelprepMoments
 * record (core/moment_partials.ts); the host merges the records in float64
 * (Chan et al.), as the CPU accumulator merges its chunks.
 *
 * - uint8 and uint16 ('u8x4', 'u16x2'): SUMS_U64 records, sums and sums of
 *   squares in 64-bit integers (two u32 words with carry), so every block is exact.
 * - int32 and float32 ('i32', 'f32'): SUMS_F32X2 records, values shifted by
 *   the block's first value, summed as float-float pairs (TwoSum compensation,
 *   squares made exact with Dekker's TwoProduct), so a block's sums carry about
 *   48 bits, with the count of non-finite values.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { Layout } from '../../core/layout.js';
import { MOMENT_RECORD_KINDS, MOMENT_RECORD_WORDS } from '../../core/moment_partials.js';
import { NON_FINITE_WGSL, PIXEL_LOADERS, type InputEncoding } from './affine_program.js';

/** Values one workgroup reduces: u16 squares (< 2^32 each) then sum below 2^46, far inside two words. */
export const BLOCK_PIXELS = 16384;
/** Words each block writes: one record. */
export const BLOCK_WORDS = MOMENT_RECORD_WORDS;
const WORKGROUP_SIZE = 64;

/** True for the encodings reduced with exact integer sums. */
export const isIntegerEncoding = (encoding: InputEncoding): boolean => encoding === 'u8x4' || encoding === 'u16x2';

/** What is compiled into the reduction shader. */
export interface MomentsProgramShape {
  /** Images × channels: one group each. */
  readonly groups: number;
  /** Pixels per (image, channel). */
  readonly pixels: number;
  readonly encoding: InputEncoding;
  readonly layout: Layout;
}

/** Blocks each (image, channel) is cut into. */
export const blocksPerGroup = (pixels: number): number => Math.ceil(pixels / BLOCK_PIXELS);

/** The moments program: output is int32 words, BLOCK_WORDS per block, block-major. */
export class MomentsProgram implements WebGPUProgram {
  // tfjs assigns shaderKey, dispatch and pipeline when it runs the program.
  readonly variableNames = ['X'];
  readonly variableComponents = [1];
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [WORKGROUP_SIZE, 1, 1];
  readonly uniforms = 'channels : i32, pixels : i32, blocksPerGroup : i32, blocks : i32, groupModulo : i32, one : f32,';
  private readonly shape: MomentsProgramShape;

  constructor(shape: MomentsProgramShape) {
    this.shape = shape;
    const blocks = shape.groups * blocksPerGroup(shape.pixels);
    this.outputShape = [blocks * BLOCK_WORDS];
    this.dispatchLayout = { x: [0] };
    this.dispatch = [blocks, 1, 1];
    this.shaderKey = `pixelprepMoments_${shape.encoding}_${shape.layout}`;
  }

  getUserCode(): string {
    const { encoding, layout } = this.shape;
    // Flat index of pixel p of group g = n * C + c.
    const source =
      layout === 'channels_last'
        ? '((g / uniforms.channels) * uniforms.pixels + p) * uniforms.channels + g % uniforms.channels'
        : 'g * uniforms.pixels + p';
    const common = `
      ${NON_FINITE_WGSL}
      fn loadPixel(i : i32) -> f32 {
        ${PIXEL_LOADERS[encoding]}
      }
      fn sourceIndex(g : i32, p : i32) -> i32 {
        return ${source};
      }
      // The record's header: its kind, its group (per image and channel, or per channel), its count.
      fn writeHeader(o0 : i32, kind : i32, g : i32, count : i32) {
        result[o0] = kind;
        result[o0 + 1] = g % uniforms.groupModulo;
        result[o0 + 2] = count;
        for (var w = 3; w < ${MOMENT_RECORD_WORDS}; w++) {
          result[o0 + w] = 0;
        }
      }
      // Block geometry; every loop below has uniform bounds so the barriers stay in uniform control flow.
      fn blockIndex() -> i32 {
        return i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x);
      }
    `;
    return isIntegerEncoding(encoding) ? common + INTEGER_REDUCTION : common + FLOAT_REDUCTION;
  }
}

const INTEGER_REDUCTION = `
  var<workgroup> sums : array<vec4<u32>, ${WORKGROUP_SIZE}>;
  var<workgroup> ranges : array<vec2<u32>, ${WORKGROUP_SIZE}>;

  fn add64(a : vec2<u32>, b : vec2<u32>) -> vec2<u32> {
    let lo = a.x + b.x;
    return vec2<u32>(lo, a.y + b.y + select(0u, 1u, lo < a.x));
  }

  fn main(index : i32) {
    let block = blockIndex();
    let g = block / uniforms.blocksPerGroup;
    let first = (block % uniforms.blocksPerGroup) * ${BLOCK_PIXELS};
    let last = min(first + ${BLOCK_PIXELS}, uniforms.pixels);
    let tid = i32(localIndex);
    var sum = vec2<u32>(0u, 0u);
    var squares = vec2<u32>(0u, 0u);
    var lo = 0xffffffffu;
    var hi = 0u;
    for (var j = 0; j < ${BLOCK_PIXELS}; j += ${WORKGROUP_SIZE}) {
      let p = first + j + tid;
      if (block < uniforms.blocks && p < last) {
        let v = u32(loadPixel(sourceIndex(g, p)));
        sum = add64(sum, vec2<u32>(v, 0u));
        squares = add64(squares, vec2<u32>(v * v, 0u));
        lo = min(lo, v);
        hi = max(hi, v);
      }
    }
    sums[localIndex] = vec4<u32>(sum, squares);
    ranges[localIndex] = vec2<u32>(lo, hi);
    workgroupBarrier();
    for (var stride = ${WORKGROUP_SIZE / 2}u; stride > 0u; stride >>= 1u) {
      if (localIndex < stride) {
        let a = sums[localIndex];
        let b = sums[localIndex + stride];
        sums[localIndex] = vec4<u32>(add64(a.xy, b.xy), add64(a.zw, b.zw));
        let ra = ranges[localIndex];
        let rb = ranges[localIndex + stride];
        ranges[localIndex] = vec2<u32>(min(ra.x, rb.x), max(ra.y, rb.y));
      }
      workgroupBarrier();
    }
    if (localIndex == 0u && block < uniforms.blocks) {
      let o0 = block * ${BLOCK_WORDS};
      let s = sums[0];
      let r = ranges[0];
      writeHeader(o0, ${MOMENT_RECORD_KINDS.SUMS_U64}, g, last - first);
      result[o0 + 3] = bitcast<i32>(s.x);
      result[o0 + 4] = bitcast<i32>(s.y);
      result[o0 + 5] = bitcast<i32>(s.z);
      result[o0 + 6] = bitcast<i32>(s.w);
      result[o0 + 7] = bitcast<i32>(r.x);
      result[o0 + 8] = bitcast<i32>(r.y);
    }
  }
`;

const FLOAT_REDUCTION = `
  var<workgroup> sums : array<vec4<f32>, ${WORKGROUP_SIZE}>;
  var<workgroup> ranges : array<vec2<f32>, ${WORKGROUP_SIZE}>;
  var<workgroup> nonFinite : array<u32, ${WORKGROUP_SIZE}>;

  // Shader compilers may simplify (a + b) - a to b for floats (Mesa's NIR does
  // without the SPIR-V NoContraction decoration, which Tint does not emit).
  // Multiplying by a uniform 1.0 is exact but hides the identity from them.
  fn opaque(x : f32) -> f32 {
    return x * uniforms.one;
  }

  // Knuth's TwoSum: s + e == a + b exactly.
  fn twoSum(a : f32, b : f32) -> vec2<f32> {
    let s = opaque(a + b);
    let bb = opaque(s - a);
    return vec2<f32>(s, (a - opaque(s - bb)) + (b - bb));
  }

  // Dekker's TwoProduct: p + e == a * b exactly (4097 = 2^12 + 1 splits a float into two 12-bit halves).
  fn twoProduct(a : f32, b : f32) -> vec2<f32> {
    let p = opaque(a * b);
    let ta = opaque(4097.0 * a);
    let ah = ta - opaque(ta - a);
    let al = a - ah;
    let tb = opaque(4097.0 * b);
    let bh = tb - opaque(tb - b);
    let bl = b - bh;
    return vec2<f32>(p, ((ah * bh - p) + ah * bl + al * bh) + al * bl);
  }

  // Sum of two float-float numbers (hi, lo), renormalized.
  fn addPair(a : vec2<f32>, b : vec2<f32>) -> vec2<f32> {
    let s = twoSum(a.x, b.x);
    let lo = s.y + a.y + b.y;
    let hi = opaque(s.x + lo);
    return vec2<f32>(hi, lo - opaque(hi - s.x));
  }

  fn main(index : i32) {
    let block = blockIndex();
    let g = block / uniforms.blocksPerGroup;
    let first = (block % uniforms.blocksPerGroup) * ${BLOCK_PIXELS};
    let last = min(first + ${BLOCK_PIXELS}, uniforms.pixels);
    let tid = i32(localIndex);
    var shift = 0.0;
    if (block < uniforms.blocks) {
      shift = loadPixel(sourceIndex(g, first));
    }
    var sum = vec2<f32>(0.0, 0.0);
    var squares = vec2<f32>(0.0, 0.0);
    var lo = uniforms.INFINITY;
    var hi = -uniforms.INFINITY;
    var bad = 0u;
    for (var j = 0; j < ${BLOCK_PIXELS}; j += ${WORKGROUP_SIZE}) {
      let p = first + j + tid;
      if (block < uniforms.blocks && p < last) {
        let v = loadPixel(sourceIndex(g, p));
        if (isNonFinite(v)) {
          bad += 1u;
        } else {
          let d = v - shift;
          sum = addPair(sum, vec2<f32>(d, 0.0));
          squares = addPair(squares, twoProduct(d, d));
          lo = min(lo, v);
          hi = max(hi, v);
        }
      }
    }
    sums[localIndex] = vec4<f32>(sum, squares);
    ranges[localIndex] = vec2<f32>(lo, hi);
    nonFinite[localIndex] = bad;
    workgroupBarrier();
    for (var stride = ${WORKGROUP_SIZE / 2}u; stride > 0u; stride >>= 1u) {
      if (localIndex < stride) {
        let a = sums[localIndex];
        let b = sums[localIndex + stride];
        sums[localIndex] = vec4<f32>(addPair(a.xy, b.xy), addPair(a.zw, b.zw));
        let ra = ranges[localIndex];
        let rb = ranges[localIndex + stride];
        ranges[localIndex] = vec2<f32>(min(ra.x, rb.x), max(ra.y, rb.y));
        nonFinite[localIndex] += nonFinite[localIndex + stride];
      }
      workgroupBarrier();
    }
    if (localIndex == 0u && block < uniforms.blocks) {
      let o0 = block * ${BLOCK_WORDS};
      let s = sums[0];
      let r = ranges[0];
      writeHeader(o0, ${MOMENT_RECORD_KINDS.SUMS_F32X2}, g, last - first);
      result[o0 + 3] = bitcast<i32>(s.x);
      result[o0 + 4] = bitcast<i32>(s.y);
      result[o0 + 5] = bitcast<i32>(s.z);
      result[o0 + 6] = bitcast<i32>(s.w);
      result[o0 + 7] = bitcast<i32>(r.x);
      result[o0 + 8] = bitcast<i32>(r.y);
      result[o0 + 9] = bitcast<i32>(shift);
      result[o0 + 10] = bitcast<i32>(nonFinite[0]);
    }
  }
`;
