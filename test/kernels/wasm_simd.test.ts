/**
 * The SIMD kernels must give exactly the float32 values of the float64
 * formula rounded once, for every input type, layout and coefficient shape.
 * The reference here is a plain float64 loop written independently.
 */
import { describe, expect, it } from 'vitest';
import { affineCpu } from '../../src/kernels/host/affine.js';
import { sleb, uleb } from '../../src/kernels/wasm/encoder.js';
import {
  affineRunWasm,
  choosePrecision,
  createOutputBuffer,
  float32IsExact,
  kernelModuleBytes,
  splitScale,
  wasmSimdAvailable,
  type RunCoefficients,
} from '../../src/kernels/wasm/wasm_simd.js';
import { resolveGeometry, type Layout } from '../../src/core/layout.js';
import type { AffineCoefficients } from '../../src/core/plan.js';
import type { PixelArray } from '../../src/core/input.js';
import { PixelprepError } from '../../src/core/errors.js';

/** Deterministic pseudo-random integers in [0, max]. */
function integers(n: number, max: number, seed = 12345): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % (max + 1);
  });
}

/** out[i] = fround(clip(x * s + o, lo, hi) * ps + po) in float64, index arithmetic spelled out. */
function reference(data: PixelArray, shape: number[], layout: Layout, k: AffineCoefficients): Float32Array {
  const g = resolveGeometry(shape, { layout });
  const { images: N, channels: C, pixels: P } = g;
  const out = new Float32Array(data.length);
  const [lo, hi] = k.clip ?? [-Infinity, Infinity];
  const ps = k.post?.scale ?? 1;
  const po = k.post?.offset ?? 0;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const src = k.channelOrder ? k.channelOrder[c] : c;
      const set = (k.images === 1 ? 0 : n) * k.channels + (k.channels === 1 ? 0 : c);
      for (let p = 0; p < P; p++) {
        const at = (ch: number) => (layout === 'channels_last' ? n * C * P + p * C + ch : n * C * P + ch * P + p);
        let y = data[at(src)] * k.scale[set] + k.offset[set];
        if (k.clip || k.post) y = (y < lo ? lo : y > hi ? hi : y) * ps + po;
        out[at(c)] = y;
      }
    }
  }
  return out;
}

function firstMismatch(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

const TYPES: [string, (values: number[]) => PixelArray][] = [
  ['Uint8Array', (v) => Uint8Array.from(v, (x) => x & 255)],
  ['Uint8ClampedArray', (v) => Uint8ClampedArray.from(v, (x) => x & 255)],
  ['Uint16Array', (v) => Uint16Array.from(v, (x) => x * 257)],
  ['Int32Array', (v) => Int32Array.from(v, (x) => x * 1000 - 100_000)],
  ['Float32Array', (v) => Float32Array.from(v, (x) => x / 7 - 11.3)],
  ['Float64Array', (v) => Float64Array.from(v, (x) => x / 3 + 1e-3)],
];

function coefficients(images: number, channels: number, kind: 'normalize' | 'standardize' | 'positive', order: number[] | null): AffineCoefficients {
  const scale: number[] = [];
  const offset: number[] = [];
  for (let i = 0; i < images * channels; i++) {
    if (kind === 'normalize') {
      scale.push(1 / 255);
      offset.push(0);
    } else {
      const std = 40 + 7.3 * i;
      const mean = 90 + 11.1 * i;
      scale.push(1 / std);
      offset.push(-mean / std);
    }
  }
  const positive = kind === 'positive';
  return { images, channels, scale, offset, clip: positive ? [-1, 1] : null, post: positive ? { scale: 0.5, offset: 0.5 } : null, channelOrder: order };
}

describe('wasm encoder', () => {
  it('encodes LEB128 as the WebAssembly spec examples', () => {
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
  });

  it('emits a module WebAssembly validates, with SIMD available in this runtime', () => {
    const bytes = kernelModuleBytes(4);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    // wasmSimdAvailable compiles exactly these bytes (after WebAssembly.validate).
    expect(wasmSimdAvailable()).toBe(true);
  });
});

describe('affineCpu through the SIMD kernels is bit-identical to the float64 formula', () => {
  // 5 images of 37×29 pixels: 1073 pixels per image, not a multiple of 16, above the SIMD threshold.
  const cases: { channels: number; layout: Layout; kind: 'normalize' | 'standardize' | 'positive'; perImage: boolean; order: number[] | null }[] = [
    { channels: 1, layout: 'channels_last', kind: 'normalize', perImage: false, order: null },
    { channels: 3, layout: 'channels_last', kind: 'normalize', perImage: false, order: null },
    { channels: 3, layout: 'channels_last', kind: 'standardize', perImage: false, order: null },
    { channels: 3, layout: 'channels_last', kind: 'positive', perImage: true, order: null },
    { channels: 2, layout: 'channels_last', kind: 'standardize', perImage: true, order: null },
    { channels: 4, layout: 'channels_last', kind: 'standardize', perImage: false, order: null },
    { channels: 5, layout: 'channels_last', kind: 'positive', perImage: false, order: null },
    { channels: 17, layout: 'channels_last', kind: 'standardize', perImage: false, order: null },
    { channels: 3, layout: 'channels_first', kind: 'standardize', perImage: true, order: [2, 1, 0] },
    { channels: 3, layout: 'channels_first', kind: 'positive', perImage: false, order: null },
    { channels: 3, layout: 'channels_last', kind: 'standardize', perImage: false, order: [2, 0, 1] },
  ];
  for (const [typeName, make] of TYPES) {
    for (const c of cases) {
      const label = `${typeName} C=${c.channels} ${c.layout} ${c.kind}${c.perImage ? ' per image' : ''}${c.order ? ` order ${c.order.join('')}` : ''}`;
      it(label, () => {
        const shape = c.layout === 'channels_last' ? [5, 37, 29, c.channels] : [5, c.channels, 37, 29];
        const data = make(integers(5 * 37 * 29 * c.channels, 255));
        const k = coefficients(c.perImage ? 5 : 1, c.channels, c.kind, c.order);
        const out = new Float32Array(data.length).fill(Number.NaN);
        affineCpu(data, resolveGeometry(shape, { layout: c.layout }), k, out);
        expect(firstMismatch(out, reference(data, shape, c.layout, k))).toBe(-1);
      });
    }
  }

  for (const [typeName, make] of TYPES) {
    it(`${typeName}: affineRunWasm itself (periods 1, 3, 7) matches the formula`, () => {
      const data = make(integers(5000, 255, 77));
      for (const period of [1, 3, 7]) {
        for (const kind of ['normalize', 'standardize', 'positive'] as const) {
          const c = coefficients(1, period, kind, null);
          const k: RunCoefficients = { scale: c.scale, offset: c.offset, clip: c.clip, post: c.post };
          const precision = choosePrecision(data instanceof Uint16Array ? 'u16' : data instanceof Uint8Array || data instanceof Uint8ClampedArray ? 'u8' : 'i32', k);
          const out = new Float32Array(4998);
          expect(affineRunWasm(data, 2, out, 0, 4998 - (4998 % period), k, precision)).toBe(true);
          for (let i = 0; i < 4998 - (4998 % period); i++) {
            let y = data[i + 2] * k.scale[i % period] + k.offset[i % period];
            if (k.clip) y = Math.min(Math.max(y, -1), 1) * 0.5 + 0.5;
            if (!Object.is(out[i], Math.fround(y))) throw new Error(`${kind} period ${period} (${precision}): out[${i}] = ${out[i]}, expected ${Math.fround(y)}`);
          }
        }
      }
    });
  }

  it('writes the same values into a createOutputBuffer array (the direct path) as into a plain one', () => {
    const shape = [4, 50, 41, 3];
    const data = Uint8Array.from(integers(4 * 50 * 41 * 3, 255, 99));
    const g = resolveGeometry(shape);
    for (const kind of ['normalize', 'standardize', 'positive'] as const) {
      const k = coefficients(kind === 'positive' ? 4 : 1, 3, kind, null);
      const direct = createOutputBuffer(data.length);
      expect(direct.length).toBe(data.length);
      affineCpu(data, g, k, direct);
      expect(firstMismatch(direct, reference(data, shape, 'channels_last', k))).toBe(-1);
    }
  });

  it('leaves values outside the run untouched, on the staging and the direct path', () => {
    // 150 003 values: more than two 65 536-value chunks, so chunk boundaries are crossed.
    const data = Uint8Array.from(integers(160_000, 255, 5));
    const k: RunCoefficients = { scale: [1 / 255, 2 / 255, 3 / 255], offset: [0, -1, 0.5], clip: null, post: null };
    for (const out of [new Float32Array(160_000), createOutputBuffer(160_000)]) {
      out.fill(-7);
      // 150 003 values from data[300] land at out[1003]: odd offsets, a tail that is not a multiple of 48.
      expect(affineRunWasm(data, 300, out, 1003, 150_003, k, 'f64')).toBe(true);
      for (let i = 0; i < out.length; i++) {
        const inside = i >= 1003 && i < 1003 + 150_003;
        const c = (i - 1003) % 3;
        const expected = inside ? Math.fround(data[300 + i - 1003] * k.scale[c] + k.offset[c]) : -7;
        if (!Object.is(out[i], expected)) throw new Error(`out[${i}] = ${out[i]}, expected ${expected}`);
      }
    }
  });

  it('createOutputBuffer rejects lengths that are not positive integers', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => createOutputBuffer(bad)).toThrow(PixelprepError);
    }
  });
});

describe('float32 arithmetic only where it is proven exact', () => {
  const tail = { clip: null, post: null };

  it('splits a scale into a short head (x * head exact in float32) and a float32 remainder', () => {
    for (const s of [1 / 255, 1 / 57.12, 2 / 127.5, 1e-5, 3]) {
      const [a, b] = splitScale(s, 8);
      expect(Math.fround(a)).toBe(a);
      expect(Math.fround(b)).toBe(b);
      for (const x of [1, 77, 255]) expect(Math.fround(x * a)).toBe(x * a);
      expect(Math.abs(a + b - s)).toBeLessThanOrEqual(Math.abs(s) * 2 ** -38);
    }
  });

  it('uses float32 for normalize (x / 255) on 8-bit input, and the result is exact for all 256 values', () => {
    const k: RunCoefficients = { scale: [1 / 255], offset: [0], ...tail };
    expect(float32IsExact(k.scale, k.offset, k, 8)).toBe(true);
    expect(choosePrecision('u8', k)).toBe('f32');
    const data = Uint8Array.from({ length: 4096 }, (_, i) => i & 255);
    const out = new Float32Array(4096);
    affineRunWasm(data, 0, out, 0, 4096, k, 'f32');
    for (let i = 0; i < 4096; i++) expect(out[i]).toBe(Math.fround(data[i] * (1 / 255)));
  });

  it('keeps float64 where float32 would differ, and float32 would indeed differ there', () => {
    const k: RunCoefficients = { scale: [1 / 57.1], offset: [-116.78 / 57.1], ...tail };
    expect(float32IsExact(k.scale, k.offset, k, 8)).toBe(false);
    expect(choosePrecision('u8', k)).toBe('f64');
    const data = Uint8Array.from({ length: 4096 }, (_, i) => i & 255);
    const forced = new Float32Array(4096);
    affineRunWasm(data, 0, forced, 0, 4096, k, 'f32');
    const exact = Float32Array.from(data, (x) => x * k.scale[0] + k.offset[0]);
    expect(firstMismatch(forced, exact)).toBeGreaterThanOrEqual(0);
  });

  it('never uses float32 for int32 or float input', () => {
    const k: RunCoefficients = { scale: [1 / 255], offset: [0], ...tail };
    expect(choosePrecision('i32', k)).toBe('f64');
    expect(choosePrecision('f32', k)).toBe('f64');
    expect(choosePrecision('f64', k)).toBe('f64');
  });
});
