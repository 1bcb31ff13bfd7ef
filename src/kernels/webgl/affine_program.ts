/**
 * The fused affine plan as one WebGL fragment program (a tfjs GPGPUProgram):
 *
 *     y = clip((x - shift[s]) * scale[s] + base[s], lo, hi) * postScale + postOffset
 *
 * one output value per fragment, with s the coefficient set of the value's
 * (image, channel) and x read from input channel channelOrder[c]. shift, scale
 * and base are the plan's coefficients in the shifted form of
 * shifted_coefficients.ts (float32 keeps its precision near the mean), read
 * from the small float32 input `K`: [shift, scale, base] per set, image-major,
 * then the channel order.
 */
import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import type { Layout } from '../../core/layout.js';
import { loadPixelGlsl, type PixelSource } from './pixel_source.js';

/** What is compiled into the shader (tfjs caches one binary per combination and shape). */
export interface AffineProgramShape {
  /** Values in the output, at most 2^31 - 1. */
  readonly size: number;
  readonly source: PixelSource;
  readonly layout: Layout;
  readonly clip: boolean;
  readonly post: boolean;
  readonly reorder: boolean;
  /** One coefficient set per image (else one shared by the batch). */
  readonly perImage: boolean;
  /** One coefficient set per channel (else one shared by every channel). */
  readonly perChannel: boolean;
}

/** Uniform values in the order of AffineProgram.customUniforms. */
export interface AffineUniforms {
  width: number;
  channels: number;
  pixels: number;
  channelSets: number;
  orderOffset: number;
  lo: number;
  hi: number;
  postScale: number;
  postOffset: number;
}

export class AffineProgram implements GPGPUProgram {
  readonly variableNames = ['X', 'K'];
  readonly outputShape: number[];
  readonly userCode: string;
  readonly customUniforms = [
    { name: 'width', type: 'int' as const },
    { name: 'channels', type: 'int' as const },
    { name: 'pixels', type: 'int' as const },
    { name: 'channelSets', type: 'int' as const },
    { name: 'orderOffset', type: 'int' as const },
    { name: 'lo', type: 'float' as const },
    { name: 'hi', type: 'float' as const },
    { name: 'postScale', type: 'float' as const },
    { name: 'postOffset', type: 'float' as const },
  ];

  constructor(shape: AffineProgramShape) {
    this.outputShape = [shape.size];
    this.userCode = affineGlsl(shape);
  }

  /** The uniform values, in declaration order, as runWebGLProgram takes them. */
  static uniformValues(u: AffineUniforms): number[][] {
    return [[u.width], [u.channels], [u.pixels], [u.channelSets], [u.orderOffset], [u.lo], [u.hi], [u.postScale], [u.postOffset]];
  }
}

function affineGlsl({ source, layout, clip, post, reorder, perImage, perChannel }: AffineProgramShape): string {
  const channel = layout === 'channels_last' ? 'i % channels' : '(i / pixels) % channels';
  const from = !reorder
    ? 'i'
    : layout === 'channels_last'
      ? 'i - c + int(getK(orderOffset + c))'
      : 'i + (int(getK(orderOffset + c)) - c) * pixels';
  const set = [perImage ? '(i / (channels * pixels)) * channelSets' : '', perChannel ? 'c' : ''].filter(Boolean).join(' + ') || '0';
  return `
    ${loadPixelGlsl(source)}

    void main() {
      int i = getOutputCoords();
      int c = ${perChannel || reorder ? channel : '0'};
      int s = 3 * (${set});
      float x = loadPixel(${from});
      float y = (x - getK(s)) * getK(s + 1) + getK(s + 2);
      ${clip ? 'y = clamp(y, lo, hi);' : ''}
      ${post ? 'y = y * postScale + postOffset;' : ''}
      setOutput(y);
    }
  `;
}
