/**
 * Content digests of the data a fit counts, so statistics can say what they
 * were fitted from and a merge can refuse the same data twice however its
 * files are named.
 *
 * Each input's bytes (with its element type and shape) are hashed to 64 bits
 * (two 32-bit MurmurHash3-style lanes with different seeds); a fit's digest is
 * the sum of its inputs' digests, lane by lane, modulo 2³². The sum does not
 * depend on the order of the inputs, so shards fitted in any order, and merges
 * of them, have well-defined digests: the digest of a merge is the sum of its
 * parts'. Not a cryptographic hash: it finds accidents (a shard merged twice
 * under two names, a copied stats file), not forgeries.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixWord(h: number, word: number): number {
  let k = Math.imul(word, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Two 32-bit lanes: the digest of one input, or a sum of them. */
export type Digest = readonly [number, number];

/** The digest of one input: its element type, shape and bytes. */
export function inputDigest(data: ArrayBufferView, dtype: string, shape: readonly number[]): Digest {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const label = `${dtype}[${shape.join(',')}]`;
  let a = 0x9747b28c;
  let b = 0x5bd1e995;
  for (let i = 0; i < label.length; i++) {
    a = mixWord(a, label.charCodeAt(i));
    b = mixWord(b, label.charCodeAt(i) ^ 0xff);
  }
  const words = bytes.length >>> 2;
  // A view of whole 32-bit words when the data is aligned; otherwise words are assembled from bytes.
  const aligned = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, words) : null;
  for (let i = 0; i < words; i++) {
    const w = aligned ? aligned[i] : bytes[4 * i] | (bytes[4 * i + 1] << 8) | (bytes[4 * i + 2] << 16) | (bytes[4 * i + 3] << 24);
    a = mixWord(a, w);
    b = mixWord(b, w ^ 0x2545f491);
  }
  for (let i = words * 4; i < bytes.length; i++) {
    a = mixWord(a, bytes[i]);
    b = mixWord(b, bytes[i] ^ 0x2545f491);
  }
  return [finish(a, bytes.length), finish(b, bytes.length ^ 0x3c6ef372)];
}

/** The lane-wise sum of digests (modulo 2³²). */
export function addDigests(...digests: Digest[]): Digest {
  let a = 0;
  let b = 0;
  for (const [x, y] of digests) {
    a = (a + x) >>> 0;
    b = (b + y) >>> 0;
  }
  return [a, b];
}

/** 16 hex digits. */
export const formatDigest = ([a, b]: Digest): string => a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');

/** The inverse of formatDigest; null when `text` is not 16 hex digits. */
export function parseDigest(text: unknown): Digest | null {
  if (typeof text !== 'string' || !/^[0-9a-f]{16}$/.test(text)) return null;
  return [parseInt(text.slice(0, 8), 16), parseInt(text.slice(8), 16)];
}
