/**
 * Exact transport of integer words to a WebGL shader.
 *
 * tfjs-backend-webgl stores int32 tensors in float32 textures: on upload the
 * Int32Array is copied into a Float32Array, so a word above 2^24 (any packed
 * 'uint8x4' word whose top byte is set) loses its low bits. The kernels
 * therefore upload the words' bytes themselves, as an RGBA8 texture with one
 * 32-bit little-endian word per texel (no copy: a Uint8Array view of the
 * Int32Array), and rebuild each value in the shader from the four bytes,
 * which RGBA8 sampling returns as b / 255 (recovered exactly by rounding).
 *
 * The texture enters tfjs as a temporary TensorInfo whose texture is set
 * directly, the way MathBackendWebGL.writeTexture adopts a caller's texture,
 * so `runWebGLProgram` binds it like any input; it is detached and deleted
 * afterwards, never returned to tfjs's texture pool.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { PixelprepError } from '../../core/errors.js';

/** A byte texture holding the words, as a program input. */
export interface ByteTexture {
  /** The input to pass to runWebGLProgram (shape [rows, 2^widthShift]). */
  readonly info: TensorInfo;
  /** Texels (words) per row are 2^widthShift: word t is at (t & (2^widthShift - 1), t >> widthShift), no integer division. */
  readonly widthShift: number;
  /** Detaches the texture from tfjs and deletes it. */
  release(): void;
}

/** tfjs's record of a tensor's texture, and the WebGL texture handle inside it. */
type TextureRecord = ReturnType<MathBackendWebGL['texData']['get']>;
type GlTexture = NonNullable<TextureRecord['texture']>['texture'];

/** The subset of WebGL 2 calls used here (typed here: the project compiles without the DOM library). */
interface Gl {
  readonly TEXTURE_2D: number;
  readonly RGBA8: number;
  readonly RGBA: number;
  readonly UNSIGNED_BYTE: number;
  readonly NEAREST: number;
  readonly CLAMP_TO_EDGE: number;
  readonly TEXTURE_MIN_FILTER: number;
  readonly TEXTURE_MAG_FILTER: number;
  readonly TEXTURE_WRAP_S: number;
  readonly TEXTURE_WRAP_T: number;
  readonly UNPACK_ALIGNMENT: number;
  createTexture(): GlTexture;
  deleteTexture(texture: GlTexture): void;
  bindTexture(target: number, texture: GlTexture | null): void;
  texParameteri(target: number, name: number, value: number): void;
  texStorage2D(target: number, levels: number, format: number, width: number, height: number): void;
  texSubImage2D(target: number, level: number, x: number, y: number, width: number, height: number, format: number, type: number, data: Uint8Array): void;
  pixelStorei(name: number, value: number): void;
  getError(): number;
}

const isWebGL2 = (gl: unknown): gl is Gl => typeof gl === 'object' && gl !== null && 'texStorage2D' in gl;

/**
 * The host words of an int32 tensor that tfjs has never uploaded, or null.
 * Values tfjs holds beside a texture are a download of that float32 texture
 * (already rounded above 2^24), so they do not count.
 */
export function hostWords(backend: MathBackendWebGL, x: TensorInfo): Int32Array | null {
  const data = backend.texData.get(x.dataId);
  return data && data.texture == null && data.values instanceof Int32Array ? data.values : null;
}

/**
 * Uploads `words` as an RGBA8 texture, one word per texel, rows of a power
 * of two texels (at most WEBGL_MAX_TEXTURE_SIZE).
 *
 * @throws PixelprepError E_SHAPE when the words do not fit one texture, E_BACKEND when GL fails.
 */
export function uploadWords(backend: MathBackendWebGL, words: Int32Array): ByteTexture {
  const gl: unknown = backend.gpgpu.gl;
  // tfjs types the context as WebGL 1; a WebGL 2 backend (checked by webglBackendFor) holds a WebGL 2 one.
  if (!isWebGL2(gl)) throw new PixelprepError('E_BACKEND', 'Expected a WebGL 2 context (texStorage2D) for the byte texture but the backend holds a WebGL 1 one');
  const maxSize = tf.env().getNumber('WEBGL_MAX_TEXTURE_SIZE');
  // A power-of-two row width, so that the shader finds a word's texel with a mask and a shift.
  const widthShift = Math.min(Math.floor(Math.log2(maxSize)), Math.ceil(Math.log2(Math.max(words.length, 1))));
  const width = 2 ** widthShift;
  const rows = Math.ceil(words.length / width);
  if (rows > maxSize) {
    throw new PixelprepError('E_SHAPE', `Expected at most ${maxSize * maxSize} 32-bit words (one ${maxSize}×${maxSize} texture) but received ${words.length}`);
  }
  const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  const texture = gl.createTexture();
  gl.bindTexture(gl.TEXTURE_2D, texture);
  for (const [name, value] of [
    [gl.TEXTURE_MIN_FILTER, gl.NEAREST],
    [gl.TEXTURE_MAG_FILTER, gl.NEAREST],
    [gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE],
    [gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE],
  ]) {
    gl.texParameteri(gl.TEXTURE_2D, name, value);
  }
  gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA8, width, rows);
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
  const fullRows = Math.floor(words.length / width);
  if (fullRows > 0) gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, width, fullRows, gl.RGBA, gl.UNSIGNED_BYTE, bytes.subarray(0, fullRows * width * 4));
  const rest = words.length - fullRows * width;
  if (rest > 0) gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, fullRows, rest, 1, gl.RGBA, gl.UNSIGNED_BYTE, bytes.subarray(fullRows * width * 4));
  gl.bindTexture(gl.TEXTURE_2D, null);
  const error = gl.getError();
  if (error !== 0) {
    gl.deleteTexture(texture);
    throw new PixelprepError('E_BACKEND', `Expected the byte texture upload (${width}×${rows} RGBA8) to succeed but WebGL reported error 0x${error.toString(16)}`);
  }
  const info = backend.makeTensorInfo([rows, width], 'int32');
  const data = backend.texData.get(info.dataId);
  data.texture = { texture, texShape: [rows, width] };
  data.texShape = [rows, width];
  data.isPacked = false;
  return {
    info,
    widthShift,
    release() {
      data.texture = undefined;
      backend.disposeIntermediateTensorInfo(info);
      gl.deleteTexture(texture);
    },
  };
}
