/** resize: bad arguments get PixelprepErrors with stable codes; a few results checked by hand-written loops. */
import { describe, expect, it } from 'vitest';
import { isPixelprepError, type ErrorCode } from '../../src/core/errors.js';
import { resize } from '../../src/resample/resize.js';
import { generated } from './fixtures.js';

const image = generated(8, 6, 3, 42);

function expectError(run: () => unknown, code: ErrorCode, pattern: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(isPixelprepError(error, code), String(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(pattern);
    return;
  }
  throw new Error('expected a PixelprepError');
}

describe('resize arguments', () => {
  it('refuses images that are not 8-bit [H, W, 1|3|4]', () => {
    expectError(() => resize(null as never, { width: 2, height: 2 }), 'E_ARGUMENT', /Expected raw pixels .* for image but received null/);
    expectError(() => resize({ data: new Float32Array(12), shape: [2, 2, 3] } as never, { width: 2, height: 2 }), 'E_DTYPE', /for image.data but received a Float32Array/);
    expectError(() => resize({ data: new Uint8Array(12), shape: [2, 6] }, { width: 2, height: 2 }), 'E_SHAPE', /image.shape/);
    expectError(() => resize({ data: new Uint8Array(8), shape: [2, 2, 2] }, { width: 2, height: 2 }), 'E_SHAPE', /1 \(L\), 3 \(RGB\) or 4 \(RGBA\) channels for image.shape\[2\] but received 2/);
    expectError(() => resize({ data: new Uint8Array(11), shape: [2, 2, 3] }, { width: 2, height: 2 }), 'E_SHAPE', /length 2×2×3 = 12/);
  });

  it('refuses bad options, naming them', () => {
    expectError(() => resize(image, { width: 0, height: 2 }), 'E_ARGUMENT', /positive integer .* for width but received 0/);
    expectError(() => resize(image, { width: 2, height: 1.5 }), 'E_ARGUMENT', /for height but received 1.5/);
    expectError(() => resize(image, { width: 2, height: 2, kernel: 'lanczos3' as never }), 'E_ARGUMENT', /'pil-nearest'.* for kernel but received 'lanczos3'/);
    expectError(() => resize(image, { width: 2, height: 2, reducingGap: 0.5 }), 'E_ARGUMENT', /≥ 1 .* for reducingGap but received 0.5/);
    expectError(() => resize(image, { width: 2, height: 2, box: [0, 0, 9, 6] }), 'E_ARGUMENT', /inside the 8×6 image .* but received \[0, 0, 9, 6\]/);
    expectError(() => resize(image, { width: 2, height: 2, box: [3, 0, 3, 6] }), 'E_ARGUMENT', /non-empty region/);
    expectError(() => resize(image, { width: 2, height: 2, box: [0, 0, Number.NaN, 6] }), 'E_ARGUMENT', /four finite numbers/);
    expectError(() => resize(image, { width: 2, height: 2, sizee: 3 } as never), 'E_ARGUMENT', /options among .* but received 'sizee'/);
    expectError(() => resize(image, { width: 2, height: 2, implementation: 'gpu' as never }), 'E_ARGUMENT', /for implementation/);
  });

  it('bounds the output size (E_VALUE) before allocating it', () => {
    expectError(() => resize(image, { width: 1e6, height: 1e6 }), 'E_VALUE', /at most 268435456 values \(maxValues\)/);
    expectError(() => resize(image, { width: 100, height: 100, maxValues: 1000 }), 'E_VALUE', /at most 1000 values/);
    expect(resize(image, { width: 10, height: 10, maxValues: 300 }).shape).toEqual([10, 10, 3]);
  });
});

describe('resize results checked by independent loops', () => {
  it('the same size and whole box is a copy', () => {
    const out = resize(image, { width: 8, height: 6, kernel: 'pil-lanczos' });
    expect(out.data).toEqual(image.data);
    expect(out.data).not.toBe(image.data);
  });

  it("'pil-box' halving averages pairs across, rounding half up, then pairs down (two 8-bit passes)", () => {
    const half = (a: number, b: number): number => Math.floor((a + b) / 2 + 0.5);
    const at = (y: number, x: number, c: number): number => image.data[(y * 8 + x) * 3 + c];
    const out = resize(image, { width: 4, height: 3, kernel: 'pil-box' });
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 4; x++) {
        for (let c = 0; c < 3; c++) {
          const top = half(at(2 * y, 2 * x, c), at(2 * y, 2 * x + 1, c));
          const bottom = half(at(2 * y + 1, 2 * x, c), at(2 * y + 1, 2 * x + 1, c));
          expect(out.data[(y * 4 + x) * 3 + c]).toBe(half(top, bottom));
        }
      }
    }
  });

  it("'pil-nearest' doubling repeats every pixel twice on each axis", () => {
    const out = resize(image, { width: 16, height: 12, kernel: 'pil-nearest' });
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 16; x++) {
        for (let c = 0; c < 3; c++) expect(out.data[(y * 16 + x) * 3 + c]).toBe(image.data[((y >> 1) * 8 + (x >> 1)) * 3 + c]);
      }
    }
  });

  it('an opaque RGBA image resizes like its RGB part, alpha staying 255', () => {
    const rgb = generated(9, 7, 3, 5);
    const rgba = new Uint8Array(9 * 7 * 4);
    for (let i = 0; i < 63; i++) rgba.set([...rgb.data.subarray(i * 3, i * 3 + 3), 255], i * 4);
    const a = resize(rgb, { width: 5, height: 4, kernel: 'pil-bicubic' });
    const b = resize({ data: rgba, shape: [7, 9, 4] }, { width: 5, height: 4, kernel: 'pil-bicubic' });
    for (let i = 0; i < 20; i++) {
      expect([...b.data.subarray(i * 4, i * 4 + 3)]).toEqual([...a.data.subarray(i * 3, i * 3 + 3)]);
      expect(b.data[i * 4 + 3]).toBe(255);
    }
  });
});
