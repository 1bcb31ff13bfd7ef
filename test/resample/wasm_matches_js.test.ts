/** The WebAssembly SIMD passes give the JS passes' bytes on random images, sizes, boxes and kernels. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PIL_KERNELS } from '../../src/resample/filters.js';
import { resize } from '../../src/resample/resize.js';
import { wasmResampleAvailable } from '../../src/resample/pass_engine.js';
import { generated } from './fixtures.js';

describe.skipIf(!wasmResampleAvailable())('wasm passes = js passes', () => {
  it('on random cases', () => {
    const side = fc.integer({ min: 1, max: 70 });
    fc.assert(
      fc.property(side, side, fc.constantFrom(1, 3, 4), side, side, fc.constantFrom(...PIL_KERNELS), fc.integer(), fc.double({ min: 0, max: 0.49, noNaN: true }), (w, h, channels, width, height, kernel, seed, inset) => {
        const image = generated(w, h, channels, seed);
        const box = [inset * w, inset * h, w - inset * w, h - inset * h] as const;
        const options = { width, height, kernel, box };
        const js = resize(image, { ...options, implementation: 'js' });
        const wasm = resize(image, { ...options, implementation: 'wasm' });
        expect(wasm.shape).toEqual(js.shape);
        expect(Buffer.from(wasm.data).equals(Buffer.from(js.data))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
