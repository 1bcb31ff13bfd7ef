import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitFiles, saveStats } from '../../src/node/index.js';
import { decodeImage, readNpy } from '../../src/node/index.js';
import { channelStats, filesIn, requireBuild, ROOT, runCli } from './run_cli.js';

let dir = '';
const W = 9;
const H = 7;
/** Raw pixels of the generated images (PNG is lossless: what the CLI decodes). */
const raw: Uint8Array[] = [];

beforeAll(async () => {
  requireBuild();
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-cli-apply-'));
  for (let i = 0; i < 3; i++) {
    const data = Uint8Array.from({ length: W * H * 3 }, (_, k) => (k * (7 + i) + 13 * i + (k % 3) * 50) % 256);
    raw.push(data);
    await sharp(data, { raw: { width: W, height: H, channels: 3 } }).png().toFile(join(dir, `img${i}.png`));
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const inputs = () => [0, 1, 2].map((i) => join(dir, `img${i}.png`));

/** Largest |a - b| over two arrays. */
function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('pixelprep apply', () => {
  it('standardizes each image with its own per-channel statistics into one [N,H,W,C] float32 .npy', async () => {
    const out = join(dir, 'standardized.npy');
    const result = await runCli(['apply', ...inputs(), '--method', 'standardize', '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`wrote ${out}: float32 [3,${H},${W},3]`);
    const array = await readNpy(out);
    expect(array.shape).toEqual([3, H, W, 3]);
    expect(array.data).toBeInstanceOf(Float32Array);
    const expected = new Float64Array(3 * H * W * 3);
    raw.forEach((image, n) => {
      const stats = [0, 1, 2].map((c) => channelStats(image, 3, c));
      image.forEach((v, k) => {
        expected[n * image.length + k] = (v - stats[k % 3].mean) / stats[k % 3].std;
      });
    });
    expect(maxDifference(array.data, expected)).toBeLessThan(1e-6);
  });

  it("with --scope batch --per global uses one mean and std over every input", async () => {
    const out = join(dir, 'batch.npy');
    const result = await runCli(['apply', ...inputs(), '--method', 'standardize', '--scope', 'batch', '--per', 'global', '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    const all = raw.flatMap((image) => Array.from(image));
    const { mean, std } = channelStats(all, 1, 0);
    const array = await readNpy(out);
    expect(maxDifference(array.data, all.map((v) => (v - mean) / std))).toBeLessThan(1e-6);
  });

  it("uses a fitted stats file (scope 'dataset') and writes one .npy per image into a directory", async () => {
    const statsPath = join(dir, 'fit.json');
    await saveStats(statsPath, await fitFiles(inputs(), { decode: (path) => decodeImage(path) }));
    const fitted = JSON.parse(await readFile(statsPath, 'utf8'));
    const outDir = join(dir, 'scaled');
    const result = await runCli(['apply', ...inputs(), '--method', 'standardize', '--stats', statsPath, '-o', outDir, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.scope).toBe('dataset');
    expect(await filesIn(outDir)).toEqual(['img0.npy', 'img1.npy', 'img2.npy']);
    for (let n = 0; n < 3; n++) {
      const array = await readNpy(join(outDir, `img${n}.npy`));
      expect(array.shape).toEqual([H, W, 3]);
      const expected = Array.from(raw[n], (v, k) => (v - fitted.mean[k % 3]) / fitted.std[k % 3]);
      expect(maxDifference(array.data, expected)).toBeLessThan(1e-6);
    }
  });

  it("applies a Keras preset: 'caffe' is RGB to BGR minus the ImageNet BGR means [103.939, 116.779, 123.68]", async () => {
    const out = join(dir, 'caffe.npy');
    const result = await runCli(['apply', inputs()[0], '--preset', 'caffe', '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    const array = await readNpy(out);
    expect(array.shape).toEqual([1, H, W, 3]);
    const means = [103.939, 116.779, 123.68];
    const expected = Array.from(raw[0], (_, k) => raw[0][k - (k % 3) + (2 - (k % 3))] - means[k % 3]);
    expect(maxDifference(array.data, expected)).toBeLessThan(1e-4);
  });

  it('resizes a model preset to its input size and a real photograph to --resize', async () => {
    const model = await runCli(['apply', `${ROOT}samples/coffee.png`, '--preset', 'MobileNetV2', '-o', join(dir, 'mobilenet.npy'), '--json']);
    expect(model.code, model.stderr).toBe(0);
    expect(JSON.parse(model.stdout).shape).toEqual([1, 224, 224, 3]);
    const values = (await readNpy(join(dir, 'mobilenet.npy'))).data;
    // 'tf' mode maps [0, 255] to [-1, 1].
    expect(values.length).toBe(224 * 224 * 3);
    expect(values.every((v) => v >= -1 && v <= 1)).toBe(true);
  });

  it('exits 1 naming the failing input and writes no .npy', async () => {
    const bad = join(dir, 'img9.png');
    await writeFile(bad, 'garbage');
    const out = join(dir, 'never.npy');
    const result = await runCli(['apply', ...inputs(), bad, '--method', 'normalize', '-o', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^pixelprep: .*img9\.png/);
    expect(await filesIn(dir)).not.toContain('never.npy');
    expect((await filesIn(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const mixed = await runCli(['apply', inputs()[0], `${ROOT}samples/coffee.png`, '--method', 'normalize', '-o', out]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/coffee\.png.*--resize/);
    expect(await filesIn(dir)).not.toContain('never.npy');
  });

  it('exits 2 on contradictory or missing options', async () => {
    const out = join(dir, 'x.npy');
    const cases = [
      ['apply', inputs()[0], '-o', out],
      ['apply', inputs()[0], '--method', 'standardize', '--scope', 'dataset', '-o', out],
      ['apply', inputs()[0], '--preset', 'ResNet50', '--per', 'global', '-o', out],
      ['apply', inputs()[0], '--preset', 'ResNet5O', '-o', out],
    ];
    const results = await Promise.all(cases.map((args) => runCli(args)));
    results.forEach((result, i) => {
      expect(result.code, cases[i].join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^pixelprep: Expected/);
    });
    expect(results[3].stderr).toMatch(/ResNet50/);
    expect(await filesIn(dir)).not.toContain('x.npy');
  });

  it('--stats alone standardizes with the file\'s statistics (float64 reference)', async () => {
    const statsPath = join(dir, 'alone.json');
    await saveStats(statsPath, await fitFiles(inputs(), { decode: (p) => decodeImage(p) }));
    const stats = JSON.parse(await readFile(statsPath, 'utf8'));
    const out = join(dir, 'alone.npy');
    const result = await runCli(['apply', inputs()[1], '--stats', statsPath, '-o', out]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/method standardize/);
    const { data } = await readNpy(out);
    const want = Array.from(raw[1], (v, k) => (v - stats.mean[k % 3]) / stats.std[k % 3]);
    expect(maxDifference(data, want)).toBeLessThan(1e-5);
  });

  it('-o x.png writes a viewable PNG through the inverse plan (the input back, exactly)', async () => {
    const out = join(dir, 'seen.png');
    const result = await runCli(['apply', inputs()[2], '--method', 'standardize', '-o', out]);
    expect(result.stderr).toBe('');
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([W, H, 3]);
    expect(maxDifference(data, raw[2])).toBe(0);
  });

  it('-o with another extension is a usage error, not a folder; rescale without --scale names the flag', async () => {
    const wrongName = await runCli(['apply', inputs()[0], '--method', 'normalize', '-o', join(dir, 'y.jpg')]);
    expect(wrongName.code).toBe(2);
    expect(wrongName.stderr).toMatch(/Expected -o to end in \.npy .* but received '.*y\.jpg'/);
    expect(await filesIn(dir)).not.toContain('y.jpg');
    const rescale = await runCli(['apply', inputs()[0], '--method', 'rescale', '-o', join(dir, 'r.npy')]);
    expect(rescale.code).toBe(2);
    expect(rescale.stderr).toMatch(/Expected --scale .* with --method rescale but received none/);
  });

  it('--skip-errors writes the .npy of the good files, lists the bad one and exits 1', async () => {
    const bad = join(dir, 'img8.png');
    await writeFile(bad, 'garbage');
    const out = join(dir, 'partial.npy');
    const result = await runCli(['apply', inputs()[0], bad, '--method', 'normalize', '-o', out, '--skip-errors']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/img8\.png/);
    const npy = await readNpy(out);
    expect(npy.shape).toEqual([1, H, W, 3]);
    expect(maxDifference(npy.data, Array.from(raw[0], (v) => v / 255))).toBeLessThan(1e-7);
  });

  it('shows examples in --help for every command', async () => {
    for (const command of ['stats', 'fit', 'merge', 'apply', 'demo', 'info', 'bench']) {
      const result = await runCli([command, '--help']);
      expect(result.stdout, command).toMatch(new RegExp(`Examples?:\\n  \\$ pixelprep ${command}`));
    }
  });
});
