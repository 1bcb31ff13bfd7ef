/** The built package as a user imports it: `import ... from 'pixelprep'` resolves through package.json exports. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { scale, scaleInto } from '../../src/index.js';
import { randomBytes } from './reference.js';

const root = new URL('../../', import.meta.url).pathname;

describe('package', () => {
  it('self-reference import of the built package scales a raw uint8 image', () => {
    const script = `import('pixelprep').then((p) => { const y = p.scale({ data: new Uint8Array([0, 51, 255]), shape: [1, 1, 3] }, { method: 'normalize' }); console.log(JSON.stringify(Array.from(y.dataSync()))); });`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop() ?? '')).toEqual([0, Math.fround(51 / 255), 1]);
  });

  it('scaleInto writes the same values as scale into the caller\'s buffer and leaves the input untouched', () => {
    const data = randomBytes(2 * 8 * 8 * 3, 3);
    const copy = data.slice();
    const out = new Float32Array(data.length);
    const before = tf.memory().numTensors;
    for (const method of ['normalize', 'standardize', 'positive-standardize'] as const) {
      const returned = scaleInto({ data, shape: [2, 8, 8, 3] }, out, { method, scope: 'batch' });
      expect(returned).toBe(out);
      const y = scale({ data, shape: [2, 8, 8, 3] }, { method, scope: 'batch' });
      expect(out).toEqual(y.dataSync());
      y.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(data).toEqual(copy);
  });

  it('a tensor input is neither modified nor disposed', () => {
    const x = tf.tensor([[10, 20], [30, 40]], [2, 2], 'int32');
    const y = scale(x, { method: 'standardize', kernel: 'composite' });
    expect(x.isDisposed).toBe(false);
    expect(Array.from(x.dataSync())).toEqual([10, 20, 30, 40]);
    tf.dispose([x, y]);
  });
});
