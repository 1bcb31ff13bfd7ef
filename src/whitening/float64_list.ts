/**
 * Float64 lists in JSON: short lists as plain numbers (readable, and JSON's
 * shortest round-trip form is exact), long ones (a ZCA's D×D matrix) as
 * little-endian float64 bytes in base64, a third of the size and just as exact.
 */
import { PixelprepError } from '../core/errors.js';
import { describe, isInteger, isNumber, isPlainObject } from '../core/validate.js';

export const FLOAT64_ENCODING = 'base64-float64le';

/** A long float64 list in JSON. */
export interface EncodedFloat64 {
  encoding: typeof FLOAT64_ENCODING;
  length: number;
  data: string;
}

/** Lists up to this length are written as JSON numbers. */
export const INLINE_MAX = 4096;

/** `values` as JSON numbers when short, as base64 float64 otherwise. */
export function encodeFloat64(values: Float64Array): number[] | EncodedFloat64 {
  return values.length <= INLINE_MAX ? Array.from(values) : encodeBase64(values);
}

/** `values` as little-endian float64 bytes in base64. */
export function encodeBase64(values: Float64Array): EncodedFloat64 {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return { encoding: FLOAT64_ENCODING, length: values.length, data: bytesToBase64(new Uint8Array(view.buffer)) };
}

/**
 * Reads a list written by encodeFloat64, or, with `rowLength`, a matrix
 * written by encodeMatrix (rows of `rowLength` numbers, flattened row by row).
 * @throws PixelprepError E_FORMAT naming `field` when it is neither, E_STATS on a
 *   wrong length or a non-finite value.
 */
export function decodeFloat64(value: unknown, length: number, field: string, rowLength?: number): Float64Array {
  if (Array.isArray(value)) {
    const rows = rowLength !== undefined && value.length > 0 && Array.isArray(value[0]);
    if (rows) {
      value.forEach((row: unknown, i) => {
        if (!Array.isArray(row)) throw new PixelprepError('E_FORMAT', `Expected ${field} row ${i} to be a list of numbers but received ${describe(row)}`);
        if (row.length !== rowLength) throw new PixelprepError('E_STATS', `Expected ${rowLength} values in ${field} row ${i} but received ${row.length}`);
      });
    }
    const flat: unknown[] = rows ? (value as unknown[][]).flat() : value;
    if (flat.length !== length) throw new PixelprepError('E_STATS', `Expected ${length} values for ${field} but received ${flat.length}`);
    const out = new Float64Array(length);
    flat.forEach((v, i) => {
      if (!isNumber(v)) throw new PixelprepError('E_STATS', `Expected a finite number for ${field} value ${i} but received ${describe(v)}`);
      out[i] = v;
    });
    return out;
  }
  if (!isPlainObject(value) || value.encoding !== FLOAT64_ENCODING || typeof value.data !== 'string' || !isInteger(value.length)) {
    throw new PixelprepError('E_FORMAT', `Expected ${field} to be a list of numbers or { encoding: '${FLOAT64_ENCODING}', length, data } but received ${describe(value)}`);
  }
  if (value.length !== length) throw new PixelprepError('E_STATS', `Expected ${length} values for ${field} but received ${value.length}`);
  const bytes = base64ToBytes(value.data, field);
  if (bytes.length !== length * 8) {
    throw new PixelprepError('E_FORMAT', `Expected ${length * 8} bytes of base64 float64 data for ${field} but received ${bytes.length}`);
  }
  const out = new Float64Array(length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < length; i++) {
    const v = view.getFloat64(i * 8, true);
    if (!Number.isFinite(v)) throw new PixelprepError('E_STATS', `Expected a finite number for ${field} value ${i} but received ${v}`);
    out[i] = v;
  }
  return out;
}

/** Rows of a row-major D×D matrix as number lists when small, else the encoded flat list. */
export function encodeMatrix(values: Float64Array, D: number): number[][] | EncodedFloat64 {
  if (values.length > INLINE_MAX) return encodeBase64(values);
  return Array.from({ length: D }, (_, i) => Array.from(values.subarray(i * D, (i + 1) * D)));
}

/** Base64 through the web platform's btoa (Node has it too), in chunks that fit an argument list. */
function bytesToBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function base64ToBytes(data: string, field: string): Uint8Array {
  let text: string;
  try {
    text = atob(data);
  } catch (error) {
    throw new PixelprepError('E_FORMAT', `Expected base64 float64 data for ${field} but received characters outside base64`, { cause: error });
  }
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
