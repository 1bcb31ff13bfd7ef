/** CovarianceAccumulator against a two-pass float64 covariance, with large offsets and merges. */
import { describe, expect, it } from 'vitest';
import { PixelprepError } from '../../src/core/errors.js';
import { CovarianceAccumulator } from '../../src/whitening/covariance_accumulator.js';
import { correlatedRows, covarianceOf, maxAbsDiff } from './reference.js';

describe('CovarianceAccumulator', () => {
  it('matches the two-pass covariance of 200,000 colour vectors offset by 1e6', () => {
    const D = 3;
    const rows = correlatedRows(200_000, D, 7, 2, 1e6);
    const ref = covarianceOf(rows, D);
    const acc = new CovarianceAccumulator(D);
    // Uneven pieces, as images of different sizes arrive.
    for (let r = 0, k = 1; r < 200_000; k = (k * 7) % 997) {
      const take = Math.min(200_000 - r, k * 13);
      acc.addRows(rows, r * D, take, D, 1);
      r += take;
    }
    expect(acc.samples).toBe(200_000);
    expect(maxAbsDiff(acc.mean(), ref.mean)).toBeLessThanOrEqual(1e-15 * 1e6);
    const scale = Math.max(...ref.cov.map(Math.abs));
    expect(maxAbsDiff(acc.covariance(), ref.cov) / scale).toBeLessThanOrEqual(1e-10);
  });

  it('matches the reference for every dimension 1..11, across block boundaries', () => {
    for (let D = 1; D <= 11; D++) {
      const n = 5000;
      const rows = correlatedRows(n, D, 100 + D, 5, 50);
      const acc = new CovarianceAccumulator(D);
      for (let r = 0; r < n; r += 997) acc.addRows(rows, r * D, Math.min(997, n - r), D, 1);
      const ref = covarianceOf(rows, D);
      const scale = Math.max(...ref.cov.map(Math.abs));
      expect(maxAbsDiff(acc.covariance(), ref.cov) / scale).toBeLessThanOrEqual(1e-12);
      expect(acc.samples).toBe(n);
    }
  });

  it('reads planar rows (channels_first) like interleaved ones', () => {
    const D = 4;
    const P = 500;
    const rows = correlatedRows(P, D, 3, 10, 100);
    const planar = new Float64Array(P * D);
    for (let p = 0; p < P; p++) for (let j = 0; j < D; j++) planar[j * P + p] = rows[p * D + j];
    const a = new CovarianceAccumulator(D).addRows(rows, 0, P, D, 1);
    const b = new CovarianceAccumulator(D).addRows(planar, 0, P, 1, P);
    expect(maxAbsDiff(a.covariance(), b.covariance())).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(a.mean(), b.mean())).toBeLessThanOrEqual(1e-13);
  });

  it('merges accumulators of disjoint rows into the single-pass result', () => {
    const D = 20;
    const rows = correlatedRows(900, D, 5, 30, 128);
    const whole = new CovarianceAccumulator(D).addRows(rows, 0, 900, D, 1);
    const parts = [0, 100, 450, 900].slice(1).map((end, k, ends) => {
      const start = k === 0 ? 0 : ends[k - 1];
      return new CovarianceAccumulator(D).addRows(rows, start * D, end - start, D, 1);
    });
    const merged = parts[2].merge(parts[0]).merge(parts[1]);
    const ref = covarianceOf(rows, D);
    const scale = Math.max(...ref.cov.map(Math.abs));
    expect(maxAbsDiff(merged.covariance(), whole.covariance()) / scale).toBeLessThanOrEqual(1e-13);
    expect(maxAbsDiff(merged.covariance(), ref.cov) / scale).toBeLessThanOrEqual(1e-12);
    expect(merged.samples).toBe(900);
    expect(new CovarianceAccumulator(D).merge(whole).covariance()).toEqual(whole.covariance());
  });

  it('refuses a merge of another dimension, an empty covariance and a bad dimension', () => {
    expect(() => new CovarianceAccumulator(3).merge(new CovarianceAccumulator(4).addRows([1, 2, 3, 4], 0, 1, 4, 1))).toThrow(
      expect.objectContaining({ code: 'E_SHAPE' }),
    );
    expect(() => new CovarianceAccumulator(3).covariance()).toThrow(expect.objectContaining({ code: 'E_STATS' }));
    expect(() => new CovarianceAccumulator(0)).toThrow(PixelprepError);
  });
});
