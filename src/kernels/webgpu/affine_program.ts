/**
 * The fused affine plan as one WGSL compute program:
 *
 *     y = clip((x - shift[s]) * scale[s] + base[s], lo, hi) * post.scale + post.offset
 *
 * with s the coefficient set of the output value's (image, channel), and x read
 * from input channel channelOrder[c]. shift = f32(-offset / scale) and
 * base = offset + shift * scale (float64, then f32), as in the composite chain:
 * values near the mean are subtracted before they are scaled, so float32 keeps
 * its precision there. Each thread writes four consecutive outputs.
 *
 * Input encodings (`X`):
 * - 'u8x4': uint8 pixels packed four to a 32-bit word (byte i is bits 8*(i%4)
 *   of word i/4, little-endian), unpacked with shifts: a quarter of the upload.
 * - 'u16x2': uint16 pixels packed two to a word.
 * - 'i32': int32 values.
 * - 'f32': float32 values; a NaN or ±Infinity input writes NaN, which the
 *   backend turns into an E_VALUE error when the output is read.
 *
 * `K` holds [shift, scale, base] per coefficient set, then the channel order.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { Layout } from '../../core/layout.js';

/** Every input encoding the programs read. */
export const INPUT_ENCODINGS = ['u8x4', 'u16x2', 'i32', 'f32'] as const;
/** How pixel values are laid out in the program's input buffer. */
export type InputEncoding = (typeof INPUT_ENCODINGS)[number];

/** Outputs each thread writes. */
export const VALUES_PER_THREAD = 4;
const WORKGROUP_SIZE = 64;

/** What is compiled into the shader (one pipeline per combination). */
export interface AffineProgramShape {
  /** Values in the output (and the input), at most 2^31 - 1. */
  readonly size: number;
  readonly encoding: InputEncoding;
  readonly layout: Layout;
  readonly clip: boolean;
  readonly post: boolean;
  readonly reorder: boolean;
  /** One coefficient set per image (else one shared by the batch). */
  readonly perImage: boolean;
  /** One coefficient set per channel (else one shared by every channel). */
  readonly perChannel: boolean;
}

/** The program object tfjs-backend-webgpu compiles and dispatches (`backend.runWebGPUProgram`). */
export class AffineProgram implements WebGPUProgram {
  // tfjs assigns shaderKey, dispatch and pipeline when it runs the program.
  readonly variableNames = ['X', 'K'];
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [WORKGROUP_SIZE, 1, 1];
  readonly variableComponents = [1, 1];
  readonly size = true;
  readonly uniforms = 'channels : i32, pixels : i32, channelSets : i32, orderOffset : i32, lo : f32, hi : f32, postScale : f32, postOffset : f32,';
  private readonly shape: AffineProgramShape;

  constructor(shape: AffineProgramShape) {
    this.shape = shape;
    this.outputShape = [shape.size];
    this.dispatchLayout = { x: [0] };
    const threads = Math.ceil(shape.size / VALUES_PER_THREAD);
    this.dispatch = [Math.ceil(threads / WORKGROUP_SIZE), 1, 1];
    const flags = (['clip', 'post', 'reorder', 'perImage', 'perChannel'] as const).filter((f) => shape[f]);
    this.shaderKey = `pixelprepAffine_${shape.encoding}_${shape.layout}_${flags.join('_')}`;
  }

  getUserCode(): string {
    const { encoding, layout, clip, post, reorder, perImage, perChannel } = this.shape;
    const needsChannel = perChannel || reorder;
    // Channels-last channels advance by one per value: one modulo per thread instead of one per value.
    const channel = !needsChannel
      ? ''
      : layout === 'channels_last'
        ? 'if (k == 0) { c = i % uniforms.channels; } else { c = select(c + 1, 0, c + 1 == uniforms.channels); }'
        : 'c = (i / uniforms.pixels) % uniforms.channels;';
    const source = !reorder
      ? 'i'
      : layout === 'channels_last'
        ? 'i - c + i32(K[uniforms.orderOffset + c])'
        : 'i + (i32(K[uniforms.orderOffset + c]) - c) * uniforms.pixels';
    const set = [perImage ? '(i / (uniforms.channels * uniforms.pixels)) * uniforms.channelSets' : '', perChannel ? 'c' : ''].filter(Boolean).join(' + ') || '0';
    return `
      ${encoding === 'f32' ? NON_FINITE_WGSL : ''}
      fn loadPixel(i : i32) -> f32 {
        ${PIXEL_LOADERS[encoding]}
      }

      fn main(thread : i32) {
        var c = 0;
        for (var k = 0; k < ${VALUES_PER_THREAD}; k++) {
          let i = thread * ${VALUES_PER_THREAD} + k;
          if (i >= uniforms.size) {
            return;
          }
          ${channel}
          let cs = 3 * (${set});
          let x = loadPixel(${source});
          var y = (x - K[cs]) * K[cs + 1] + K[cs + 2];
          ${clip ? 'y = min(max(y, uniforms.lo), uniforms.hi);' : ''}
          ${post ? 'y = y * uniforms.postScale + uniforms.postOffset;' : ''}
          ${encoding === 'f32' ? 'if (isNonFinite(x)) { y = uniforms.NAN; }' : ''}
          setOutputAtIndex(i, y);
        }
      }
    `;
  }
}

/** WGSL bodies of `loadPixel(i) -> f32`: the i-th pixel value of `X` under each encoding. */
export const PIXEL_LOADERS: Readonly<Record<InputEncoding, string>> = {
  u8x4: 'return f32((bitcast<u32>(X[i >> 2u]) >> (u32(i & 3) * 8u)) & 0xffu);',
  u16x2: 'return f32((bitcast<u32>(X[i >> 1u]) >> (u32(i & 1) * 16u)) & 0xffffu);',
  i32: 'return f32(X[i]);',
  f32: 'return X[i];',
};

/** NaN and ±Infinity are the floats with every exponent bit set; tested on the bits, which no compiler may assume away. */
export const NON_FINITE_WGSL = `
  fn isNonFinite(v : f32) -> bool {
    return (bitcast<u32>(v) & 0x7f800000u) == 0x7f800000u;
  }
`;
