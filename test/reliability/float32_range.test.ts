/**
 * The finiteness rule, property-tested on every backend lane: for random
 * plans and inputs with values near the float32 and float64 limits, applying
 * a plan either is refused with E_VALUE before any kernel runs, or gives only
 * finite values; and it is refused whenever the exact result (a float64 loop
 * written here) is beyond float32's range.
 */
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { AffinePlan, isPixelprepError } from '../../src/index.js';
import { FLOAT32_MAX } from '../../src/core/float32_range.js';
import { describeLanes } from '../helpers/lanes.js';

const RUNS = Number(process.env.PIXELPREP_PROPERTY_RUNS ?? 60);
const F32 = FLOAT32_MAX;

/** Magnitudes that matter: the float32 and float64 limits, subnormals, and ordinary values. */
const magnitude = fc.constantFrom(F32, F32 / 2, F32 / 255, 3.4e38, 1e38, 1e30, 1e20, 255, 1, 1 / 255, 1e-20, 1e-38, 1.4e-45, 1e-300, 1e300);
const signed = fc.tuple(magnitude, fc.boolean(), fc.double({ min: 0.5, max: 2, noNaN: true })).map(([m, negative, jitter]) => (negative ? -1 : 1) * m * jitter);
const scale = signed.filter((s) => Number.isFinite(s) && s !== 0 && Math.abs(s) <= F32);
const offset = fc.oneof(fc.constant(0), signed.filter((o) => Number.isFinite(o) && Math.abs(o) <= F32));
/** Finite float32 pixels, some at the edges. */
const pixel = fc.oneof(fc.constantFrom(0, 1, 255, -1, Math.fround(3.4e38), Math.fround(-3.4e38), Math.fround(1e38), Math.fround(1.4e-45)), fc.float({ noNaN: true, noDefaultInfinity: true }));

interface Case {
  scale: number[];
  offset: number[];
  clip: [number, number] | null;
  post: { scale: number; offset: number } | null;
  pixels: number[];
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  scale: fc.array(scale, { minLength: 3, maxLength: 3 }),
  offset: fc.array(offset, { minLength: 3, maxLength: 3 }),
  clip: fc.option(fc.constantFrom<[number, number]>([0, 1], [-1e38, 1e38], [-F32, F32]), { nil: null }),
  post: fc.option(fc.record({ scale: fc.constantFrom(1, 2, 1e30, -3e38), offset: fc.constantFrom(0, 1, 3e38) }), { nil: null }),
  pixels: fc.array(pixel, { minLength: 6, maxLength: 6 }),
});

/** The exact result of the plan for each value, in float64. */
function reference(c: Case): number[] {
  return c.pixels.map((x, i) => {
    let y = x * c.scale[i % 3] + c.offset[i % 3];
    if (c.clip) y = Math.min(Math.max(y, c.clip[0]), c.clip[1]);
    if (c.post) y = y * c.post.scale + c.post.offset;
    return y;
  });
}

await describeLanes((lane) => {
  it('a plan is refused with E_VALUE, or its float32 output is finite; exact results beyond float32 are always refused', async () => {
    let refused = 0;
    let finite = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const exact = reference(c);
        const overflows = exact.some((y) => !(Math.abs(y) <= F32));
        let output: Float32Array;
        try {
          const plan = new AffinePlan({ images: 1, channels: 3, scale: c.scale, offset: c.offset, clip: c.clip, post: c.post });
          const y = plan.apply({ data: Float32Array.from(c.pixels), shape: [1, 2, 1, 3] }, { kernel: lane.kernel });
          try {
            output = (await y.data()) as Float32Array;
          } finally {
            y.dispose();
          }
        } catch (error) {
          expect(isPixelprepError(error, 'E_VALUE') || isPixelprepError(error, 'E_ARGUMENT'), String(error)).toBe(true);
          refused++;
          return;
        }
        expect(overflows, `exact ${exact} beyond float32 but the plan ran`).toBe(false);
        expect(Array.from(output).every(Number.isFinite), `${JSON.stringify(c)} → ${Array.from(output)}`).toBe(true);
        finite++;
      }),
      { numRuns: RUNS },
    );
    expect(refused + finite).toBe(RUNS);
    expect(tf.memory().numTensors).toBe(0);
  });
});
