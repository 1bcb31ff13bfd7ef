/**
 * Moments on the GPU: each output texel pair reduces one block of one
 * (image, channel); the host merges the blocks in float64 (Chan et al.), as
 * the CPU accumulator merges its chunks (moments_kernel.ts).
 *
 * The output is packed ([2 × blocks, 4] values, one RGBA texel per fragment):
 * block b owns rows 2b and 2b+1; the fragment at column 0 writes q0..q3 to
 * values (2b,0) (2b,1) (2b+1,0) (2b+1,1), the one at column 2 writes q4..q7 to
 * (2b,2) (2b,3) (2b+1,2) (2b+1,3).
 *
 * - 8- and 16-bit integers ('u8x4', 'u16x2'): blocks of 256 values, every sum
 *   an integer below 2^24, so float32 holds it exactly. Each value v = 256h + l
 *   is split into bytes so that the squares are exact too:
 *   q = [Σv, Σh², Σhl, Σl², min, max, 0, 0], and Σv² = 65536 Σh² + 512 Σhl + Σl².
 * - int32 and float32: blocks of 1024 values shifted by the block's first
 *   value, summed as float-float pairs (TwoSum, and Dekker's TwoProduct for the
 *   squares), about 48 bits: q = [Σd hi, Σd lo, Σd² hi, Σd² lo, min, max, shift, non-finite count].
 */
import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import type { Layout } from '../../core/layout.js';
import { isSmallIntegerSource, loadPixelGlsl, type PixelSource } from './pixel_source.js';

/** Values per block: integer sums stay below 2^24 (255² × 256 and 65535 × 256). */
export const INTEGER_BLOCK = 256;
/** Values per block of the compensated float path. */
export const FLOAT_BLOCK = 1024;
/** Values each block writes. */
export const BLOCK_VALUES = 8;

export const blockSizeOf = (source: PixelSource): number => (isSmallIntegerSource(source) ? INTEGER_BLOCK : FLOAT_BLOCK);
export const blocksPerGroup = (pixels: number, source: PixelSource): number => Math.ceil(pixels / blockSizeOf(source));

export interface MomentsProgramShape {
  /** Blocks in all: images × channels × blocksPerGroup. */
  readonly blocks: number;
  readonly source: PixelSource;
  readonly layout: Layout;
}

export class MomentsProgram implements GPGPUProgram {
  readonly variableNames = ['X'];
  readonly outputShape: number[];
  readonly packedOutput = true;
  readonly userCode: string;
  readonly customUniforms = [
    { name: 'widthShift', type: 'int' as const },
    { name: 'channels', type: 'int' as const },
    { name: 'pixels', type: 'int' as const },
    { name: 'blocksPerGroup', type: 'int' as const },
    { name: 'one', type: 'float' as const },
  ];

  constructor(shape: MomentsProgramShape) {
    this.outputShape = [2 * shape.blocks, 4];
    const sourceIndex =
      shape.layout === 'channels_last' ? '((g / channels) * pixels + p) * channels + g % channels' : 'g * pixels + p';
    const block = blockSizeOf(shape.source);
    this.userCode = `
      ${loadPixelGlsl(shape.source)}
      int sourceIndex(int g, int p) { return ${sourceIndex}; }
      ${isSmallIntegerSource(shape.source) ? integerReduction(block) : floatReduction(block)}
    `;
  }

  static uniformValues(u: { widthShift: number; channels: number; pixels: number; blocksPerGroup: number }): number[][] {
    return [[u.widthShift], [u.channels], [u.pixels], [u.blocksPerGroup], [1]];
  }
}

/** The block of this fragment: g (image * C + channel), [first, last) pixels, and which half it writes. */
const BLOCK_PROLOGUE = (block: number) => `
  ivec2 rc = getOutputCoords();
  int b = rc.x / 2;
  bool firstHalf = rc.y == 0;
  int g = b / blocksPerGroup;
  int first = (b - g * blocksPerGroup) * ${block};
  int last = min(first + ${block}, pixels);
`;

const integerReduction = (block: number) => `
  void main() {
    ${BLOCK_PROLOGUE(block)}
    vec4 q = vec4(0.0);
    if (firstHalf) {
      for (int p = first; p < last; p++) {
        float v = loadPixel(sourceIndex(g, p));
        float h = floor(v / 256.0);
        float l = v - 256.0 * h;
        q += vec4(v, h * h, h * l, l * l);
      }
    } else {
      q.xy = vec2(65536.0, -1.0);
      for (int p = first; p < last; p++) {
        float v = loadPixel(sourceIndex(g, p));
        q.xy = vec2(min(q.x, v), max(q.y, v));
      }
    }
    setOutput(q);
  }
`;

const floatReduction = (block: number) => `
  // Compilers may simplify (a + b) - a to b; multiplying by a uniform 1.0 is exact but hides the identity.
  float opaque(float x) { return x * one; }

  // Knuth's TwoSum: s + e == a + b exactly.
  vec2 twoSum(float a, float b) {
    float s = opaque(a + b);
    float bb = opaque(s - a);
    return vec2(s, (a - opaque(s - bb)) + (b - bb));
  }

  // Dekker's TwoProduct: p + e == a * b exactly (4097 = 2^12 + 1 splits a float into halves).
  vec2 twoProduct(float a, float b) {
    float p = opaque(a * b);
    float ta = opaque(4097.0 * a);
    float ah = ta - opaque(ta - a);
    float al = a - ah;
    float tb = opaque(4097.0 * b);
    float bh = tb - opaque(tb - b);
    float bl = b - bh;
    return vec2(p, ((ah * bh - p) + ah * bl + al * bh) + al * bl);
  }

  vec2 addPair(vec2 a, vec2 b) {
    vec2 s = twoSum(a.x, b.x);
    float lo = s.y + a.y + b.y;
    float hi = opaque(s.x + lo);
    return vec2(hi, lo - opaque(hi - s.x));
  }

  bool isNonFinite(float v) { return (floatBitsToUint(v) & 0x7f800000u) == 0x7f800000u; }

  void main() {
    ${BLOCK_PROLOGUE(block)}
    float shift = loadPixel(sourceIndex(g, first));
    if (isNonFinite(shift)) shift = 0.0;
    vec2 sum = vec2(0.0);
    vec2 squares = vec2(0.0);
    float lo = 3.4028234663852886e38;
    float hi = -3.4028234663852886e38;
    float bad = 0.0;
    for (int p = first; p < last; p++) {
      float v = loadPixel(sourceIndex(g, p));
      if (isNonFinite(v)) {
        bad += 1.0;
      } else if (firstHalf) {
        float d = v - shift;
        sum = addPair(sum, vec2(d, 0.0));
        squares = addPair(squares, twoProduct(d, d));
      } else {
        lo = min(lo, v);
        hi = max(hi, v);
      }
    }
    setOutput(firstHalf ? vec4(sum, squares) : vec4(lo, hi, shift, bad));
  }
`;
