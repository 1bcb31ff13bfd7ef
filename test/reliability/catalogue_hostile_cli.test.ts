/**
 * Hostile paths given to the `pixelprep` command: outputs that are devices,
 * FIFOs, folders, symbolic links or the inputs under another name; inputs
 * that never end; output bombs; overflowing scales; the same shard merged
 * twice; stdout closed early or full. Each ends with its exit code and one
 * line on stderr, leaves what it pointed at as it was, and leaves no
 * temporary file.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { copyFile, link, lstat, mkdir, mkdtemp, open, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN, ROOT, requireBuild, runCli } from '../cli/run_cli.js';
import { encodePng } from '../helpers/png_writer.js';

let root = '';
const at = (name: string) => join(root, name);
const png = (seed: number, w = 4, h = 3) => encodePng(Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37 + seed * 11) % 256), w, h, 3);
let device = false;

beforeAll(async () => {
  requireBuild();
  root = await mkdtemp(join(tmpdir(), 'pixelprep-hostile-cli-'));
  await mkdir(at('images'));
  for (let i = 0; i < 3; i++) await writeFile(at(`images/img-${i}.png`), png(i));
  await mkdir(at('wide'));
  await writeFile(at('wide/w.png'), encodePng(Uint16Array.from({ length: 36 }, (_, i) => i * 1800), 4, 3, 3));
  await writeFile(at('wide/n.png'), png(9));
  execFileSync('mkfifo', [at('fifo.json')]);
  execFileSync('mkfifo', [at('fifo.png')]);
  try {
    execFileSync('mknod', [at('null-device'), 'c', '1', '3'], { stdio: 'pipe' });
    device = true;
  } catch {
    device = false;
  }
  await symlink(at('images/img-0.png'), at('link-to-input.json'));
  await symlink('/dev/zero', at('zero.png'));
  await symlink(at('loop-b.png'), at('loop-a.png'));
  await symlink(at('loop-a.png'), at('loop-b.png'));
  await mkdir(at('folder.json'));
  await link(at('images/img-1.png'), at('hardlink.json'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function identity(path: string): Promise<string> {
  const info = await lstat(path);
  return `${info.isSymbolicLink() ? `link->${await readlink(path)}` : info.mode}:${info.ino}:${info.size}:${info.mtimeMs}`;
}
const temporaryFiles = async () => (await readdir(root, { recursive: true })).filter((f) => String(f).endsWith('.tmp') || String(f).includes('pixelprep-probe'));

interface HostileCase {
  name: string;
  args: () => string[];
  exit: number;
  stderr: RegExp;
  /** Paths that must be left exactly as they were. */
  untouched?: () => string[];
  needsDevice?: boolean;
}

const cases: HostileCase[] = [
  { name: 'fit -o a character device', args: () => ['fit', at('images'), '-o', at('null-device')], exit: 1, stderr: /-o .*null-device to be a regular file or a new path but it is a character device/, untouched: () => [at('null-device')], needsDevice: true },
  { name: 'fit -o a named pipe', args: () => ['fit', at('images'), '-o', at('fifo.json')], exit: 1, stderr: /is a named pipe \(FIFO\)/, untouched: () => [at('fifo.json')] },
  { name: 'fit -o a folder', args: () => ['fit', at('images'), '-o', at('folder.json')], exit: 1, stderr: /folder\.json is a folder/, untouched: () => [at('folder.json')] },
  { name: 'fit -o a symbolic link to an input', args: () => ['fit', at('images'), '-o', at('link-to-input.json')], exit: 1, stderr: /is a symbolic link/, untouched: () => [at('link-to-input.json'), at('images/img-0.png')] },
  { name: 'fit -o a hard link to an input', args: () => ['fit', at('images'), '-o', at('hardlink.json')], exit: 1, stderr: /hardlink\.json to be a file other than the inputs but it is the input .*img-1\.png/, untouched: () => [at('images/img-1.png')] },
  { name: 'fit -o the input itself under another spelling', args: () => ['fit', 'images/img-2.png', '-o', './images/../images/img-2.png'], exit: 1, stderr: /other than the inputs/, untouched: () => [at('images/img-2.png')] },
  { name: 'fit --checkpoint equal to -o', args: () => ['fit', at('images'), '-o', at('s.json'), '--checkpoint', `${root}/./s.json`], exit: 2, stderr: /--checkpoint to be another file than -o/ },
  { name: 'fit --checkpoint a named pipe', args: () => ['fit', at('images'), '-o', at('s.json'), '--checkpoint', at('fifo.json')], exit: 1, stderr: /--checkpoint .*named pipe/, untouched: () => [at('fifo.json')] },
  { name: 'merge -o one of its inputs', args: () => ['merge', at('part.json'), '-o', at('part.json')], exit: 1, stderr: /other than the inputs/ },
  { name: 'apply -o a .npy that is a hard link to an input', args: () => ['apply', at('images/img-1.png'), '--method', 'normalize', '-o', at('hardlink.npy')], exit: 1, stderr: /other than the inputs/, untouched: () => [at('images/img-1.png')] },
  { name: 'stats of a named pipe named x.png', args: () => ['stats', at('fifo.png')], exit: 1, stderr: /fifo\.png to be a regular file but it is a named pipe/, untouched: () => [at('fifo.png')] },
  { name: 'stats of a link to /dev/zero', args: () => ['stats', at('zero.png')], exit: 1, stderr: /zero\.png to be a regular file but it is a character device/ },
  { name: 'stats of a loop of symbolic links', args: () => ['stats', at('loop-a.png')], exit: 1, stderr: /ELOOP|loop of symbolic links/ },
  { name: 'apply --stats a named pipe', args: () => ['apply', at('images'), '--method', 'standardize', '--stats', at('fifo.json'), '-o', at('out-dir')], exit: 1, stderr: /fifo\.json to be a regular file but it is a named pipe/ },
  { name: 'stats --resize past the output budget', args: () => ['stats', at('images'), '--resize', '60000x60000'], exit: 2, stderr: /at most 268402689 pixels \(limitOutputPixels\) but received 60000×60000/ },
  { name: 'apply --scale 3e38 (overflows float32)', args: () => ['apply', at('images'), '--method', 'rescale', '--scale', '3e38', '-o', at('big.npy')], exit: 1, stderr: /float32 range/ },
  { name: 'apply --scale 3e38 into a folder', args: () => ['apply', at('images'), '--method', 'rescale', '--scale', '3e38', '-o', at('big-dir')], exit: 1, stderr: /float32 range/ },
  { name: 'fit of 8-bit and 16-bit files together', args: () => ['fit', at('wide'), '--depth', 'auto', '-o', at('mixed.json')], exit: 1, stderr: /8-bit pixels .*16-bit uint16.*--mixed-depths|16-bit pixels .*8-bit uint8.*--mixed-depths/ },
  { name: 'merge of a shard with itself under two names', args: () => ['merge', at('part.json'), at('part-copy.json'), '-o', at('merged.json')], exit: 1, stderr: /part 0 and part 1 both hold the data of digest/ },
];

describe('hostile paths given to the CLI', () => {
  beforeAll(async () => {
    const fitted = await runCli(['fit', at('images/img-0.png'), '-o', at('part.json')]);
    expect(fitted.code, fitted.stderr).toBe(0);
    await copyFile(at('part.json'), at('part-copy.json'));
    await link(at('images/img-1.png'), at('hardlink.npy'));
  });
  for (const c of cases) {
    it(`${c.name} → exit ${c.exit}`, async (context) => {
      if (c.needsDevice && !device) return context.skip('mknod needs root');
      const before = await Promise.all((c.untouched?.() ?? []).map(identity));
      const result = await runCli(c.args(), { cwd: root, timeout: 20_000 });
      expect(result.code, result.stderr).toBe(c.exit);
      expect(result.stderr).toMatch(c.stderr);
      expect(result.stderr).toMatch(/^pixelprep: /);
      expect(result.stderr).not.toMatch(/\n\s+at |unexpected error/);
      expect(await Promise.all((c.untouched?.() ?? []).map(identity))).toEqual(before);
      expect(await temporaryFiles()).toEqual([]);
      expect((await readdir(root)).filter((f) => /^(big\.npy|mixed\.json|merged\.json|s\.json)$/.test(f))).toEqual([]);
    });
  }
  it('fit --mixed-depths pools 8-bit and 16-bit files and records it', async () => {
    const result = await runCli(['fit', at('wide'), '--depth', 'auto', '--mixed-depths', '-o', at('pooled.json'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).stats.source.bitDepth).toBe('mixed');
  });
});

describe('stdout that goes away or fills up', () => {
  it('stats | head -1: ends quietly with exit 141 when the reader closes the pipe', async () => {
    // Enough output that the reader is gone before it is all written.
    await mkdir(at('many'), { recursive: true });
    for (let i = 0; i < 400; i++) await copyFile(at(`images/img-${i % 3}.png`), at(`many/m-${i}.png`));
    const child = spawn(process.execPath, [MAIN, 'stats', at('many')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(141);
    expect(stderr).toBe('');
  });
  it('stats > /dev/full: one line on stderr, exit 1', async () => {
    const full = await open('/dev/full', 'w').catch(() => null);
    if (!full) return;
    const child = spawn(process.execPath, [MAIN, 'stats', at('images')], { cwd: ROOT, stdio: ['ignore', full.fd, 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await full.close();
    expect(code).toBe(1);
    expect(stderr).toMatch(/^pixelprep: Expected to write the results to stdout but could not: .*ENOSPC/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('temporary files on signals', () => {
  it('a SIGTERM with no work running exits 143 and removes the temporary files of writes in flight', async () => {
    const temp = at('.in-flight.tmp');
    const script = `
      import { writeFileSync } from 'node:fs';
      import { trackTemporary } from './dist/node/temporary_files.js';
      import { installSignalHandlers } from './dist/cli/interrupt.js';
      installSignalHandlers();
      writeFileSync(${JSON.stringify(temp)}, 'half of a file');
      trackTemporary(${JSON.stringify(temp)});
      process.kill(process.pid, 'SIGTERM');
      setTimeout(() => undefined, 10_000);`;
    const code = await new Promise<number | null>((resolve) => execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, timeout: 30_000 }, (error) => resolve(error ? Number(error.code) : 0)));
    expect(code).toBe(143);
    expect(await readdir(root)).not.toContain('.in-flight.tmp');
  });
});

describe('listBackends leaves the default backend alone', () => {
  it("a user's next tf.tensor() after listBackends() runs on the backend tfjs would have picked", async () => {
    const script = `
      import * as tf from '@tensorflow/tfjs-core';
      import { listBackends } from './dist/backends/select.js';
      await listBackends();
      const t = tf.tensor([1, 2]);
      process.stdout.write(JSON.stringify({ backend: tf.getBackend(), values: Array.from(t.dataSync()) }));`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout))),
    );
    expect(JSON.parse(out.slice(out.indexOf('{')))).toEqual({ backend: 'cpu', values: [1, 2] });
  });
});
