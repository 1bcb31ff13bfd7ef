import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/node/index.js';
import { channelStats, closeTo, requireBuild, ROOT, runCli } from './run_cli.js';

beforeAll(() => requireBuild());

interface Summary {
  dtype: string;
  shape: number[];
  min: number;
  max: number;
  mean: number[];
  std: number[];
  globalMean: number;
  globalStd: number;
}

describe('pixelprep demo', () => {
  it('walks through every method with the figures the tutorial prints', async () => {
    const started = Date.now();
    const text = await runCli(['demo']);
    expect(text.code, text.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    for (const heading of ['normalize:', 'center (per channel):', 'standardize (per channel):', 'positive-standardize:', 'min-max (per channel):', "preset 'caffe'", 'Dataset statistics', 'Held-back photograph']) {
      expect(text.stdout).toContain(heading);
    }
    expect(text.stdout).toContain('largest difference 0');
  });

  it('computes the right figures (checked against float64 loops over the decoded photographs)', async () => {
    const result = await runCli(['demo', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const demo = JSON.parse(result.stdout);
    const decode = { channels: 3 as const, resize: { width: 224, height: 224 } };
    const photo = await decodeImage(`${ROOT}samples/chelsea.jpg`, decode);
    const before: Summary = demo.before;
    expect(before.dtype).toBe('uint8');
    expect(before.shape).toEqual([224, 224, 3]);
    for (let c = 0; c < 3; c++) {
      const ref = channelStats(photo.data, 3, c);
      expect(closeTo(before.mean[c], ref.mean, 1e-12)).toBe(true);
      expect(closeTo(before.std[c], ref.std, 1e-12)).toBe(true);
    }
    const step = (name: string): Summary => demo.methods.find((m: { name: string }) => m.name === name).after;
    const normalized = step('normalize');
    expect(normalized.dtype).toBe('float32');
    expect(normalized.min).toBeCloseTo(before.min / 255, 6);
    expect(normalized.max).toBeCloseTo(before.max / 255, 6);
    const standardized = step('standardize (per channel)');
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(standardized.mean[c])).toBeLessThan(1e-6);
      expect(Math.abs(standardized.std[c] - 1)).toBeLessThan(1e-6);
    }
    const positive = step('positive-standardize');
    expect(positive.min).toBeGreaterThanOrEqual(0);
    expect(positive.max).toBeLessThanOrEqual(1);
    expect(Math.abs(step('center (global)').globalMean)).toBeLessThan(1e-4);
    expect(demo.roundTrip.maxAbsoluteError).toBe(0);

    // Dataset statistics: a float64 loop over the four fitted photographs.
    const pixels: number[] = [];
    for (const file of demo.dataset.files) for (const v of (await decodeImage(`${ROOT}${file}`, decode)).data) pixels.push(v);
    for (let c = 0; c < 3; c++) {
      const ref = channelStats(pixels, 3, c);
      expect(closeTo(demo.dataset.mean[c], ref.mean, 1e-12)).toBe(true);
      expect(closeTo(demo.dataset.std[c], ref.std, 1e-12)).toBe(true);
    }
    // The held-back photograph standardized with them: (its mean - dataset mean) / dataset std.
    const held = await decodeImage(`${ROOT}${demo.heldBack.file}`, decode);
    for (let c = 0; c < 3; c++) {
      const own = channelStats(held.data, 3, c);
      const expected = (own.mean - demo.dataset.mean[c]) / demo.dataset.std[c];
      expect(demo.heldBack.standardizedWithDatasetStats.mean[c]).toBeCloseTo(expected, 5);
    }
  });
});

describe('pixelprep info, --version, --help, errors', () => {
  it('reports the version and every backend, available or with its reason', async () => {
    const result = await runCli(['info', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const info = JSON.parse(result.stdout);
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8'));
    expect(info.version).toBe(pkg.version);
    expect(info.backends.map((b: { name: string }) => b.name)).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
    expect(info.backends.find((b: { name: string }) => b.name === 'cpu').available).toBe(true);
    for (const b of info.backends) if (!b.available) expect(b.reason).toMatch(/\w+/);
    expect(info.imageFormats).toEqual(expect.arrayContaining(['jpeg', 'png', 'webp', 'tiff', 'gif', 'avif']));
  });

  it('prints --version and --help with exit code 0, an unknown command with 2', async () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8'));
    const [version, help, unknown] = await Promise.all([runCli(['--version']), runCli(['--help']), runCli(['transmogrify'])]);
    expect([version.code, version.stdout.trim()]).toEqual([0, pkg.version]);
    expect(help.code).toBe(0);
    for (const command of ['stats', 'fit', 'merge', 'apply', 'demo', 'info']) expect(help.stdout).toContain(command);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^pixelprep: unknown command 'transmogrify'/);
  });

  it('PIXELPREP_BACKEND selects the backend for every command; an unknown one is a usage error', async () => {
    const ok = await runCli(['--json', 'stats', 'samples/coffee.png'], { env: { PIXELPREP_BACKEND: 'wasm' } });
    expect(ok.code).toBe(0);
    const plain = await runCli(['--json', 'stats', 'samples/coffee.png']);
    expect(JSON.parse(ok.stdout)).toEqual(JSON.parse(plain.stdout));
    const bad = await runCli(['stats', 'samples/coffee.png'], { env: { PIXELPREP_BACKEND: 'cuda' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/PIXELPREP_BACKEND.*'cuda'/);
  });

  it('prints the stack only with --verbose', async () => {
    const [quiet, verbose] = await Promise.all([runCli(['stats', `${ROOT}samples/missing.png`]), runCli(['stats', `${ROOT}samples/missing.png`, '--verbose'])]);
    expect(quiet.code).toBe(1);
    expect(verbose.code).toBe(1);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });
});
