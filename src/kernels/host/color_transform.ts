/**
 * The colour transform on the host: y = A (x - before) + after for every
 * pixel, A a C×C matrix, in float64 with one rounding on store (PCA whitening).
 */
import type { PixelArray } from '../../core/input.js';
import type { Geometry } from '../../core/layout.js';

/** y = A (x - before) + after for every pixel, A row-major C×C. */
export interface PixelMap {
  matrix: Float64Array;
  before: Float64Array;
  after: Float64Array;
}

export function pixelMapHost(data: PixelArray, g: Geometry, map: PixelMap, out: Float32Array): void {
  const { channels: C, pixels: P, images: N } = g;
  const { matrix: A, before, after } = map;
  const x = new Float64Array(C);
  const planar = g.layout === 'channels_first' && C > 1;
  for (let n = 0; n < N; n++) {
    const base = n * C * P;
    for (let p = 0; p < P; p++) {
      const at = planar ? base + p : base + p * C;
      const step = planar ? P : 1;
      for (let k = 0; k < C; k++) x[k] = data[at + k * step] - before[k];
      for (let c = 0; c < C; c++) {
        let s = after[c];
        const row = c * C;
        for (let k = 0; k < C; k++) s += A[row + k] * x[k];
        out[at + c * step] = s;
      }
    }
  }
}

