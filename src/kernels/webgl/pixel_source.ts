/**
 * Where a webgl program reads pixel values from, and the GLSL that reads one.
 *
 * | source       | input                                             | value of pixel i                   |
 * |--------------|---------------------------------------------------|------------------------------------|
 * | 'u8x4'       | 'uint8x4' words, uploaded as bytes (byte_texture) | byte i of the little-endian words  |
 * | 'u16x2'      | 'uint16x2' words, uploaded as bytes               | bytes 2i, 2i+1 as a uint16         |
 * | 'i32bytes'   | int32 pixels still on the host, uploaded as bytes | the int32 word i (rounded to float32 as tfjs would) |
 * | 'texture'    | float32 pixels, or int32 pixels tfjs already holds on the GPU | tfjs's own texture (`getX`) |
 *
 * Packed words that tfjs has already uploaded are refused: its float32
 * texture has rounded every word above 2^24, so their bytes are gone.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { PixelprepError } from '../../core/errors.js';
import { PIXEL_PACKINGS, type PixelPacking } from '../../core/kernel_names.js';
import { hostWords, uploadWords, type ByteTexture } from './byte_texture.js';

export const PIXEL_SOURCES = ['u8x4', 'u16x2', 'i32bytes', 'texture'] as const;
export type PixelSource = (typeof PIXEL_SOURCES)[number];

/** True for the sources holding 8- or 16-bit integers (reduced with exact integer sums). */
export const isSmallIntegerSource = (source: PixelSource): boolean => source === 'u8x4' || source === 'u16x2';

/** A program's pixel input, ready for runWebGLProgram. */
export interface ProgramInput {
  readonly source: PixelSource;
  readonly info: TensorInfo;
  /** log2 of the texels per row of a byte texture (0 for 'texture'). */
  readonly widthShift: number;
  /** Frees what was created for the program. */
  release(): void;
}

// float64 is never handed to this backend (its packings list leaves it out).
const WORDS_PER_VALUE: Readonly<Record<PixelPacking, number>> = { none: 1, uint8x4: 1 / 4, uint16x2: 1 / 2, float64: 2 };

/**
 * Resolves the kernel's `x` into a program input for `valueCount` pixels.
 * @throws PixelprepError E_ARGUMENT for an unknown packing, E_DTYPE / E_SHAPE when x does not match it,
 *   E_BACKEND when packed words are already on the GPU (rounded by tfjs's float texture).
 */
export function programInput(backend: MathBackendWebGL, x: TensorInfo, packing: PixelPacking, valueCount: number, kernelName: string): ProgramInput {
  if (!PIXEL_PACKINGS.includes(packing)) {
    throw new PixelprepError('E_ARGUMENT', `Expected attrs.packing of '${kernelName}' to be one of ${PIXEL_PACKINGS.join(', ')} but received ${String(packing)}`);
  }
  const size = tf.util.sizeFromShape(x.shape);
  const words = Math.ceil(valueCount * WORDS_PER_VALUE[packing]);
  if (packing !== 'none' && (x.dtype !== 'int32' || size !== words)) {
    throw new PixelprepError('E_SHAPE', `Expected x of '${kernelName}' to be ${words} int32 words (${valueCount} values packed '${packing}') but received ${size} values of dtype ${x.dtype}`);
  }
  if (packing === 'none' && size !== valueCount) {
    throw new PixelprepError('E_SHAPE', `Expected x of '${kernelName}' to hold ${valueCount} values (attrs.shape) but received ${size}`);
  }
  if (packing === 'none' && x.dtype !== 'int32' && x.dtype !== 'float32') {
    throw new PixelprepError('E_DTYPE', `Expected x of '${kernelName}' to be int32 or float32 but received ${x.dtype}`);
  }
  const host = x.dtype === 'int32' ? hostWords(backend, x) : null;
  if (packing !== 'none' && !host) {
    throw new PixelprepError(
      'E_BACKEND',
      `Expected the '${packing}' words of '${kernelName}' on the host but tfjs-backend-webgl has already uploaded them to a float32 texture, which rounds words above 2^24; pass a fresh tensor of the words`,
    );
  }
  if (host) {
    const texture: ByteTexture = uploadWords(backend, host);
    const source: PixelSource = packing === 'uint8x4' ? 'u8x4' : packing === 'uint16x2' ? 'u16x2' : 'i32bytes';
    return { source, info: texture.info, widthShift: texture.widthShift, release: () => texture.release() };
  }
  return { source: 'texture', info: { dataId: x.dataId, shape: [size], dtype: x.dtype }, widthShift: 0, release: () => undefined };
}

/** GLSL `float loadPixel(int i)`: pixel i of input X (a byte texture of 2^widthShift texels per row, or tfjs's texture). */
export function loadPixelGlsl(source: PixelSource): string {
  const fetch = (word: string) => `texelFetch(X, ivec2((${word}) & ((1 << widthShift) - 1), (${word}) >> widthShift), 0)`;
  const byte = (v: string) => `floor(${v} * 255.0 + 0.5)`;
  switch (source) {
    case 'u8x4':
      return `float loadPixel(int i) { vec4 b = ${fetch('i >> 2')}; return ${byte('b[i & 3]')}; }`;
    case 'u16x2':
      return `float loadPixel(int i) { vec4 b = ${fetch('i >> 1')}; int h = (i & 1) * 2; return ${byte('b[h]')} + 256.0 * ${byte('b[h + 1]')}; }`;
    case 'i32bytes':
      return `float loadPixel(int i) {
        uvec4 b = uvec4(${fetch('i')} * 255.0 + 0.5);
        return float(int(b.x | (b.y << 8) | (b.z << 16) | (b.w << 24)));
      }`;
    case 'texture':
      return 'float loadPixel(int i) { return getX(i); }';
  }
}
