/**
 * NumPy .npy files (format version 1.0, or 2.0/3.0 when reading): a magic
 * string, a Python-literal header `{'descr': '<f4', 'fortran_order': False,
 * 'shape': (2, 3), }` padded to a multiple of 64 bytes, then the values in C
 * order. Written byte for byte as `numpy.save` writes them (numpy ≥ 1.23,
 * which leaves room in the header for the first axis to grow).
 */
import { constants as bufferConstants } from 'node:buffer';
import { PixelprepError } from '../core/errors.js';
import { writeFileAtomic } from './atomic_write.js';
import type { PixelArray } from '../core/input.js';
import { fail, isPlainObject } from '../core/validate.js';
import { readRegularFile } from './read_regular.js';
import { assertFiniteOutput } from '../core/float32_range.js';

/** An n-dimensional array as .npy stores it: values in C order and the shape. */
export interface NpyArray {
  readonly data: PixelArray;
  readonly shape: readonly number[];
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN = 64;
/** numpy pads the header so the first axis can grow to this many digits in place. */
const GROWTH_AXIS_MAX_DIGITS = 21;

type Kind = 'u1' | 'u2' | 'i4' | 'f4' | 'f8';
const KIND_OF: ReadonlyArray<[new (length: number) => PixelArray, Kind]> = [
  [Uint8Array, 'u1'],
  [Uint8ClampedArray, 'u1'],
  [Uint16Array, 'u2'],
  [Int32Array, 'i4'],
  [Float32Array, 'f4'],
  [Float64Array, 'f8'],
];
/** Readable dtypes: numpy's type code → array constructor ('b1', numpy's bool, reads as 0/1 bytes). */
const READERS: Readonly<Record<string, { make: (buffer: ArrayBuffer) => PixelArray; size: number }>> = {
  u1: { make: (b) => new Uint8Array(b), size: 1 },
  b1: { make: (b) => new Uint8Array(b), size: 1 },
  u2: { make: (b) => new Uint16Array(b), size: 2 },
  i4: { make: (b) => new Int32Array(b), size: 4 },
  f4: { make: (b) => new Float32Array(b), size: 4 },
  f8: { make: (b) => new Float64Array(b), size: 8 },
};

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** numpy's descr for a typed array: '|u1', '<u2', '<i4', '<f4' or '<f8'. */
export function npyDescr(data: PixelArray): string {
  const entry = KIND_OF.find(([type]) => data instanceof type);
  if (!entry) return fail('E_DTYPE', 'data', 'a Uint8Array, Uint8ClampedArray, Uint16Array, Int32Array, Float32Array or Float64Array', data);
  return entry[1] === 'u1' ? '|u1' : `<${entry[1]}`;
}

/** Python's repr of a shape tuple: (), (5,), (2, 3). */
const shapeRepr = (shape: readonly number[]): string => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);

const isPixelArray = (value: unknown): value is PixelArray => KIND_OF.some(([type]) => value instanceof type);

function checkArray(array: unknown, name: string): NpyArray {
  if (!isPlainObject(array)) return fail('E_ARGUMENT', name, 'an array { data, shape }', array);
  const { data, shape } = array;
  if (!isPixelArray(data)) return fail('E_DTYPE', `${name}.data`, 'a Uint8Array, Uint8ClampedArray, Uint16Array, Int32Array, Float32Array or Float64Array', data);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return fail('E_SHAPE', `${name}.shape`, 'a list of non-negative integers', shape);
  const dims = shape as number[];
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new PixelprepError('E_SHAPE', `Expected ${name}.data to hold ${count} values for shape [${dims.join(',')}] but received ${data.length}`);
  }
  return { data, shape: dims };
}

/**
 * Encodes an array as .npy bytes (version 1.0, little-endian, C order), identical to `numpy.save`.
 *
 * @example
 * const bytes = encodeNpy({ data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
 * // numpy.load reads array([[1., 2., 3.], [4., 5., 6.]], dtype=float32)
 * @throws PixelprepError E_DTYPE for an unsupported typed array, E_SHAPE when data and shape disagree.
 */
export function encodeNpy(array: NpyArray): Uint8Array {
  const { data, shape } = checkArray(array, 'array');
  const descr = npyDescr(data);
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeRepr(shape)}, }`;
  if (shape.length > 0) header += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  const unpadded = MAGIC.length + 4 + header.length + 1;
  header += `${' '.repeat(ALIGN - (unpadded % ALIGN))}\n`;
  if (header.length > 0xffff) throw new PixelprepError('E_SHAPE', `Expected a shape whose .npy header fits in 65535 bytes but received [${shape.join(',')}]`);
  const prefix = MAGIC.length + 4;
  const out = new Uint8Array(prefix + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  out.set(body, prefix + header.length);
  if (!littleEndianHost) swapBytes(out.subarray(prefix + header.length), READERS[descr.slice(1)].size);
  return out;
}

/**
 * Decodes .npy bytes. Reads versions 1.0 to 3.0, dtypes u1, b1 (as 0/1 bytes), u2, i4, f4 and f8
 * in either byte order, C order only.
 *
 * @param name how errors name the source (a file path, by default "the .npy data").
 * @throws PixelprepError E_FORMAT for a malformed or truncated file, E_DTYPE for another dtype
 *   (e.g. int64: save with `.astype(np.int32)`), E_SHAPE for Fortran order.
 */
export function decodeNpy(bytes: Uint8Array, name = 'the .npy data'): NpyArray {
  if (!(bytes instanceof Uint8Array)) fail('E_ARGUMENT', 'bytes', 'a Uint8Array', bytes);
  const bad = (what: string): never => {
    throw new PixelprepError('E_FORMAT', `Expected a NumPy .npy file in ${name} but ${what}`);
  };
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) bad('it does not start with the \\x93NUMPY magic string');
  const major = bytes[6];
  if (major < 1 || major > 3) bad(`its format version is ${major}.${bytes[7]} (1.0 to 3.0 are read)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) bad('it ends inside the header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes + headerLength;
  if (bytes.length < start) bad('it ends inside the header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, start));

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) return bad(`its header is not a {descr, fortran_order, shape} dictionary: ${header.trim()}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim().replace(/L$/, ''))
    .filter((s) => s.length > 0)
    .map(Number);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) bad(`its shape is not a tuple of non-negative integers: (${shapeText})`);

  const hasOrder = '<>|='.includes(descr[0]);
  const order = hasOrder ? descr[0] : '|';
  const reader = READERS[hasOrder ? descr.slice(1) : descr];
  if (!reader) {
    throw new PixelprepError('E_DTYPE', `Expected a .npy dtype among uint8, bool, uint16, int32, float32, float64 in ${name} but received '${descr}' (convert with .astype(np.float32) or similar)`);
  }
  if (fortran === 'True') {
    throw new PixelprepError('E_SHAPE', `Expected a C-order array in ${name} but it is stored in Fortran order (save np.ascontiguousarray(a) instead)`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const byteLength = count * reader.size;
  if (bytes.length - start < byteLength) bad(`it holds ${bytes.length - start} data bytes where shape (${shape.join(', ')}) of '${descr}' needs ${byteLength} (truncated)`);
  // A copy, so the values are aligned and independent of the file's buffer.
  const body = new Uint8Array(bytes.subarray(start, start + byteLength));
  const bigEndian = order === '>' || (order === '=' && !littleEndianHost);
  if (reader.size > 1 && bigEndian === littleEndianHost) swapBytes(body, reader.size);
  return { data: reader.make(body.buffer), shape };
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

/**
 * Writes an array to a .npy file atomically (numpy.load reads it).
 * @example
 * await writeNpy('batch.npy', { data: scaled, shape: [32, 224, 224, 3] });
 * @throws PixelprepError E_VALUE when float data holds NaN or ±Infinity (nothing is written);
 *   E_IO when the file cannot be written or the path is not a regular file or new (no partial file is left).
 */
export async function writeNpy(path: string, array: NpyArray): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) fail('E_ARGUMENT', 'path', 'a file path', path);
  const bytes = encodeNpy(array);
  // Finite input never becomes a file of ±Infinity or NaN: float data is checked before anything is written.
  if (array.data instanceof Float32Array || array.data instanceof Float64Array) assertFiniteOutput(array.data, path);
  await writeFileAtomic(path, bytes);
}

/**
 * Reads a .npy file (as numpy.save writes it).
 * @throws PixelprepError E_IO when the file cannot be read, E_FORMAT/E_DTYPE/E_SHAPE as decodeNpy.
 */
export async function readNpy(path: string): Promise<NpyArray> {
  if (typeof path !== 'string' || path.length === 0) fail('E_ARGUMENT', 'path', 'a file path', path);
  // Regular files only (not a FIFO or a device), no larger than one buffer can hold.
  return decodeNpy(await readRegularFile(path, 'a .npy file', bufferConstants.MAX_LENGTH), path);
}
