/**
 * Aliasing between a caller's output buffer and the input it is computed
 * from. Two typed arrays overlap when they view the same ArrayBuffer (or
 * SharedArrayBuffer) and their byte ranges intersect.
 */

/** True when `a` and `b` view intersecting bytes of one buffer. */
export function buffersOverlap(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.buffer !== b.buffer || a.byteLength === 0 || b.byteLength === 0) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** True when `a` and `b` are the same elements of one buffer: same type, offset and length. */
export function sameElements(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.byteLength === b.byteLength && a.constructor === b.constructor;
}
