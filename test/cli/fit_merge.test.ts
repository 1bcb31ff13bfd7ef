import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelStats, closeTo, filesIn, requireBuild, runCli } from './run_cli.js';

const COUNT = 300;
const W = 12;
const H = 10;
let dir = '';
let images = '';
/** Every generated pixel, in file order: the reference data (PNG is lossless, so no decoder is involved). */
const pixels: number[] = [];

/** A deterministic generator (a 32-bit LCG), so the images are the same on every run. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 24;
  };
}

beforeAll(async () => {
  requireBuild();
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-cli-fit-'));
  images = join(dir, 'images');
  const next = lcg(7);
  for (let i = 0; i < COUNT; i++) {
    const data = new Uint8Array(W * H * 3);
    // Channels with different means, so per-channel statistics differ.
    for (let p = 0; p < W * H; p++) for (let c = 0; c < 3; c++) data[p * 3 + c] = Math.min(255, Math.floor(next() * (0.5 + 0.25 * c)) + 40 * c);
    const sub = join(images, `class-${i % 3}`);
    await mkdir(sub, { recursive: true });
    await sharp(data, { raw: { width: W, height: H, channels: 3 } }).png().toFile(join(sub, `${String(i).padStart(4, '0')}.png`));
  }
  // The reference in the fit's file order: sorted paths (class-0/0000, class-0/0003, ..., class-1/0001, ...).
  const order = Array.from({ length: COUNT }, (_, i) => i).sort((a, b) => a % 3 - (b % 3) || a - b);
  const all = new Map<number, Uint8Array>();
  const again = lcg(7);
  for (let i = 0; i < COUNT; i++) {
    const data = new Uint8Array(W * H * 3);
    for (let p = 0; p < W * H; p++) for (let c = 0; c < 3; c++) data[p * 3 + c] = Math.min(255, Math.floor(again() * (0.5 + 0.25 * c)) + 40 * c);
    all.set(i, data);
  }
  for (const i of order) for (const v of all.get(i)!) pixels.push(v);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface StatsFile {
  format: string;
  channels: number;
  images: number;
  count: number;
  mean: number[];
  std: number[];
  min: number[];
  max: number[];
  global: { mean: number; std: number };
  source: Record<string, unknown>;
}
const readStats = async (path: string): Promise<StatsFile> => JSON.parse(await readFile(path, 'utf8'));

function expectReference(stats: StatsFile, tolerance: number): void {
  expect(stats.format).toBe('pixelprep-stats');
  expect(stats.images).toBe(COUNT);
  for (let c = 0; c < 3; c++) {
    const ref = channelStats(pixels, 3, c);
    expect(stats.count).toBe(ref.count);
    expect(closeTo(stats.mean[c], ref.mean, tolerance), `mean[${c}] ${stats.mean[c]} vs ${ref.mean}`).toBe(true);
    expect(closeTo(stats.std[c], ref.std, tolerance), `std[${c}] ${stats.std[c]} vs ${ref.std}`).toBe(true);
    expect([stats.min[c], stats.max[c]]).toEqual([ref.min, ref.max]);
  }
  const pooled = channelStats(pixels, 1, 0);
  expect(closeTo(stats.global.mean, pooled.mean, tolerance)).toBe(true);
  expect(closeTo(stats.global.std, pooled.std, tolerance)).toBe(true);
}

describe('pixelprep fit and merge', () => {
  it(`fits ${COUNT} images with a progress bar; the statistics equal a float64 computation over the pixels`, async () => {
    const out = join(dir, 'stats.json');
    const result = await runCli(['fit', images, '-o', out, '--progress']);
    expect(result.code, result.stderr).toBe(0);
    // cli-progress on a pipe: a line when it starts and when it stops, with the count.
    expect(result.stderr).toMatch(/fit \[#+-*\] \d+% \| \d+\/300 files/);
    expect(result.stderr).toMatch(/fit \[#{30}\] 100% \| 300\/300 files/);
    expect(result.stdout).toContain(`wrote ${out}`);
    const stats = await readStats(out);
    expectReference(stats, 1e-12);
    expect(stats.source).toMatchObject({ decoder: 'sharp', range: [0, 255], files: COUNT });
  });

  it('fits three shards whose merge equals the single fit and the reference', async () => {
    const parts = [0, 1, 2].map((i) => join(dir, `shard-${i}.json`));
    // Three jobs at once, as a job array would run them.
    const results = await Promise.all(parts.map((part, i) => runCli(['fit', images, '-o', part, '--shard', `${i}/3`, '--no-progress'])));
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
    }
    const merged = join(dir, 'merged.json');
    const result = await runCli(['merge', ...parts, '-o', merged, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).parts).toBe(3);
    const stats = await readStats(merged);
    expectReference(stats, 1e-12);
    expect(stats.source.shard).toEqual({ count: 3, indices: [0, 1, 2] });

    // A shard merged twice would count its files twice: refused, and nothing written.
    const twice = await runCli(['merge', parts[0], parts[0], '-o', join(dir, 'twice.json')]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/shard 0\/3/);
    expect(await filesIn(dir)).not.toContain('twice.json');
  });

  it('resizes before fitting and records it', async () => {
    const out = join(dir, 'resized.json');
    const result = await runCli(['fit', join(images, 'class-0'), '-o', out, '--resize', '6x5', '--fit', 'stretch', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const stats = JSON.parse(result.stdout).stats as StatsFile;
    expect(stats.count).toBe(100 * 6 * 5);
    expect(stats.source.resize).toEqual({ width: 6, height: 5, fit: 'stretch', kernel: 'lanczos3' });
  });

  it('exits 1 naming a corrupt file and leaves no stats file (nor a temporary one)', async () => {
    const broken = join(dir, 'broken');
    await mkdir(broken);
    const good = await readFile(join(images, 'class-0', '0000.png'));
    await writeFile(join(broken, 'a.png'), good);
    await writeFile(join(broken, 'b.png'), good.subarray(0, 40));
    const result = await runCli(['fit', broken, '-o', join(broken, 'stats.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^pixelprep: .*b\.png/);
    expect(await filesIn(broken)).toEqual(['a.png', 'b.png']);
  });

  it('exits 2 without -o, with a bad shard, or with a stats file that is not one', async () => {
    const notStats = join(dir, 'not-stats.json');
    await writeFile(notStats, '{"hello": 1}');
    const [noOutput, shard, merge] = await Promise.all([
      runCli(['fit', images]),
      runCli(['fit', images, '-o', join(dir, 'x.json'), '--shard', '3/3']),
      runCli(['merge', notStats, '-o', join(dir, 'y.json')]),
    ]);
    expect(noOutput.code).toBe(2);
    expect(shard.code).toBe(2);
    expect(shard.stderr).toMatch(/shard/);
    expect(merge.code).toBe(1);
    expect(merge.stderr).toMatch(/not-stats\.json/);
  });
});
