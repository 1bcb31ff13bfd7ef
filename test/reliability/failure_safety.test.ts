/**
 * Nothing is lost on failure: a fit stopped by a signal or by a bad file in
 * the middle of a folder leaves the previous stats file as it was and a
 * checkpoint that resumes to the exact statistics; `apply` carries on past
 * failing files, writes nothing for them and names each; a full disk leaves
 * previous files intact and no temporary file.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitStats, type PixelStats } from '../../src/index.js';
import { readNpy, saveStats, writeNpy } from '../../src/node/index.js';
import { channelStats, MAIN, requireBuild, runCli } from '../cli/run_cli.js';
import { caught, expectBadInput } from './bad_input.js';
import { encodePng } from '../helpers/png_writer.js';

const [W, H] = [8, 6];
let root = '';
const pixelsOf = (i: number) => Uint8Array.from({ length: W * H * 3 }, (_, k) => (k * (13 + i) + i * 29 + (k % 3) * 60) % 256);
const name = (i: number) => `img-${String(i).padStart(2, '0')}.png`;

/** Writes `count` PNGs into a new folder; returns it. */
async function imageFolder(label: string, count: number): Promise<string> {
  const folder = join(root, label);
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i++) await writeFile(join(folder, name(i)), encodePng(pixelsOf(i), W, H, 3));
  return folder;
}

/** Float64 per-channel mean and std of images 0..count-1, from a plain loop (the reference). */
function reference(count: number): { mean: number[]; std: number[] } {
  const all: number[] = [];
  for (let i = 0; i < count; i++) all.push(...pixelsOf(i));
  const perChannel = [0, 1, 2].map((c) => channelStats(all, 3, c));
  return { mean: perChannel.map((s) => s.mean), std: perChannel.map((s) => s.std) };
}

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));
const temporaryFiles = async (folder: string) => (await readdir(folder, { recursive: true })).filter((f) => f.endsWith('.tmp'));

function expectStats(stats: PixelStats, count: number): void {
  const ref = reference(count);
  expect(stats.images).toBe(count);
  for (let c = 0; c < 3; c++) {
    expect(Math.abs(stats.mean[c] - ref.mean[c])).toBeLessThanOrEqual(1e-12 * ref.mean[c]);
    expect(Math.abs(stats.std[c] - ref.std[c])).toBeLessThanOrEqual(1e-12 * ref.std[c]);
  }
}

const SLOW_FILE_HOOK = fileURLToPath(new URL('../helpers/slow_file_hook.mjs', import.meta.url));

/**
 * Starts the command and resolves when it ends, with its exit code or the signal that ended it.
 * With `slowFile`, opening that file waits until `<slowFile>.release` exists (a slow disk, see slow_file_hook.mjs).
 */
function startCli(args: readonly string[], slowFile?: string) {
  let stderr = '';
  const env = { ...process.env, PIXELPREP_TEST_SLOW_FILE: slowFile ?? '' };
  const child = execFile(process.execPath, ['--import', SLOW_FILE_HOOK, MAIN, ...args], { timeout: 60_000, env });
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, done, stderr: () => stderr };
}

/** Polls `check` every 20 ms until it holds (or 30 s pass). */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 30_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  requireBuild();
  root = await mkdtemp(join(tmpdir(), 'pixelprep-failure-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a fit stopped by a signal', () => {
  // A file that is slow to open (a network disk, see slow_file_hook.mjs) holds
  // the fit until the test releases it, so the signal lands mid-fit, at a known file.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} after 20 of 40 files: previous stats intact, a checkpoint that resumes to the exact statistics`, async () => {
      const folder = await imageFolder(`signal-${signal}`, 40);
      const slow = join(folder, 'img-19z.png');
      await writeFile(slow, encodePng(pixelsOf(40), W, H, 3));
      const output = join(root, `${signal}.json`);
      const checkpoint = join(root, `${signal}.ckpt.json`);
      await saveStats(output, await fitStats([{ data: pixelsOf(99), shape: [H, W, 3] }]));
      const previous = await readFile(output);

      // Sorted after img-19: the 21st of 41 files.
      const fit = startCli(['fit', folder, '-o', output, '--checkpoint', checkpoint, '--checkpoint-every', '1'], slow);
      await until('the checkpoint of 20 files', async () => (await readJson(checkpoint)).files.done === 20);
      fit.child.kill(signal);
      await until('the interrupted fit to report', async () => /was aborted/.test(fit.stderr()));
      // Release the blocked read so the process can exit.
      await writeFile(`${slow}.release`, '');
      const result = await fit.done;

      expect(result.code, result.stderr).toBe(1);
      const what = signal === 'SIGINT' ? 'interrupted' : 'terminated \\(SIGTERM\\)';
      expect(result.stderr).toMatch(new RegExp(`^pixelprep: fitFiles after 20 of 41 files .* was aborted: ${what}; run the same command again to resume from ${checkpoint}$`, 'm'));
      expect(Buffer.compare(await readFile(output), previous)).toBe(0);
      const saved = await readJson(checkpoint);
      expect(saved.files).toMatchObject({ total: 41, done: 20, last: join(folder, name(19)) });
      expect(saved.state.images).toBe(20);
      expect(await temporaryFiles(root)).toEqual([]);

      // Resume without the pipe. The counted files are not read again: spoil them to prove it.
      await rm(slow);
      await rm(`${slow}.release`);
      for (let i = 0; i < 20; i++) await writeFile(join(folder, name(i)), 'spoiled after counting');
      const resumed = await runCli(['fit', folder, '-o', output, '--checkpoint', checkpoint, '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expectStats(JSON.parse(resumed.stdout).stats, 40);
    });
  }

  it('a second signal exits at once, leaving the checkpoint and the previous stats file', async () => {
    const folder = await imageFolder('double', 12);
    const slow = join(folder, 'img-05z.png');
    await writeFile(slow, encodePng(pixelsOf(40), W, H, 3));
    const output = join(root, 'double.json');
    const checkpoint = join(root, 'double.ckpt.json');
    await writeFile(output, 'previous contents\n');
    const fit = startCli(['fit', folder, '-o', output, '--checkpoint', checkpoint, '--checkpoint-every', '1'], slow);
    await until('the checkpoint of 6 files', async () => (await readJson(checkpoint)).files.done === 6);
    fit.child.kill('SIGINT');
    await until('the interrupted fit to report', async () => /was aborted/.test(fit.stderr()));
    // Stuck on the unreadable file: the second Ctrl-C ends the process without waiting.
    fit.child.kill('SIGINT');
    const result = await fit.done;
    expect(result.code === 130 || result.signal === 'SIGINT', `code ${result.code}, signal ${result.signal}`).toBe(true);
    expect(await readFile(output, 'utf8')).toBe('previous contents\n');
    expect((await readJson(checkpoint)).files.done).toBe(6);
    await rm(slow);
  });
});

describe('a fit stopped by a bad file in the middle of a folder', () => {
  it('exits 1 naming it, keeps the previous stats file, and resumes once it is fixed', async () => {
    const folder = await imageFolder('bad-middle', 30);
    await writeFile(join(folder, name(15)), (await readFile(join(folder, name(15)))).subarray(0, 50));
    const output = join(root, 'bad-middle.json');
    const checkpoint = join(root, 'bad-middle.ckpt.json');
    await saveStats(output, await fitStats([{ data: pixelsOf(98), shape: [H, W, 3] }]));
    const previous = await readFile(output);

    const failed = await runCli(['fit', folder, '-o', output, '--checkpoint', checkpoint]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`^pixelprep: Expected a valid image in ${join(folder, name(15))} but decoding failed`));
    expect(Buffer.compare(await readFile(output), previous)).toBe(0);
    expect((await readJson(checkpoint)).files).toMatchObject({ total: 30, done: 15, last: join(folder, name(14)) });
    expect(await temporaryFiles(root)).toEqual([]);

    await writeFile(join(folder, name(15)), encodePng(pixelsOf(15), W, H, 3));
    for (let i = 0; i < 15; i++) await writeFile(join(folder, name(i)), 'spoiled after counting');
    const resumed = await runCli(['fit', folder, '-o', output, '--checkpoint', checkpoint, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expectStats(await readJson(output).then((json) => ({ ...json })), 30);
  });

  it('without --checkpoint, says how to make the fit resumable', async () => {
    const folder = await imageFolder('no-checkpoint', 6);
    const slow = join(folder, 'img-02z.png');
    await writeFile(slow, encodePng(pixelsOf(40), W, H, 3));
    const output = join(root, 'no-checkpoint.json');
    const fit = startCli(['fit', folder, '-o', output, '--progress'], slow);
    // The progress bar starts with the first file counted.
    await until('the fit to start counting', async () => /fit \[/.test(fit.stderr()));
    fit.child.kill('SIGTERM');
    await until('the interrupted fit to report', async () => /was aborted/.test(fit.stderr()));
    await writeFile(`${slow}.release`, '');
    const result = await fit.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/terminated \(SIGTERM\); .*no-checkpoint\.json was not written \(pass --checkpoint FILE to make a fit resumable\)/);
    expect(await readdir(root)).not.toContain('no-checkpoint.json');
    await rm(slow);
  });
});

describe('apply carries on past failing files', () => {
  async function mixedFolder(label: string): Promise<{ folder: string; good: number[]; bad: string[] }> {
    const folder = await imageFolder(label, 6);
    await writeFile(join(folder, name(1)), (await readFile(join(folder, name(1)))).subarray(0, 60));
    await writeFile(join(folder, name(4)), 'not an image');
    return { folder, good: [0, 2, 3, 5], bad: [name(1), name(4)] };
  }

  it('to a folder: every good file written and exact, none for the failures, each failure named, exit 1', async () => {
    const { folder, good, bad } = await mixedFolder('apply-dir');
    const out = join(root, 'apply-dir-out');
    const result = await runCli(['apply', folder, '--method', 'normalize', '-o', out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^wrote 4 .npy files under /);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^pixelprep: Expected a valid image in ${join(folder, bad[0])} but decoding failed`));
    expect(lines[1]).toMatch(new RegExp(`^pixelprep: Expected an image .* in ${join(folder, bad[1])} but its content is not a supported image format`));
    expect(lines[2]).toBe(`pixelprep: Expected every input to be scaled but 2 of 6 failed (listed above); 4 .npy files written under ${out}, none for the failed inputs`);
    expect((await readdir(out)).sort()).toEqual(good.map((i) => name(i).replace('.png', '.npy')));
    for (const i of good) {
      const array = await readNpy(join(out, name(i).replace('.png', '.npy')));
      expect(array.shape).toEqual([H, W, 3]);
      pixelsOf(i).forEach((v, k) => expect(Math.abs(array.data[k] - v / 255)).toBeLessThanOrEqual(2 ** -24));
    }
  });

  it('with --json and scope batch: statistics over the good files only, and the failures listed with their codes', async () => {
    const { folder, good, bad } = await mixedFolder('apply-json');
    const out = join(root, 'apply-json-out');
    const result = await runCli(['apply', folder, '--method', 'standardize', '--scope', 'batch', '--per', 'global', '-o', out, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.failed.map((f: { path: string; code: string }) => [f.path, f.code])).toEqual([
      [join(folder, bad[0]), 'E_FORMAT'],
      [join(folder, bad[1]), 'E_FORMAT'],
    ]);
    expect(report.files.map((f: { path: string }) => f.path)).toEqual(good.map((i) => join(folder, name(i))));
    const values = good.flatMap((i) => Array.from(pixelsOf(i)));
    // The report gives the fitted statistics per channel; --per global scales with them pooled.
    expect(report.stats.images).toBe(4);
    [0, 1, 2].forEach((c) => expect(Math.abs(report.stats.mean[c] - channelStats(values, 3, c).mean)).toBeLessThanOrEqual(1e-12 * report.stats.mean[c]));
    const { mean, std } = channelStats(values, 1, 0);
    const first = await readNpy(join(out, name(good[0]).replace('.png', '.npy')));
    pixelsOf(good[0]).forEach((v, k) => expect(Math.abs(first.data[k] - (v - mean) / std)).toBeLessThanOrEqual(1e-6));
  });

  it('to one .npy: nothing written, the previous file kept byte for byte', async () => {
    const { folder } = await mixedFolder('apply-npy');
    const out = join(root, 'stacked.npy');
    await writeNpy(out, { data: new Float32Array([1, 2, 3]), shape: [3] });
    const previous = await readFile(out);
    const result = await runCli(['apply', folder, '--method', 'normalize', '-o', out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n').at(-1)).toBe(`pixelprep: Expected every input to be scaled but 2 of 6 failed (listed above); ${out} was not written`);
    expect(Buffer.compare(await readFile(out), previous)).toBe(0);
    expect(await temporaryFiles(root)).toEqual([]);
  });
});

/** A 256 KiB tmpfs to fill up, or why there cannot be one here (mounting needs root or CAP_SYS_ADMIN). */
async function mountTinyDisk(): Promise<{ path: string } | { reason: string }> {
  const path = await mkdtemp(join(tmpdir(), 'pixelprep-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', path], { stdio: 'pipe' });
    return { path };
  } catch (error) {
    await rm(path, { recursive: true, force: true });
    return { reason: `cannot mount a tmpfs to fill up: ${String((error as { stderr?: unknown }).stderr ?? error).trim()}` };
  }
}

/** Writes a filler file that leaves `free` bytes (rounded to the block size) on the disk at `path`. */
async function fillDisk(path: string, free: number): Promise<void> {
  await rm(join(path, 'filler'), { force: true });
  const { bavail, bsize } = await statfs(path);
  const size = Math.max(0, bavail * bsize - free);
  await writeFile(join(path, 'filler'), new Uint8Array(size));
}

const disk = await mountTinyDisk();

describe('a full disk', () => {
  if ('reason' in disk) {
    it.skip(`skipped: ${disk.reason}`, () => undefined);
    return;
  }
  const tiny = disk.path;
  afterAll(async () => {
    execFileSync('umount', [tiny]);
    await rm(tiny, { recursive: true, force: true });
  });
  beforeAll(async () => {
    for (const entry of await readdir(tiny)) await rm(join(tiny, entry), { recursive: true, force: true });
  });

  it('saveStats: E_IO naming ENOSPC, the previous stats file intact, no temporary file', async () => {
    const path = join(tiny, 'stats.json');
    const before = await fitStats([{ data: pixelsOf(1), shape: [H, W, 3] }]);
    await saveStats(path, before);
    const previous = await readFile(path);
    await fillDisk(tiny, 0);
    const error = expectBadInput(await caught(async () => saveStats(path, await fitStats([{ data: pixelsOf(2), shape: [H, W, 3] }]))), 'E_IO', /write .*stats\.json but could not: ENOSPC/);
    expect(error.message).toContain(path);
    expect(Buffer.compare(await readFile(path), previous)).toBe(0);
    expect(await temporaryFiles(tiny)).toEqual([]);
    await rm(join(tiny, 'filler'));
  });

  it('writeNpy of more than the disk holds: E_IO, no file, no temporary file', async () => {
    const path = join(tiny, 'big.npy');
    const error = await caught(() => writeNpy(path, { data: new Float32Array(100_000), shape: [100_000] }));
    expectBadInput(error, 'E_IO', /big\.npy but could not: ENOSPC/);
    expect((await readdir(tiny)).filter((f) => f !== 'stats.json')).toEqual([]);
  });

  it('pixelprep apply into a nearly full disk: the files that fit are written whole, the others fail with ENOSPC, exit 1', async () => {
    const folder = join(root, 'big-images');
    await mkdir(folder);
    // 64×64×3 float32 = 48 KiB per output.
    const side = 64;
    for (let i = 0; i < 3; i++) await writeFile(join(folder, name(i)), encodePng(Uint8Array.from({ length: side * side * 3 }, (_, k) => (k + i) % 256), side, side, 3));
    const out = join(tiny, 'scaled');
    await mkdir(out);
    await fillDisk(tiny, 80 * 1024);
    const result = await runCli(['apply', folder, '--method', 'normalize', '-o', out]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines.slice(0, -1)).toEqual([1, 2].map((i) => expect.stringMatching(new RegExp(`^pixelprep: .*${name(i).replace('.png', '.npy')} but could not: ENOSPC`))));
    expect(lines.at(-1)).toMatch(/2 of 3 failed .* 1 .npy file written under/);
    expect(await readdir(out)).toEqual([name(0).replace('.png', '.npy')]);
    const array = await readNpy(join(out, name(0).replace('.png', '.npy')));
    expect(array.data.length).toBe(side * side * 3);
    array.data.forEach((v, k) => expect(Math.abs(v - (k % 256) / 255)).toBeLessThanOrEqual(2 ** -24));
    expect(await temporaryFiles(tiny)).toEqual([]);
    await rm(join(tiny, 'filler'));
  });

  it('pixelprep fit onto a full disk: exit 1, the previous stats file intact', async () => {
    const folder = await imageFolder('fit-full', 3);
    const output = join(tiny, 'stats.json');
    const previous = await readFile(output);
    await fillDisk(tiny, 0);
    const result = await runCli(['fit', folder, '-o', output]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^pixelprep: Expected to write .*stats\.json but could not: ENOSPC/);
    expect(Buffer.compare(await readFile(output), previous)).toBe(0);
    expect(await temporaryFiles(tiny)).toEqual([]);
    await rm(join(tiny, 'filler'));
  });
});
