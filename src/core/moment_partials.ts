/**
 * The output format of the PixelprepMoments kernel: exact partial statistics
 * that travel as an int32 tensor (tfjs has no float64) and are merged on the
 * host in float64 with Chan's formula, by `decodeMomentPartials` alone.
 *
 * The tensor is [records, MOMENT_RECORD_WORDS]. Every record names its own
 * kind and group, so a backend may cut a group into as many records as suits
 * it (the host kernels write one per group, the WGSL reduction one per block):
 *
 *     word 0        kind (below)
 *     word 1        group: n * C + c per (image, channel), or c per channel
 *     words 2..11   the payload of the kind
 *
 * - MOMENTS_F64: float64 count, mean, M2, min, max bit-cast into words 2..11
 *   (little-endian; word 2 sits 8-byte aligned in the buffer). The host kernels.
 * - SUMS_U64: exact integer sums of integer pixels: word 2 count, words 3-4
 *   Σx (low, high u32), words 5-6 Σx² (low, high), word 7 min, word 8 max.
 * - SUMS_F32X2: compensated sums of values shifted by `shift`, each a float32
 *   pair (hi + lo): word 2 count, 3-4 Σd, 5-6 Σd², 7 min, 8 max, 9 shift
 *   (float32 bits), word 10 how many values were NaN or ±Infinity (left out).
 */
import { PixelprepError } from './errors.js';
import { emptyMoments, mergeInto, type Moments } from './moments.js';

/** 32-bit words per record. */
export const MOMENT_RECORD_WORDS = 12;

/** Record kinds. */
export const MOMENT_RECORD_KINDS = { MOMENTS_F64: 1, SUMS_U64: 2, SUMS_F32X2: 3 } as const;

const TWO_32 = 2 ** 32;

/**
 * Encodes float64 moments, one record per group (the host kernels' output).
 *
 * @example
 * const words = encodeMomentRecords(moments); // moments[g] is group g
 */
export function encodeMomentRecords(moments: readonly Moments[]): Int32Array {
  const words = new Int32Array(moments.length * MOMENT_RECORD_WORDS);
  const floats = new Float64Array(words.buffer);
  moments.forEach((m, group) => {
    const at = group * MOMENT_RECORD_WORDS;
    words[at] = MOMENT_RECORD_KINDS.MOMENTS_F64;
    words[at + 1] = group;
    floats.set([m.count, m.mean, m.m2, m.min, m.max], (at + 2) / 2);
  });
  return words;
}

/**
 * Merges the records of a PixelprepMoments output into float64 moments per group.
 *
 * @param words the kernel's int32 output, read on the host.
 * @param groups how many groups there are (N × C per image, or C).
 * @param channels C, to name the image and channel of a group holding non-finite values.
 * @throws PixelprepError E_VALUE when a record counted NaN or ±Infinity values,
 *   E_BACKEND when the words are not records of this format.
 */
export function decodeMomentPartials(words: Int32Array, groups: number, channels: number): Moments[] {
  if (words.length % MOMENT_RECORD_WORDS !== 0) malformed(`${words.length} words, not a whole number of ${MOMENT_RECORD_WORDS}-word records`);
  // An aligned copy when the words do not start on an 8-byte boundary (float64 payloads).
  const aligned = words.byteOffset % 8 === 0 ? words : words.slice();
  const f32 = new Float32Array(aligned.buffer, aligned.byteOffset, aligned.length);
  const f64 = new Float64Array(aligned.buffer, aligned.byteOffset, aligned.length / 2);
  const result = Array.from({ length: groups }, emptyMoments);
  for (let at = 0; at < aligned.length; at += MOMENT_RECORD_WORDS) {
    const kind = aligned[at];
    const group = aligned[at + 1];
    if (!(group >= 0 && group < groups)) malformed(`group ${group} outside 0..${groups - 1}`);
    const into = result[group];
    if (kind === MOMENT_RECORD_KINDS.MOMENTS_F64) {
      const i = (at + 2) / 2;
      mergeInto(into, f64[i], f64[i + 1], f64[i + 2], f64[i + 3], f64[i + 4]);
    } else if (kind === MOMENT_RECORD_KINDS.SUMS_U64) {
      const count = aligned[at + 2] >>> 0;
      if (count === 0) continue;
      const sum = (aligned[at + 3] >>> 0) + (aligned[at + 4] >>> 0) * TWO_32;
      const squares = (aligned[at + 5] >>> 0) + (aligned[at + 6] >>> 0) * TWO_32;
      mergeInto(into, count, sum / count, Math.max(squares - (sum * sum) / count, 0), aligned[at + 7] >>> 0, aligned[at + 8] >>> 0);
    } else if (kind === MOMENT_RECORD_KINDS.SUMS_F32X2) {
      const bad = aligned[at + 10] >>> 0;
      if (bad > 0) {
        throw new PixelprepError(
          'E_VALUE',
          `Expected finite pixel values in x but image ${Math.floor(group / channels)}, channel ${group % channels} holds ${bad} NaN or ±Infinity value(s)`,
        );
      }
      const count = aligned[at + 2] >>> 0;
      if (count === 0) continue;
      const sum = f32[at + 3] + f32[at + 4];
      const squares = f32[at + 5] + f32[at + 6];
      mergeInto(into, count, f32[at + 9] + sum / count, Math.max(squares - (sum * sum) / count, 0), f32[at + 7], f32[at + 8]);
    } else {
      malformed(`record kind ${kind}`);
    }
  }
  return result;
}

function malformed(what: string): never {
  throw new PixelprepError('E_BACKEND', `Expected PixelprepMoments records (${MOMENT_RECORD_WORDS} int32 words each) but received ${what}`);
}
