/**
 * The fused affine plan as one WebGL fragment program (a tfjs GPGPUProgram):
 *
 *     y = clip((x - shift[s]) * scale[s] + base[s], lo, hi) * postScale + postOffset
 *
 * with s the coefficient set of the value's (image, channel) and x read from
 * input channel channelOrder[c]. The output is packed (four values per RGBA
 * texel, tfjs's 2×2 layout over the last two axes): a quarter of the
 * fragments of an unpacked pass, and the layout tfjs's own ops read without
 * a conversion. The program's output shape is [outer, rows, columns] (the
 * pixels' last two axes, the rest folded into outer), which tfjs lays out
 * exactly as the pixels' own shape (a reshape-free pair), so the kernel hands
 * the texture back under the pixels' shape. shift, scale
 * and base are the plan's coefficients in the shifted form of
 * shifted_coefficients.ts (float32 keeps its precision near the mean): the
 * table [shift, scale, base] per set, image-major, then the channel order.
 * Up to MAX_UNIFORM_SETS sets the table is in uniforms (`coef`, `order`),
 * beyond that in the small float32 input `K` (a texture read per value).
 */
import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import type { Layout } from '../../core/layout.js';
import { loadPixelGlsl, type PixelSource } from './pixel_source.js';

/** What is compiled into the shader (tfjs caches one binary per combination and shape). */
export interface AffineProgramShape {
  /** The pixels' shape (rank 2 or more, at most 2^31 - 1 values). */
  readonly shape: readonly number[];
  readonly source: PixelSource;
  readonly layout: Layout;
  readonly clip: boolean;
  readonly post: boolean;
  readonly reorder: boolean;
  /** One coefficient set per image (else one shared by the batch). */
  readonly perImage: boolean;
  /** One coefficient set per channel (else one shared by every channel). */
  readonly perChannel: boolean;
  /** Coefficient sets (images × channels of the plan). */
  readonly sets: number;
  /** Channels of the pixels (the channel order's length when reorder). */
  readonly channels: number;
}

/** Most coefficient sets passed as uniforms (one vec3 each; WebGL 2 guarantees 224 fragment uniform vectors). */
export const MAX_UNIFORM_SETS = 128;

/** Whether the table travels as uniforms (else as the input K). */
export const tableInUniforms = (shape: Pick<AffineProgramShape, 'sets' | 'channels' | 'reorder'>): boolean =>
  shape.sets + (shape.reorder ? shape.channels : 0) <= MAX_UNIFORM_SETS;

/** Uniform values in the order of AffineProgram.customUniforms. */
export interface AffineUniforms {
  widthShift: number;
  channels: number;
  pixels: number;
  channelSets: number;
  orderOffset: number;
  /** The coefficient table (coefficientTable). */
  table: Float32Array;
  lo: number;
  hi: number;
  postScale: number;
  postOffset: number;
}

export class AffineProgram implements GPGPUProgram {
  readonly variableNames: string[];
  readonly outputShape: number[];
  readonly packedOutput = true;
  readonly userCode: string;
  readonly customUniforms: { name: string; type: 'int' | 'float' | 'vec3'; arrayIndex?: number }[] = [
    { name: 'widthShift', type: 'int' as const },
    { name: 'channels', type: 'int' as const },
    { name: 'pixels', type: 'int' as const },
    { name: 'channelSets', type: 'int' as const },
    { name: 'orderOffset', type: 'int' as const },
    { name: 'lo', type: 'float' as const },
    { name: 'hi', type: 'float' as const },
    { name: 'postScale', type: 'float' as const },
    { name: 'postOffset', type: 'float' as const },
  ];

  private readonly uniformTable: boolean;
  private readonly reorder: boolean;
  private readonly sets: number;

  constructor(shape: AffineProgramShape) {
    this.outputShape = foldedShape(shape.shape);
    this.uniformTable = tableInUniforms(shape);
    this.reorder = shape.reorder;
    this.sets = shape.sets;
    this.variableNames = this.uniformTable ? ['X'] : ['X', 'K'];
    if (this.uniformTable) {
      this.customUniforms.push({ name: 'coef', type: 'vec3', arrayIndex: shape.sets });
      if (shape.reorder) this.customUniforms.push({ name: 'order', type: 'int', arrayIndex: shape.channels });
    }
    this.userCode = affineGlsl(shape, this.uniformTable);
  }

  /** The uniform values, in declaration order, as runWebGLProgram takes them. */
  uniformValues(u: AffineUniforms): number[][] {
    const values = [[u.widthShift], [u.channels], [u.pixels], [u.channelSets], [u.orderOffset], [u.lo], [u.hi], [u.postScale], [u.postOffset]];
    if (this.uniformTable) {
      values.push(Array.from(u.table.subarray(0, 3 * this.sets)));
      if (this.reorder) values.push(Array.from(u.table.subarray(3 * this.sets)));
    }
    return values;
  }
}

/** [outer, rows, columns]: the last two axes kept, the others folded into one. */
export function foldedShape(shape: readonly number[]): number[] {
  const rows = shape[shape.length - 2];
  const columns = shape[shape.length - 1];
  return [shape.slice(0, -2).reduce((a, b) => a * b, 1), rows, columns];
}

function affineGlsl({ shape, source, layout, clip, post, reorder, perImage, perChannel, channels: channelCount }: AffineProgramShape, uniformTable: boolean): string {
  const [, rows, columns] = foldedShape(shape);
  const orderOf = (c: string) => (uniformTable ? `order[${c}]` : `int(getK(orderOffset + ${c}))`);
  const coefficients = uniformTable ? 'coef[s]' : 'vec3(getK(3 * s), getK(3 * s + 1), getK(3 * s + 2))';
  const needsChannel = perChannel || reorder;
  // Channels last with more than one channel: the last axis is the channel axis, so a value's channel is its column.
  const columnIsChannel = needsChannel && layout === 'channels_last' && channelCount > 1;
  const channelOf = (i: string, column: string) =>
    !needsChannel ? '0' : columnIsChannel ? column : layout === 'channels_last' ? `(${i}) % channels` : `((${i}) / pixels) % channels`;
  const from = !reorder
    ? 'i'
    : layout === 'channels_last'
      ? `i - c + ${orderOf('c')}`
      : `i + (${orderOf('c')} - c) * pixels`;
  const set = [perImage ? '(i / (channels * pixels)) * channelSets' : '', perChannel ? 'c' : ''].filter(Boolean).join(' + ') || '0';
  return `
    ${loadPixelGlsl(source)}

    float valueAt(int i, int c) {
      int s = ${set};
      vec3 k = ${coefficients};
      float x = loadPixel(${from});
      float y = (x - k.x) * k.y + k.z;
      ${clip ? 'y = clamp(y, lo, hi);' : ''}
      ${post ? 'y = y * postScale + postOffset;' : ''}
      return y;
    }

    void main() {
      // The texel's top-left value (b, r, c) and its neighbours (b, r, c+1), (b, r+1, c), (b, r+1, c+1).
      ivec3 rc = getOutputCoords();
      int i = (rc.x * ${rows} + rc.y) * ${columns} + rc.z;
      bool right = rc.z + 1 < ${columns};
      bool below = rc.y + 1 < ${rows};
      setOutput(vec4(
        valueAt(i, ${channelOf('i', 'rc.z')}),
        right ? valueAt(i + 1, ${channelOf('i + 1', 'rc.z + 1')}) : 0.0,
        below ? valueAt(i + ${columns}, ${channelOf(`i + ${columns}`, 'rc.z')}) : 0.0,
        right && below ? valueAt(i + ${columns + 1}, ${channelOf(`i + ${columns + 1}`, 'rc.z + 1')}) : 0.0));
    }
  `;
}
