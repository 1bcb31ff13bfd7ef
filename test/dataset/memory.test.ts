/**
 * Streaming in bounded memory: fitting 10,000 synthetic 64×64×3 uint8 images
 * (123 million values) must not grow the resident set by more than 50 MB.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { fitStats } from '../../src/index.js';
import type { RawBatch } from '../../src/core/input.js';

const IMAGES = 10_000;
const SIDE = 64;
const MB = 2 ** 20;

/** A gc() function when V8 lets us expose one, else a no-op (the bound then also covers uncollected garbage). */
function collector(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') return () => gc();
  } catch {
    // fall through
  }
  return () => undefined;
}

/** Fresh images (one allocation each, as a decoder makes) with exact integer sums per channel on the side. */
function* images(count: number, sums: { s: number[]; q: number[] }): Generator<RawBatch> {
  let state = 2463534242;
  for (let n = 0; n < count; n++) {
    const data = new Uint8Array(SIDE * SIDE * 3);
    const words = new Uint32Array(data.buffer);
    for (let i = 0; i < words.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      words[i] = state >>> 0;
    }
    // Channel-dependent structure, so per-channel figures differ.
    for (let i = 1; i < data.length; i += 3) data[i] >>= 1;
    for (let i = 2; i < data.length; i += 3) data[i] = 255 - (data[i] >> 2);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      sums.s[i % 3] += v;
      sums.q[i % 3] += v * v;
    }
    yield { data, shape: [SIDE, SIDE, 3] };
  }
}

describe('fitStats memory', () => {
  it('streams 10,000 images of 64×64×3 with flat memory (RSS growth < 50 MB)', async () => {
    const gc = collector();
    await fitStats(images(200, { s: [0, 0, 0], q: [0, 0, 0] })); // warm up code and allocator
    gc();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let settled = 0;
    const sums = { s: [0, 0, 0], q: [0, 0, 0] };
    const started = performance.now();
    const stats = await fitStats(images(IMAGES, sums), {
      onProgress: (p) => {
        if (p.images % 500 !== 0) return;
        const rss = process.memoryUsage().rss;
        peak = Math.max(peak, rss);
        if (p.images === 2000) settled = rss;
      },
    });
    const seconds = (performance.now() - started) / 1000;
    gc();
    const after = process.memoryUsage().rss;
    const growth = (Math.max(peak, after) - baseline) / MB;
    console.info(
      `fitStats over ${IMAGES} images of ${SIDE}×${SIDE}×3: RSS baseline ${(baseline / MB).toFixed(1)} MB, peak growth ${((peak - baseline) / MB).toFixed(1)} MB ` +
        `(${((peak - settled) / MB).toFixed(1)} MB after image 2,000), after gc ${((after - baseline) / MB).toFixed(1)} MB, ${seconds.toFixed(2)} s including generating the images`,
    );
    // Most of the growth is the V8 heap sizing itself to the allocation rate in the
    // first thousand images; what it does afterwards is printed, not asserted (it varies with GC timing).
    expect(growth).toBeLessThan(50);

    // The figures themselves, against exact integer sums taken by the generator.
    const n = IMAGES * SIDE * SIDE;
    expect(stats.images).toBe(IMAGES);
    expect(stats.count).toBe(n);
    for (let c = 0; c < 3; c++) {
      const mean = sums.s[c] / n;
      const variance = (sums.q[c] - (sums.s[c] * sums.s[c]) / n) / n;
      expect(Math.abs(stats.mean[c] - mean)).toBeLessThanOrEqual(1e-12 * mean);
      expect(Math.abs(stats.std[c] - Math.sqrt(variance))).toBeLessThanOrEqual(1e-9 * Math.sqrt(variance));
    }
  });
});
