import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/node/index.js';
import { channelStats, closeTo, requireBuild, ROOT, runCli } from './run_cli.js';

const SAMPLES = ['chelsea.jpg', 'coffee.png', 'retina.png', 'astronaut.webp', 'camera.png'].map((n) => `${ROOT}samples/${n}`);
let dir = '';

beforeAll(async () => {
  requireBuild();
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-cli-stats-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface StatsJson {
  images: { path: string; shape: number[]; dtype: string; stats: { channels: number; count: number; mean: number[]; std: number[]; min: number[]; max: number[]; global: { mean: number; std: number } } }[];
  overall: { images: number; count: number; mean: number[]; std: number[]; min: number[]; max: number[]; global: { count: number; mean: number; std: number } };
}

describe('pixelprep stats', () => {
  it('prints per-image and overall statistics equal to a float64 loop over the decoded pixels', async () => {
    const result = await runCli(['stats', ...SAMPLES, '--channels', '3', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json: StatsJson = JSON.parse(result.stdout);
    expect(json.images.map((i) => i.path)).toEqual(SAMPLES);

    const all: number[] = [];
    for (const [k, path] of SAMPLES.entries()) {
      const image = await decodeImage(path, { channels: 3 });
      const report = json.images[k];
      expect(report.shape).toEqual([...image.shape]);
      expect(report.dtype).toBe('uint8');
      for (let c = 0; c < 3; c++) {
        const ref = channelStats(image.data, 3, c);
        expect(report.stats.count).toBe(ref.count);
        expect(closeTo(report.stats.mean[c], ref.mean, 1e-12)).toBe(true);
        expect(closeTo(report.stats.std[c], ref.std, 1e-12)).toBe(true);
        expect([report.stats.min[c], report.stats.max[c]]).toEqual([ref.min, ref.max]);
      }
      const pooled = channelStats(image.data, 1, 0);
      expect(closeTo(report.stats.global.mean, pooled.mean, 1e-12)).toBe(true);
      expect(closeTo(report.stats.global.std, pooled.std, 1e-12)).toBe(true);
      for (const v of image.data) all.push(v);
    }
    expect(json.overall.images).toBe(SAMPLES.length);
    for (let c = 0; c < 3; c++) {
      const ref = channelStats(all, 3, c);
      expect(json.overall.count).toBe(ref.count);
      expect(closeTo(json.overall.mean[c], ref.mean, 1e-12)).toBe(true);
      expect(closeTo(json.overall.std[c], ref.std, 1e-12)).toBe(true);
    }
    const pooled = channelStats(all, 1, 0);
    expect(closeTo(json.overall.global.mean, pooled.mean, 1e-12)).toBe(true);
    expect(closeTo(json.overall.global.std, pooled.std, 1e-12)).toBe(true);
  });

  it('prints a table for people, grey images at one channel with --channels keep', async () => {
    const result = await runCli(['stats', `${ROOT}samples/camera.png`, '--channels', 'keep']);
    expect(result.code).toBe(0);
    const ref = channelStats((await decodeImage(`${ROOT}samples/camera.png`)).data, 1, 0);
    expect(result.stdout).toContain('camera.png  [192,192,1] uint8');
    expect(result.stdout).toMatch(new RegExp(`\\n  0\\s+${ref.mean.toFixed(4)}\\s+${ref.std.toFixed(4)}\\s+${ref.min.toFixed(4)}\\s+${ref.max.toFixed(4)}\\n`));
    expect(result.stdout).toContain('overall: 1 images');
  });

  it('exits 1 naming a file that is not an image, and says how to pool grey with colour', async () => {
    const bad = join(dir, 'notes.jpg');
    await writeFile(bad, 'not a photograph');
    const notImage = await runCli(['stats', SAMPLES[0], bad]);
    expect(notImage.code).toBe(1);
    expect(notImage.stderr).toMatch(/^pixelprep: .*notes\.jpg/);
    expect(notImage.stderr).not.toMatch(/\n\s+at /);
    expect(notImage.stdout).toBe('');

    const mixed = await runCli(['stats', SAMPLES[0], `${ROOT}samples/camera.png`, '--channels', 'keep']);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/camera\.png.*--channels/);

    const missing = await runCli(['stats', join(dir, 'nowhere')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nowhere.*does not exist/);
  });

  it('reads every file as RGB by default, so grey and colour pool (as Keras load_img)', async () => {
    const result = await runCli(['stats', SAMPLES[0], `${ROOT}samples/camera.png`, '--json']);
    expect(result.code).toBe(0);
    const json: StatsJson = JSON.parse(result.stdout);
    const grey = await decodeImage(`${ROOT}samples/camera.png`, { channels: 3 });
    expect(json.images[1].shape).toEqual([...grey.shape]);
    expect(json.images[1].stats.mean[0]).toBeCloseTo(channelStats(grey.data, 3, 0).mean, 9);
  });

  it('--skip-errors reports the good files, lists the bad one and exits 1', async () => {
    const bad = join(dir, 'broken.png');
    await writeFile(bad, 'not a picture');
    const result = await runCli(['stats', SAMPLES[0], bad, '--skip-errors', '--json']);
    expect(result.code).toBe(1);
    const json: StatsJson & { skipped: { path: string; code: string }[] } = JSON.parse(result.stdout);
    expect(json.images.map((i) => i.path)).toEqual([SAMPLES[0]]);
    expect(json.skipped.map((s) => s.path)).toEqual([bad]);
    const image = await decodeImage(SAMPLES[0], { channels: 3 });
    expect(json.overall.mean[2]).toBeCloseTo(channelStats(image.data, 3, 2).mean, 9);
    expect(result.stderr).toMatch(/broken\.png[^\n]*\n.*1 of 2 could not be and were skipped/);
  });

  it('shows an example in --help', async () => {
    const result = await runCli(['stats', '--help']);
    expect(result.stdout).toMatch(/Examples:\n  \$ pixelprep stats samples\//);
  });

  it('exits 2 on usage errors', async () => {
    const cases = [['stats'], ['stats', SAMPLES[0], '--resize', '3by4'], ['stats', SAMPLES[0], '--channels', '2']];
    const results = await Promise.all(cases.map((args) => runCli(args)));
    results.forEach((result, i) => {
      expect(result.code, cases[i].join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^pixelprep: /);
    });
    expect(results[1].stderr).toMatch(/--resize.*'3by4'/);
  });
});
