/**
 * resize against Pillow itself: every output of the catalogue in
 * test/fixtures/pillow/resize_reference.json (Pillow's Image.resize, see
 * scripts/pil_resize_reference.py) is recomputed and its SHA-256 compared.
 */
import { describe, expect, it } from 'vitest';
import { PIL_KERNELS } from '../../src/resample/filters.js';
import { resize } from '../../src/resample/resize.js';
import { sha256 } from '../io/fixtures.js';
import { loadSource, resizeReference, type ResizeReference } from './fixtures.js';

const reference = resizeReference();
const label = (e: ResizeReference): string => {
  const s = e.source;
  const from = s.kind === 'sample' ? `${s.file} (${s.channels}ch)` : `generated ${s.width}×${s.height}×${s.channels}`;
  const { width, height, kernel, ...rest } = e.options;
  return `${from} → ${width}×${height} ${kernel}${Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : ''}`;
};

describe(`resize matches Pillow ${reference.pillow} byte for byte`, () => {
  it('the catalogue covers every kernel with L, RGB and RGBA, boxes and reducing_gap', () => {
    for (const kernel of PIL_KERNELS) {
      for (const channels of [1, 3, 4]) {
        expect(reference.entries.some((e) => e.options.kernel === kernel && e.source.channels === channels), `${kernel} ${channels}ch`).toBe(true);
      }
      expect(reference.entries.some((e) => e.options.kernel === kernel && e.options.box)).toBe(true);
      expect(reference.entries.some((e) => e.options.kernel === kernel && e.options.reducingGap)).toBe(true);
    }
  });

  for (const implementation of ['js', 'wasm'] as const) {
    it.each(reference.entries.map((e) => [label(e), e] as const))(`${implementation}: %s`, async (_, entry) => {
      const image = await loadSource(entry.source);
      const out = resize(image, { ...entry.options, implementation });
      expect(out.shape).toEqual(entry.shape);
      expect(sha256(out.data)).toBe(entry.sha256);
    });
  }
});
