/**
 * Soak: each public function called many times on each lane, with tensor
 * count and RSS sampled. 500 calls by default; PIXELPREP_SOAK=10000 for the long run.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AffinePlan, computeImageStats, computeStats, createScaler, mergeStats, scale, scaleInto } from '../../src/index.js';
import { enterLane, lanes } from '../helpers/lanes.js';
import { randomBytes } from '../core/reference.js';

const CALLS = Number(process.env.PIXELPREP_SOAK ?? 500);
const RSS_BUDGET_MB = 64;

const x = { data: randomBytes(4 * 32 * 32 * 3, 99), shape: [4, 32, 32, 3] };
const out = new Float32Array(x.data.length);
const stats = computeStats(x);
const scaler = createScaler({ method: 'standardize', stats });
const plan = scaler.plan();

const calls: Record<string, (kernel: 'auto' | 'composite') => void> = {
  scale: (kernel) => scale(x, { method: 'positive-standardize', scope: 'batch', kernel }).dispose(),
  'Scaler.apply': () => scaler.apply(x).dispose(),
  'AffinePlan.apply + invert': (kernel) => {
    const y = plan.apply(x, { kernel });
    plan.invert(y, { kernel }).dispose();
    y.dispose();
  },
  'AffinePlan JSON': () => AffinePlan.fromJSON(JSON.parse(JSON.stringify(plan))),
  scaleInto: () => scaleInto(x, out, { method: 'normalize' }),
  computeStats: () => computeStats(x),
  computeImageStats: () => computeImageStats(x),
  mergeStats: () => mergeStats(stats, stats),
  'error path': (kernel) => {
    try {
      scale({ data: new Float32Array([NaN, 1]), shape: [1, 2] }, { method: 'normalize', kernel });
    } catch {
      // expected: the soak checks that a throwing call leaks nothing
    }
  },
};

const all = await lanes();
for (const lane of all) {
  if (!lane.available) {
    describe(`soak ${lane.name}`, () => it.skip(`skipped: ${lane.reason}`, () => undefined));
    continue;
  }
  describe(`soak ${lane.name}`, () => {
    beforeAll(() => enterLane(lane));
    for (const [name, call] of Object.entries(calls)) {
      it(`${name} × ${CALLS}: no tensor growth, bounded RSS`, () => {
        const kernel = lane.kernel === 'composite' ? 'composite' : 'auto';
        for (let i = 0; i < 20; i++) call(kernel);
        const tensors = tf.memory().numTensors;
        const rss = process.memoryUsage().rss;
        for (let i = 0; i < CALLS; i++) call(kernel);
        const growthMb = (process.memoryUsage().rss - rss) / 2 ** 20;
        console.info(`soak ${lane.name} ${name} × ${CALLS}: tensors ${tensors} → ${tf.memory().numTensors}, RSS ${(rss / 2 ** 20).toFixed(0)} MB ${growthMb >= 0 ? '+' : ''}${growthMb.toFixed(1)} MB`);
        expect(tf.memory().numTensors).toBe(tensors);
        expect(growthMb).toBeLessThan(RSS_BUDGET_MB);
      });
    }
  });
}
