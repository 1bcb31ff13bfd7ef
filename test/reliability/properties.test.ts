/**
 * Properties over random inputs (fast-check): plans and presets invert,
 * statistics merge in any order and grouping and survive their file format
 * bit for bit, and finite input never becomes NaN or Infinity.
 */
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AffinePlan, PRESET_MODES, computeStats, createScaler, deprocessInput, fitStats, mergeStats, preprocessInput, validateStats, type PixelStats } from '../../src/index.js';
import { mergeShards, statsFromJSON, statsToJSON } from '../../src/node/index.js';

const RUNS = Number(process.env.PIXELPREP_PROPERTY_RUNS ?? 100);

/** A small random uint8 batch [N, H, W, C]. */
const batchArb = fc
  .record({ n: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 5 }), w: fc.integer({ min: 1, max: 5 }), c: fc.integer({ min: 1, max: 4 }) })
  .chain(({ n, h, w, c }) => fc.uint8Array({ minLength: n * h * w * c, maxLength: n * h * w * c }).map((data) => ({ data, shape: [n, h, w, c] })));

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });

describe('properties', () => {
  it('invert(apply(x)) ≈ x for any invertible plan with random coefficients', () => {
    fc.assert(
      fc.property(batchArb, fc.array(fc.tuple(fc.double({ min: 0.01, max: 100, noNaN: true }), fc.boolean(), finite), { minLength: 4, maxLength: 4 }), (x, coefficients) => {
        const C = x.shape[3];
        const plan = new AffinePlan({
          images: 1,
          channels: C,
          scale: coefficients.slice(0, C).map(([s, negative]) => (negative ? -s : s)),
          offset: coefficients.slice(0, C).map(([, , o]) => o),
          clip: null,
          post: null,
        });
        const y = plan.apply(x);
        const back = plan.invert(y);
        const values = back.dataSync();
        tf.dispose([y, back]);
        // y is stored as float32: its rounding (relative 2^-24, twice with the inverse's output), divided by |scale|, bounds the error.
        const { scale, offset } = plan.coefficients;
        x.data.forEach((v, i) => {
          const c = i % C;
          const bound = (2 * 2 ** -24 * (Math.abs(scale[c] * v) + Math.abs(offset[c]))) / Math.abs(scale[c]) + 2 ** -24 * 255;
          expect(Math.abs(values[i] - v)).toBeLessThanOrEqual(bound);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('every scaling method inverts a uint8 batch exactly after rounding', () => {
    fc.assert(
      fc.property(batchArb, fc.constantFrom('normalize', 'center', 'standardize', 'min-max' as const), fc.constantFrom('channel', 'global' as const), fc.constantFrom('image', 'batch' as const), (x, method, per, scope) => {
        const scaler = createScaler({ method, per, scope });
        const plan = scaler.plan(x);
        const y = plan.apply(x);
        const back = plan.invert(y);
        const values = Array.from(back.dataSync(), (v) => Math.round(v) + 0);
        tf.dispose([y, back]);
        expect(values).toEqual(Array.from(x.data));
      }),
      { numRuns: RUNS },
    );
  });

  it('stats merge is commutative and associative (to 1e-12 relative)', () => {
    const statsArb = batchArb.map((x) => computeStats({ data: x.data.slice(0, x.shape[0] * x.shape[1] * x.shape[2] * 1), shape: [x.shape[0], x.shape[1], x.shape[2], 1] }));
    const close = (a: PixelStats, b: PixelStats) => {
      expect(a.count).toBe(b.count);
      expect(a.images).toBe(b.images);
      a.mean.forEach((m, c) => {
        expect(Math.abs(m - b.mean[c])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(m)));
        expect(Math.abs(a.m2[c] - b.m2[c])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a.m2[c])));
        expect(a.min[c]).toBe(b.min[c]);
        expect(a.max[c]).toBe(b.max[c]);
      });
    };
    fc.assert(
      fc.property(statsArb, statsArb, statsArb, (a, b, c) => {
        close(mergeStats(a, b), mergeStats(b, a));
        close(mergeStats(mergeStats(a, b), c), mergeStats(a, mergeStats(b, c)));
        close(mergeStats(a, b, c), mergeStats(c, a, b));
      }),
      { numRuns: RUNS },
    );
  });

  it('finite input with any statistics that pass validation never yields NaN or Infinity', () => {
    const statsArb = fc.record({
      mean: fc.array(finite, { minLength: 1, maxLength: 1 }),
      std: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 1 }),
      min: fc.array(finite, { minLength: 1, maxLength: 1 }),
      max: fc.array(finite, { minLength: 1, maxLength: 1 }),
    });
    fc.assert(
      fc.property(
        batchArb,
        statsArb,
        fc.constantFrom('center', 'standardize', 'positive-standardize', 'min-max' as const),
        fc.constantFrom('fused', 'composite' as const),
        (x, stats, method, kernel) => {
          // min-max with max < min is a user's choice of constants; keep the pair ordered.
          const s = { ...stats, min: [Math.min(stats.min[0], stats.max[0])], max: [Math.max(stats.min[0], stats.max[0])] };
          const y = createScaler({ method, stats: s, kernel }).apply({ data: Float32Array.from(x.data, (v) => v * 1000 - 1e5), shape: x.shape });
          const values = y.dataSync();
          y.dispose();
          expect(values.every(Number.isFinite)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('every Keras preset inverts a uint8 RGB batch exactly after rounding', () => {
    const rgbArb = fc
      .record({ n: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 5 }), w: fc.integer({ min: 1, max: 5 }) })
      .chain(({ n, h, w }) => fc.uint8Array({ minLength: n * h * w * 3, maxLength: n * h * w * 3 }).map((data) => ({ data, shape: [n, h, w, 3] })));
    fc.assert(
      fc.property(rgbArb, fc.constantFrom(...PRESET_MODES), (x, mode) => {
        const y = preprocessInput(x, mode);
        const back = deprocessInput(y, mode);
        const values = Array.from(back.dataSync(), (v) => Math.round(v) + 0);
        tf.dispose([y, back]);
        expect(values).toEqual(Array.from(x.data));
      }),
      { numRuns: RUNS },
    );
  });

  it('statistics survive the stats file format bit for bit', () => {
    const floatBatch = batchArb.chain((x) =>
      // JSON has no -0: a -0 pixel would come back as 0 (a difference of sign only), so none is generated.
      fc.float64Array({ minLength: x.data.length, maxLength: x.data.length, noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }).map((data) => ({ data: data.map((v) => v + 0), shape: x.shape })),
    );
    fc.assert(
      fc.property(floatBatch, (x) => {
        const stats = computeStats(x);
        expect(statsFromJSON(JSON.parse(JSON.stringify(statsToJSON(stats))))).toEqual({ ...stats, source: {} });
      }),
      { numRuns: RUNS },
    );
  });

  it('shards merged in any grouping equal one fit over every image (to 1e-12 relative)', async () => {
    const imagesArb = fc.array(fc.uint8Array({ minLength: 4 * 3 * 3, maxLength: 4 * 3 * 3 }), { minLength: 2, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(imagesArb, fc.integer({ min: 1, max: 4 }), async (images, count) => {
        const inputs = images.map((data) => ({ data, shape: [4, 3, 3] }));
        const whole = await fitStats(inputs);
        const shards = await Promise.all(
          Array.from({ length: Math.min(count, inputs.length) }, (_, s) => fitStats(inputs.filter((_, i) => i % Math.min(count, inputs.length) === s))),
        );
        const merged = mergeShards(...shards.reverse());
        expect(merged.images).toBe(whole.images);
        whole.mean.forEach((m, c) => {
          expect(Math.abs(merged.mean[c] - m)).toBeLessThanOrEqual(1e-12 * Math.max(1, m));
          expect(Math.abs(merged.m2[c] - whole.m2[c])).toBeLessThanOrEqual(1e-12 * Math.max(1, whole.m2[c]));
          expect([merged.min[c], merged.max[c]]).toEqual([whole.min[c], whole.max[c]]);
        });
      }),
      { numRuns: Math.max(10, RUNS / 4) },
    );
  });

  it('finite input with any per-channel PixelStats that pass validateStats never yields NaN or Infinity', () => {
    // Pixel-scale statistics (|values| ≤ 1e6): count, min ≤ mean ≤ max, any m2 ≥ 0 including 0 (constant channels).
    const channelArb = fc
      .tuple(finite, finite, fc.double({ min: 0, max: 1, noNaN: true }), fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e12, noNaN: true })))
      .map(([a, b, t, m2]) => ({ min: Math.min(a, b), max: Math.max(a, b), mean: Math.min(a, b) + t * Math.abs(b - a), m2 }));
    const statsArb = fc.tuple(fc.array(channelArb, { minLength: 3, maxLength: 3 }), fc.integer({ min: 1, max: 1e6 })).map(([channels, count]) =>
      validateStats({
        channels: 3,
        images: 1,
        count,
        mean: channels.map((c) => Math.min(Math.max(c.mean, c.min), c.max)),
        std: channels.map((c) => Math.sqrt(c.m2 / count)),
        min: channels.map((c) => c.min),
        max: channels.map((c) => c.max),
        m2: channels.map((c) => c.m2),
        global: { count: 3 * count, mean: 0, std: 0, min: 0, max: 0 },
      }),
    );
    const rgbFloat = fc.float32Array({ minLength: 2 * 3 * 3, maxLength: 2 * 3 * 3, noNaN: true, noDefaultInfinity: true, min: -1e5, max: 1e5 }).map((data) => ({ data, shape: [2, 3, 3] }));
    fc.assert(
      fc.property(rgbFloat, statsArb, fc.constantFrom('center', 'standardize', 'positive-standardize', 'min-max' as const), fc.constantFrom('fused', 'composite' as const), (x, stats, method, kernel) => {
        const y = createScaler({ method, stats, kernel }).apply(x);
        const values = y.dataSync();
        y.dispose();
        expect(values.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
