/** Exact per-channel sums of uint8 values through the WebAssembly SIMD moments kernels. */
import { CHUNK_VALUES, IN_BASE, stagingArena } from './memory_arena.js';
import { MOMENTS_MAX_GROUPS, MOMENTS_RESULT_BYTES } from './moments_module.js';

/** Exact integer sums of one channel's uint8 values. */
export interface ChannelSums {
  count: number;
  sum: number;
  sumSquares: number;
  min: number;
  max: number;
}

type MomentsFn = (src: number, count: number, dst: number) => void;

/**
 * Per channel count, Σx, Σx², min and max of `count` uint8 values from
 * `from`: one channel (`channels` 1) or interleaved RGB (`channels` 3, `count`
 * a multiple of 3). Sums are exact integers (below 2^53 for any array a
 * JavaScript engine can hold with fewer than 2^37 values). Returns null when
 * WebAssembly SIMD is unavailable.
 */
export function uint8ChannelSums(data: Uint8Array | Uint8ClampedArray, from: number, count: number, channels: 1 | 3): ChannelSums[] | null {
  const w = stagingArena();
  const fn = w?.kernels.get(channels === 3 ? 'moments_u8_rgb' : 'moments_u8_plain') as MomentsFn | undefined;
  if (!w || !fn) return null;
  const sums: ChannelSums[] = Array.from({ length: channels }, () => ({ count: 0, sum: 0, sumSquares: 0, min: 255, max: 0 }));
  const groupBytes = 16 * channels;
  const chunkGroups = Math.min(MOMENTS_MAX_GROUPS, Math.floor((CHUNK_VALUES * 8) / groupBytes));
  const whole = Math.floor(count / groupBytes) * groupBytes;
  for (let done = 0; done < whole; done += chunkGroups * groupBytes) {
    const n = Math.min(chunkGroups * groupBytes, whole - done);
    w.inBytes.set(data.subarray(from + done, from + done + n));
    fn(IN_BASE, n / groupBytes, 0);
    for (let c = 0; c < channels; c++) {
      const s = sums[c];
      const at32 = (c * MOMENTS_RESULT_BYTES) / 4;
      const at8 = c * MOMENTS_RESULT_BYTES;
      for (let lane = 0; lane < 4; lane++) {
        s.sum += w.results32[at32 + lane];
        s.sumSquares += w.results32[at32 + 4 + lane];
      }
      for (let lane = 0; lane < 16; lane++) {
        s.min = Math.min(s.min, w.results8[at8 + 32 + lane]);
        s.max = Math.max(s.max, w.results8[at8 + 48 + lane]);
      }
      s.count += n / channels;
    }
  }
  // The last values (fewer than 16 pixels) in plain JS.
  for (let i = whole, c = 0; i < count; i++) {
    const v = data[from + i];
    const s = sums[c];
    s.count++;
    s.sum += v;
    s.sumSquares += v * v;
    if (v < s.min) s.min = v;
    if (v > s.max) s.max = v;
    if (++c === channels) c = 0;
  }
  return sums;
}
