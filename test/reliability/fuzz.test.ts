/**
 * A time-bounded fuzz pass (fast-check) over the CLI and the API with random
 * files, paths and flags, hostile ones included. Every outcome must be a
 * success whose output is finite, or a coded error with the right exit code:
 * never a crash, a stack trace, a NaN or Infinity written, a replaced special
 * file, or a temporary file left behind. It prints how many cases ran and how
 * long they took. PIXELPREP_FUZZ_SECONDS sets the CLI budget (default 18 s);
 * the API pass gets half of it.
 */
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, isPixelprepError, scaleInto, METHODS, type ScalerOptions } from '../../src/index.js';
import { loadStats, readNpy, writeNpy } from '../../src/node/index.js';
import { requireBuild, runCli } from '../cli/run_cli.js';
import { encodePng } from '../helpers/png_writer.js';
import { encodeTiff } from '../helpers/tiff_writer.js';

const SECONDS = Number(process.env.PIXELPREP_FUZZ_SECONDS ?? 18);
let root = '';
const at = (name: string) => join(root, name);
const png = (seed: number, w: number, h: number, c: 1 | 3 = 3) => encodePng(Uint8Array.from({ length: w * h * c }, (_, i) => (i * 37 + seed * 11) % 256), w, h, c);

/** Special files whose identity must survive every case. */
const SPECIAL = ['fifo.png', 'fifo.json', 'zero.png', 'loop.png', 'dir.png', 'link-to-input.json'];

beforeAll(async () => {
  requireBuild();
  root = await mkdtemp(join(tmpdir(), 'pixelprep-fuzz-'));
  await mkdir(at('images'));
  await writeFile(at('images/a.png'), png(1, 5, 4));
  await writeFile(at('images/b.png'), png(2, 5, 4));
  await writeFile(at('grey.png'), png(3, 3, 3, 1));
  await writeFile(at('wide.png'), encodePng(Uint16Array.from({ length: 27 }, (_, i) => i * 2400), 3, 3, 3));
  await writeFile(at('float.tif'), encodeTiff(new Float32Array([0.5, -3e38, 3e38, 1e-45, 0, 1]), 3, 2, 1));
  await writeFile(at('truncated.png'), png(4, 5, 4).subarray(0, 40));
  await writeFile(at('text.png'), 'not an image');
  await writeFile(at('sparse.png'), '');
  await truncate(at('sparse.png'), 3 * 1024 ** 3);
  execFileSync('mkfifo', [at('fifo.png')]);
  execFileSync('mkfifo', [at('fifo.json')]);
  await symlink('/dev/zero', at('zero.png'));
  await symlink(at('loop.png'), at('loop.png')).catch(() => undefined);
  await mkdir(at('dir.png'));
  await symlink(at('images/a.png'), at('link-to-input.json'));
  const fitted = await runCli(['fit', at('images'), '-o', at('stats.json')]);
  expect(fitted.code, fitted.stderr).toBe(0);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function identity(name: string): Promise<string> {
  const info = await lstat(at(name));
  return `${info.isSymbolicLink() ? await readlink(at(name)) : info.mode}:${info.ino}`;
}

const INPUTS = ['images', 'images/a.png', 'grey.png', 'wide.png', 'float.tif', 'truncated.png', 'text.png', 'sparse.png', 'fifo.png', 'zero.png', 'loop.png', 'dir.png', 'missing.png'];
const SCALARS = ['1', '0.5', '3e38', '-3e38', '1e-45', '1e309', 'NaN', '-0', 'x', '1,2,3'];
const flag = (name: string, values: readonly string[]) => fc.option(fc.constantFrom(...values).map((v) => [name, v]), { nil: undefined });

const commandArb = fc.record({
  command: fc.constantFrom('stats', 'fit', 'apply', 'merge'),
  inputs: fc.uniqueArray(fc.constantFrom(...INPUTS), { minLength: 1, maxLength: 3 }),
  output: fc.constantFrom('new', 'new.npy', 'new-dir', 'fifo.json', 'zero.png', 'dir.png', 'link-to-input.json', 'images/a.png', 'missing/x.json', 'stats.json'),
  flags: fc.tuple(
    flag('--method', [...METHODS, 'bogus']),
    flag('--resize', ['1x1', '7x5', '60000x60000', '0x3', 'big']),
    flag('--scale', SCALARS),
    flag('--offset', SCALARS),
    flag('--channels', ['1', '3', '4', '7']),
    flag('--depth', ['uint8', 'auto', 'deep']),
    flag('--per', ['channel', 'global']),
    flag('--checkpoint', ['new.ckpt.json', 'fifo.json', 'dir.png']),
  ),
  json: fc.boolean(),
  mixed: fc.boolean(),
});

describe('fuzz', () => {
  it(`the CLI: random commands, files, paths and flags (about ${SECONDS} s)`, async () => {
    const before = await Promise.all(SPECIAL.map(identity));
    let runs = 0;
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(commandArb, async (c) => {
        runs++;
        const out = await mkdtemp(join(root, 'case-'));
        const output = c.output.startsWith('new') || c.output.startsWith('missing') ? join(out, c.output) : at(c.output);
        const args: string[] = [c.command];
        if (c.command === 'merge') args.push(at('stats.json'), ...(c.inputs.includes('fifo.png') ? [at('fifo.json')] : []));
        else args.push(...c.inputs.map(at));
        if (c.command !== 'stats') args.push('-o', c.command === 'apply' && c.output === 'new' ? `${output}.npy` : output);
        for (const f of c.flags) if (f && (c.command !== 'merge' || f[0] === '--method')) args.push(f[0], f[1].startsWith('new') ? join(out, f[1]) : SPECIAL.includes(f[1]) ? at(f[1]) : f[1]);
        if (c.json) args.push('--json');
        if (c.mixed && c.command === 'fit') args.push('--mixed-depths');
        const result = await runCli(args, { cwd: root, timeout: 30_000 });
        const context = `pixelprep ${args.join(' ')}\nexit ${result.code}\n${result.stderr}`;
        expect([0, 1, 2], context).toContain(result.code);
        expect(result.stderr, context).not.toMatch(/\n\s+at |unexpected error|Segmentation|double free|Aborted/);
        if (result.code !== 0) expect(result.stderr, context).toMatch(/^pixelprep: /m);
        // Whatever was written is finite.
        for (const name of await readdir(out, { recursive: true })) {
          const path = join(out, String(name));
          if (String(name).endsWith('.npy')) expect((await readNpy(path)).data.every(Number.isFinite), context).toBe(true);
          if (String(name).endsWith('.json') && !String(name).includes('ckpt')) await expect(loadStats(path), context).resolves.toBeTruthy();
          expect(String(name), context).not.toMatch(/\.tmp$|pixelprep-probe/);
        }
        expect(result.stdout, context).not.toMatch(/\bNaN\b|Infinity/);
      }),
      { numRuns: 100_000, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false, seed: Number(process.env.PIXELPREP_FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`fuzz CLI: ${runs} command lines in ${seconds.toFixed(1)} s`);
    expect(runs).toBeGreaterThan(5);
    expect(await Promise.all(SPECIAL.map(identity))).toEqual(before);
    expect((await readdir(root, { recursive: true })).filter((f) => /\.tmp$|pixelprep-probe/.test(String(f)))).toEqual([]);
  }, (SECONDS + 60) * 1000);

  it(`the API: scaleInto and writeNpy on values at the float32 and float64 limits (about ${SECONDS / 2} s)`, async () => {
    const edge = fc.constantFrom(0, -0, 1, 255, 3.4e38, -3.4e38, 3.4028234663852886e38, 1e-45, -1e-45, 1e-300, 1e308, -1e308, NaN, Infinity, -Infinity);
    const value = fc.oneof(edge, fc.double({ noNaN: false }), fc.float());
    const optionsArb: fc.Arbitrary<ScalerOptions> = fc.oneof(
      fc.record({ method: fc.constant('rescale' as const), scale: value, offset: value }),
      fc.record({ method: fc.constantFrom(...METHODS.filter((m) => m !== 'rescale')), epsilon: fc.option(fc.oneof(edge, fc.double({ min: 0 })), { nil: undefined }) }),
      fc.record({ method: fc.constant('normalize' as const), range: fc.tuple(value, value), target: fc.tuple(value, value) }),
    ) as fc.Arbitrary<ScalerOptions>;
    const dataArb = fc.oneof(
      fc.array(value, { minLength: 3, maxLength: 24 }).map((v) => Float32Array.from(v.slice(0, v.length - (v.length % 3)))),
      fc.array(value, { minLength: 3, maxLength: 24 }).map((v) => Float64Array.from(v.slice(0, v.length - (v.length % 3)))),
      fc.uint8Array({ minLength: 3, maxLength: 24 }).map((v) => v.slice(0, v.length - (v.length % 3))),
    );
    let runs = 0;
    let finite = 0;
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(dataArb, optionsArb, async (data, options) => {
        runs++;
        const input = { data, shape: [1, data.length / 3, 3] };
        const out = new Float32Array(data.length);
        try {
          scaleInto(input, out, options);
        } catch (error) {
          expect(isPixelprepError(error), String(error)).toBe(true);
          expect(ERROR_CODES).toContain((error as { code: string }).code);
          return;
        }
        expect(Array.from(out).every(Number.isFinite), `${JSON.stringify(options)} ${Array.from(data)} → ${Array.from(out)}`).toBe(true);
        finite++;
        const path = at(`api-${runs % 4}.npy`);
        await writeNpy(path, { data: out, shape: input.shape });
        expect(Array.from((await readNpy(path)).data)).toEqual(Array.from(out));
      }),
      { numRuns: 1_000_000, interruptAfterTimeLimit: (SECONDS / 2) * 1000, markInterruptAsFailure: false },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`fuzz API: ${runs} scaleInto calls (${finite} finite results, the rest coded errors) in ${seconds.toFixed(1)} s`);
    expect(runs).toBeGreaterThan(100);
    expect(finite).toBeGreaterThan(0);
    expect(await readFile(at('api-0.npy')).catch(() => null)).not.toBeNull();
  }, (SECONDS + 30) * 1000);
});
