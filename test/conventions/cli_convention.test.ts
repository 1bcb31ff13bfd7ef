/** `pixelprep apply --convention`: the CLI passes the convention to the scaler. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNpy } from '../../src/node/index.js';
import { requireBuild, runCli } from '../cli/run_cli.js';

let dir = '';
const W = 5;
const H = 4;
/** Channel 0 varies, channels 1 and 2 are constant. */
const data = Uint8Array.from({ length: W * H * 3 }, (_, k) => (k % 3 === 0 ? (k * 37) % 256 : 90));

beforeAll(async () => {
  requireBuild();
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-convention-'));
  await sharp(data, { raw: { width: W, height: H, channels: 3 } }).png().toFile(join(dir, 'a.png'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pixelprep apply --convention', () => {
  it("albumentations divides by std + 1e-4; torchvision refuses the constant channels", async () => {
    const out = join(dir, 'albu.npy');
    const ok = await runCli(['apply', join(dir, 'a.png'), '--method', 'standardize', '--convention', 'albumentations', '-o', out]);
    expect(ok.code, ok.stderr).toBe(0);
    const y = (await readNpy(out)).data;
    const xs = Array.from({ length: W * H }, (_, p) => data[p * 3]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / xs.length);
    for (let p = 0; p < W * H; p++) {
      expect(Math.abs(y[p * 3] - Math.min(20, Math.max(-20, (xs[p] - mean) / (std + 1e-4))))).toBeLessThan(1e-6);
      expect(y[p * 3 + 1]).toBe(0);
    }
    const refused = await runCli(['apply', join(dir, 'a.png'), '--method', 'standardize', '--convention', 'torchvision', '-o', join(dir, 'tv.npy')]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/standard deviation of at least epsilon .* but received 0 \(constant data; zeroVariance 'error' refuses it/);
    const unknown = await runCli(['apply', join(dir, 'a.png'), '--method', 'standardize', '--convention', 'pytorch', '-o', join(dir, 'x.npy')]);
    expect(unknown.stderr).toMatch(/--convention/);
  });
});
