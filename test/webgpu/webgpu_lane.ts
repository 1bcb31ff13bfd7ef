/**
 * The webgpu lane for these specs: runs them when an adapter exists, skips
 * them with the reason elsewhere, and fails loudly in CI (CI=true), where the
 * setup installs Mesa lavapipe and a missing adapter is a broken machine.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { listBackends, setBackend } from '../../src/backends/select.js';

const status = (await listBackends()).find((b) => b.name === 'webgpu');

/** Why the webgpu lane cannot run here, or null when it can. */
export const unavailableReason: string | null = status?.available ? null : (status?.reason ?? 'unknown backend');

/** Declares a suite on the webgpu backend (selected before its first spec). */
export function describeWebGpu(title: string, body: () => void): void {
  if (unavailableReason === null) {
    describe(`webgpu: ${title}`, () => {
      beforeAll(async () => {
        await setBackend('webgpu');
        tf.env().set('PROD', true);
      });
      body();
    });
    return;
  }
  if (process.env.CI === 'true') {
    describe(`webgpu: ${title}`, () =>
      it('has a WebGPU adapter in CI', () => {
        throw new Error(`The webgpu lane must run in CI but cannot: ${unavailableReason}`);
      }),
    );
    return;
  }
  describe(`webgpu: ${title}`, () => it.skip(`skipped: ${unavailableReason}`, () => undefined));
}

/** |a - b| ≤ tolerance × max(1, |b|) for every value; returns the worst scaled error. */
export function worstError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(e <= worst)) worst = e;
  }
  return worst;
}

/** Deterministic pseudo-random integers in [0, bound) (a 32-bit LCG, seeded). */
export function randomInts(count: number, bound: number, seed: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * bound);
  });
}
