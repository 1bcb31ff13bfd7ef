/**
 * Hostile paths and values given to the library, one table per class of
 * defect: outputs that are not plain new files, inputs that never end or are
 * not files, output bombs, non-finite results from finite input, aborts over
 * synchronous sources, aliased buffers, statistics that lie about their data,
 * decoders that remap. Each case gets its coded error and leaves what it
 * pointed at as it was (no replaced device, no temporary file).
 */
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, truncate, writeFile, link } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createScaler, fitStats, fitWhitening, isPixelprepError, mergeStats, scaleInto, type PixelStats } from '../../src/index.js';
import { checkFloat32Outputs, FLOAT32_MAX } from '../../src/core/float32_range.js';
import { guardPlanInto } from '../../src/core/apply_guard.js';
import { buffersOverlap } from '../../src/core/overlap.js';
import { AffinePlan } from '../../src/core/plan.js';
import { readHostPixels } from '../../src/core/input.js';
import { runPlanInto } from '../../src/kernels/index.js';
import { Whitening } from '../../src/whitening/whitening.js';
import {
  decodeImage,
  fileModelHandler,
  fitFiles,
  loadStats,
  loadWhitening,
  mergeShards,
  readNpy,
  saveImage,
  saveStats,
  saveWhitening,
  statsToJSON,
  writeNpy,
} from '../../src/node/index.js';
import { caught, expectBadInput } from './bad_input.js';
import { encodePng } from '../helpers/png_writer.js';
import { encodeTiff } from '../helpers/tiff_writer.js';

let root = '';
const at = (name: string) => join(root, name);
const png = (seed: number, w = 4, h = 3) => encodePng(Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37 + seed * 11) % 256), w, h, 3);
let socketServer: Server | null = null;
/** Which special files this machine lets the test create (mknod needs root). */
const made = { device: false, socket: false, readOnlyMount: false };

const tryRun = (command: string, args: string[]): boolean => {
  try {
    execFileSync(command, args, { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pixelprep-hostile-api-'));
  await writeFile(at('a.png'), png(1));
  await writeFile(at('b.png'), png(2));
  await writeFile(at('stats.json'), '{}');
  execFileSync('mkfifo', [at('fifo.png')]);
  execFileSync('mkfifo', [at('fifo.json')]);
  execFileSync('mkfifo', [at('out-fifo.npy')]);
  made.device = tryRun('mknod', [at('null-device'), 'c', '1', '3']);
  await symlink('/dev/zero', at('zero.png'));
  await symlink('/dev/urandom', at('urandom.png'));
  await symlink('/dev/zero', at('zero.json'));
  await symlink(at('loop-b.png'), at('loop-a.png'));
  await symlink(at('loop-a.png'), at('loop-b.png'));
  await symlink(at('a.png'), at('link-to-input.npy'));
  await symlink(at('nowhere.npy'), at('dangling.npy'));
  await mkdir(at('folder.png'));
  await mkdir(at('folder.npy'));
  await writeFile(at('sparse.png'), '');
  await truncate(at('sparse.png'), 2 * 1024 ** 3);
  await writeFile(at('sparse.json'), '');
  await truncate(at('sparse.json'), 300 * 1024 ** 2);
  await link(at('a.png'), at('hardlink-to-a.npy'));
  socketServer = await new Promise<Server | null>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(at('socket.npy'), () => resolve(server));
  });
  made.socket = socketServer !== null;
  await mkdir(at('read-only'));
  made.readOnlyMount = tryRun('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', at('read-only')]);
});

afterAll(async () => {
  socketServer?.close();
  if (made.readOnlyMount) tryRun('umount', [at('read-only')]);
  await rm(root, { recursive: true, force: true });
});

const stats: () => Promise<PixelStats> = () => fitStats([{ data: Uint8Array.from({ length: 12 }, (_, i) => i * 20), shape: [2, 2, 3] }]);
const npy = { data: new Float32Array([1, 2, 3]), shape: [3] };
const whitening = () => new Whitening({ kind: 'pca', epsilon: 0.1, layout: 'channels_last', spatialDims: 2, sampleShape: null, samples: 4, images: 1, mean: new Float64Array([0]), eigenvalues: new Float64Array([1]), components: new Float64Array([1]) });

/** What a path is now, to prove a refused write left it alone. */
async function identity(path: string): Promise<string> {
  const info = await lstat(path);
  const kind = info.isSymbolicLink() ? `link->${await readlink(path)}` : info.isFIFO() ? 'fifo' : info.isCharacterDevice() ? 'char' : info.isSocket() ? 'socket' : info.isDirectory() ? 'dir' : 'file';
  return `${kind}:${info.ino}:${info.size}`;
}
const temporaryFiles = async () => (await readdir(root, { recursive: true })).filter((f) => String(f).endsWith('.tmp'));

describe('outputs that are not plain new files are refused and left as they were', () => {
  const targets: { name: string; path: () => string; needs?: keyof typeof made; message: RegExp }[] = [
    { name: 'a character device', path: () => at('null-device'), needs: 'device', message: /is a character device/ },
    { name: 'a named pipe', path: () => at('out-fifo.npy'), message: /is a named pipe \(FIFO\)/ },
    { name: 'a socket', path: () => at('socket.npy'), needs: 'socket', message: /is a socket/ },
    { name: 'a folder', path: () => at('folder.npy'), message: /is a folder/ },
    { name: 'a symbolic link to an input', path: () => at('link-to-input.npy'), message: /is a symbolic link/ },
    { name: 'a dangling symbolic link', path: () => at('dangling.npy'), message: /is a symbolic link/ },
  ];
  const writers: { name: string; write: (path: string) => Promise<unknown> }[] = [
    { name: 'writeNpy', write: (path) => writeNpy(path, npy) },
    { name: 'saveStats', write: async (path) => saveStats(path, await stats()) },
    { name: 'saveWhitening', write: (path) => saveWhitening(path, whitening()) },
  ];
  for (const target of targets) {
    for (const writer of writers) {
      it(`${writer.name} onto ${target.name} → E_IO`, async (context) => {
        if (target.needs && !made[target.needs]) return context.skip(`cannot create ${target.name} here`);
        const before = await identity(target.path());
        expectBadInput(await caught(() => writer.write(target.path())), 'E_IO', target.message);
        expect(await identity(target.path())).toBe(before);
        expect(await temporaryFiles()).toEqual([]);
      });
    }
  }

  it('saveImage onto a named pipe, and a model saved where weights.bin is a folder → E_IO', async () => {
    execFileSync('mkfifo', [at('out-fifo.png')]);
    const image = { data: new Uint8Array(12), shape: [2, 2, 3] };
    expectBadInput(await caught(() => saveImage(at('out-fifo.png'), image)), 'E_IO', /named pipe/);
    await mkdir(at('model/weights.bin'), { recursive: true });
    const handler = fileModelHandler(at('model'));
    const artifacts = { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(4) };
    expectBadInput(await caught(() => handler.save!(artifacts)), 'E_IO', /weights\.bin .*is a folder/);
    expect(await temporaryFiles()).toEqual([]);
  });

  it('a write into a read-only file system → E_IO, nothing created', async (context) => {
    if (!made.readOnlyMount) return context.skip('cannot mount a read-only tmpfs here (needs root)');
    expectBadInput(await caught(() => writeNpy(at('read-only/x.npy'), npy)), 'E_IO', /read-only file system|EROFS/i);
    expect(await readdir(at('read-only'))).toEqual([]);
  });
});

describe('inputs that never end or are not files are refused at once', () => {
  const cases: { name: string; read: () => Promise<unknown>; code: 'E_IO' | 'E_FORMAT'; message: RegExp }[] = [
    { name: 'an image that is a named pipe', read: () => decodeImage(at('fifo.png')), code: 'E_IO', message: /fifo\.png to be a regular file but it is a named pipe/ },
    { name: 'an image linked to /dev/zero', read: () => decodeImage(at('zero.png')), code: 'E_IO', message: /zero\.png to be a regular file but it is a character device/ },
    { name: 'an image linked to /dev/urandom', read: () => decodeImage(at('urandom.png')), code: 'E_IO', message: /urandom\.png .*character device/ },
    { name: 'an image in a loop of symbolic links', read: () => decodeImage(at('loop-a.png')), code: 'E_IO', message: /loop of symbolic links/ },
    { name: 'a folder named x.png', read: () => decodeImage(at('folder.png')), code: 'E_IO', message: /is a folder/ },
    { name: 'a 2 GiB sparse image file', read: () => decodeImage(at('sparse.png')), code: 'E_FORMAT', message: /at most 1073741824 bytes .*2147483648 bytes/ },
    { name: 'an image over a lower maxInputBytes', read: () => decodeImage(at('a.png'), { maxInputBytes: 10 }), code: 'E_FORMAT', message: /at most 10 bytes/ },
    { name: 'a stats file that is a named pipe', read: () => loadStats(at('fifo.json')), code: 'E_IO', message: /named pipe/ },
    { name: 'a stats file linked to /dev/zero', read: () => loadStats(at('zero.json')), code: 'E_IO', message: /character device/ },
    { name: 'a 300 MiB sparse stats file', read: () => loadStats(at('sparse.json')), code: 'E_FORMAT', message: /at most 268435456 bytes/ },
    { name: 'a whitening file that is a named pipe', read: () => loadWhitening(at('fifo.json')), code: 'E_IO', message: /named pipe/ },
    { name: 'a .npy that is a named pipe', read: () => readNpy(at('fifo.png')), code: 'E_IO', message: /named pipe/ },
    { name: 'a .npy linked to /dev/zero', read: () => readNpy(at('zero.png')), code: 'E_IO', message: /character device/ },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.code}`, async () => {
      const started = Date.now();
      expectBadInput(await caught(c.read), c.code, c.message);
      expect(Date.now() - started).toBeLessThan(5000);
    });
  }
});

describe('output bombs are refused before decoding', () => {
  it('a resize past limitOutputPixels, or past the default 16383², is E_ARGUMENT', async () => {
    expectBadInput(await caught(() => decodeImage(at('a.png'), { resize: { width: 60000, height: 60000 } })), 'E_ARGUMENT', /at most 268402689 pixels \(limitOutputPixels\) but received 60000×60000/);
    expectBadInput(await caught(() => decodeImage(at('a.png'), { resize: { width: 100, height: 100 }, limitOutputPixels: 9999 })), 'E_ARGUMENT', /at most 9999 pixels/);
  });
  it('an image larger than limitOutputPixels without resize is E_FORMAT; within it decodes', async () => {
    expectBadInput(await caught(() => decodeImage(at('a.png'), { limitOutputPixels: 11 })), 'E_FORMAT', /at most 11 pixels \(limitOutputPixels\).*4×3/);
    expect((await decodeImage(at('a.png'), { limitOutputPixels: 12 })).shape).toEqual([3, 4, 3]);
  });
});

describe('finite input never gives a non-finite output', () => {
  const pixels = { data: Uint8Array.from({ length: 12 }, (_, i) => i * 20), shape: [2, 2, 3] };
  const cases: { name: string; run: () => unknown; message: RegExp }[] = [
    { name: 'rescale by 3e38 into a buffer', run: () => scaleInto(pixels, new Float32Array(12), { method: 'rescale', scale: 3e38 }), message: /x \* scale reaches .*scale\[0\] = 3e\+38.*inputs in \[0, 220\]/ },
    { name: 'rescale of channel 1 only by 3e38 (uint8, float32 and a tensor)', run: () => scaleInto(pixels, new Float32Array(12), { method: 'rescale', scale: [1, 3e38, 1] }), message: /for channel 1 \(scale\[1\] = 3e\+38/ },
    { name: 'rescale of channel 2 only by 3e38 of float32 data', run: () => scaleInto({ ...pixels, data: Float32Array.from(pixels.data) }, new Float32Array(12), { method: 'rescale', scale: [1, 1, 3e38] }), message: /for channel 2/ },
    { name: 'rescale of channel 2 only by 3e38 of a tensor', run: () => tf.tidy(() => createScaler({ method: 'rescale', scale: [1, 1, 3e38] }).apply(tf.tensor3d(Array.from(pixels.data), [2, 2, 3], 'int32'))), message: /for channel 2/ },
    { name: 'rescale by -3e38 to a tensor', run: () => createScaler({ method: 'rescale', scale: -3e38 }).apply(pixels), message: /float32 range/ },
    { name: 'rescale of a tensor by 2e36', run: () => tf.tidy(() => createScaler({ method: 'rescale', scale: 2e36 }).apply(tf.tensor3d(Array.from(pixels.data), [2, 2, 3], 'int32'))), message: /float32 range/ },
    { name: 'an offset of 3.4e38 on top of 255', run: () => scaleInto(pixels, new Float32Array(12), { method: 'rescale', scale: 1e36, offset: 3.3e38 }), message: /x \* scale \+ offset/ },
    { name: 'normalize of values near ±3.4e38 to a target of ±1e38', run: () => scaleInto({ data: new Float32Array([-3.4e38, 3.4e38, 0]), shape: [1, 3, 1] }, new Float32Array(3), { method: 'normalize', range: [0, 1], target: [0, 1e38] }), message: /float32 range/ },
    { name: 'a whitening whose epsilon 1e-300 meets a zero eigenvalue', run: () => new Whitening({ kind: 'pca', epsilon: 1e-300, layout: 'channels_last', spatialDims: 2, sampleShape: null, samples: 4, images: 1, mean: new Float64Array([0]), eigenvalues: new Float64Array([0]), components: new Float64Array([1]) }), message: /gain 1e\+150/ },
    { name: 'writeNpy of float data holding Infinity', run: () => writeNpy(at('inf.npy'), { data: new Float32Array([1, Infinity]), shape: [2] }), message: /finite values in .*inf\.npy but received Infinity at index 1/ },
    { name: 'writeNpy of float data holding NaN', run: () => writeNpy(at('nan.npy'), { data: new Float64Array([NaN]), shape: [1] }), message: /received NaN at index 0/ },
  ];
  for (const c of cases) {
    it(`${c.name} → E_VALUE`, async () => {
      expectBadInput(await caught(c.run), 'E_VALUE', c.message);
      expect(tf.memory().numTensors).toBe(0);
    });
  }
  it('nothing is written for a refused .npy', async () => {
    expect((await readdir(root)).filter((f) => /^(inf|nan)\.npy$/.test(f))).toEqual([]);
  });
  it('values at the float32 edges that stay finite are accepted: 1e-45 scales, ±1.7e38 inputs normalized', () => {
    const out = new Float32Array(12);
    scaleInto(pixels, out, { method: 'rescale', scale: 1e-45 });
    expect(out.every(Number.isFinite)).toBe(true);
    const edge = new Float32Array(3);
    scaleInto({ data: new Float32Array([-1.7e38, 1.7e38, 0]), shape: [1, 3, 1] }, edge, { method: 'normalize', range: [Math.fround(-1.7e38), Math.fround(1.7e38)] });
    expect(Array.from(edge)).toEqual([0, 1, 0.5]);
  });
  it('normalizing ±3.4e38 over the full float32 range is E_VALUE: the composite kernels compute x - shift, which overflows there', async () => {
    const run = () => scaleInto({ data: new Float32Array([-3.4e38, 3.4e38, 0]), shape: [1, 3, 1] }, new Float32Array(3), { method: 'normalize', range: [-3.4e38, 3.4e38] });
    expectBadInput(await caught(run), 'E_VALUE', /x - shift reaches 6\.8000e\+38/);
  });
  it('a stats JSON number that overflows to Infinity (1e999) is E_STATS', async () => {
    const json = statsToJSON(await stats());
    const text = JSON.stringify(json).replace(/"max":\[[^\]]*\]/, '"max":[1e999,1e999,1e999]');
    await writeFile(at('infinite.json'), text);
    expectBadInput(await caught(() => loadStats(at('infinite.json'))), 'E_STATS', /finite number for max\[0\]/);
  });
  it('the proof rejects exactly what overflows: scale·max at FLOAT32_MAX passes, just above fails', () => {
    const k = (scale: number) => ({ images: 1, channels: 1, scale: [scale], offset: [0], clip: null, post: null });
    expect(() => checkFloat32Outputs(k(FLOAT32_MAX / 256), [[{ min: 0, max: 255 }]])).not.toThrow();
    expect(() => checkFloat32Outputs(k(FLOAT32_MAX / 254), [[{ min: 0, max: 255 }]])).toThrow(/float32 range/);
  });
});

describe('abort stops fits over synchronous sources within bounded time', () => {
  function* endless() {
    for (;;) yield { data: new Uint8Array(48), shape: [4, 4, 3] };
  }
  /** Aborts 50 ms after the first input is counted; the fit must end within 400 ms of that. */
  const stopsWithin = async (run: (signal: AbortSignal, onProgress: () => void) => Promise<unknown>) => {
    const controller = new AbortController();
    let started = 0;
    const onProgress = () => {
      if (started > 0) return;
      started = performance.now();
      setTimeout(() => controller.abort(), 50);
    };
    const error = await caught(() => run(controller.signal, onProgress));
    const elapsed = performance.now() - started;
    expect(isPixelprepError(error, 'E_ABORTED'), String(error)).toBe(true);
    // The abort fires at 50 ms; the loop yields every 16 ms.
    expect(elapsed).toBeLessThan(400);
  };
  it('fitStats over an endless synchronous generator', () => stopsWithin((signal, onProgress) => fitStats(endless(), { signal, onProgress })));
  it('fitWhitening over an endless synchronous generator', () => stopsWithin((signal, onProgress) => fitWhitening(endless(), { kind: 'pca', signal, onProgress })));
  it('fitFiles whose decoder resolves at once', () =>
    stopsWithin((signal, onProgress) =>
      fitFiles(Array.from({ length: 1_000_000 }, (_, i) => `f${i}`), { decode: async () => ({ data: new Uint8Array(48), shape: [4, 4, 3] }), signal, onProgress }),
    ));
});

describe('buffers that overlap', () => {
  const values = Float32Array.from({ length: 24 }, (_, i) => (i * 7) % 23);
  const separate = () => {
    const out = new Float32Array(24);
    scaleInto({ data: values.slice(), shape: [2, 4, 3] }, out, { method: 'standardize', per: 'channel' });
    return out;
  };
  it('detects overlap by buffer and byte range', () => {
    const buffer = new ArrayBuffer(64);
    expect(buffersOverlap(new Float32Array(buffer, 0, 8), new Float32Array(buffer, 28, 8))).toBe(true);
    expect(buffersOverlap(new Float32Array(buffer, 0, 8), new Float32Array(buffer, 32, 8))).toBe(false);
    expect(buffersOverlap(new Float32Array(8), new Float32Array(8))).toBe(false);
    const shared = new SharedArrayBuffer(16);
    expect(buffersOverlap(new Uint8Array(shared, 3, 2), new Float32Array(shared, 4, 1))).toBe(true);
  });
  it('exactly in place (out is the input) equals separate buffers', () => {
    const data = values.slice();
    scaleInto({ data, shape: [2, 4, 3] }, data, { method: 'standardize', per: 'channel' });
    expect(Array.from(data)).toEqual(Array.from(separate()));
  });
  for (const shift of [1, 3, -2]) {
    it(`an out shifted by ${shift} elements over the input's buffer equals separate buffers`, () => {
      const buffer = new Float32Array(30);
      const inputAt = 3;
      buffer.set(values, inputAt);
      const input = buffer.subarray(inputAt, inputAt + 24);
      const out = buffer.subarray(inputAt + shift, inputAt + shift + 24);
      scaleInto({ data: input, shape: [2, 4, 3] }, out, { method: 'standardize', per: 'channel' });
      expect(Array.from(out)).toEqual(Array.from(separate()));
    });
  }
  it('uint8 pixels under a Float32Array out over the same bytes equal separate buffers', () => {
    const buffer = new ArrayBuffer(48);
    const pixels = new Uint8Array(buffer, 0, 12);
    pixels.set([1, 50, 100, 150, 200, 250, 3, 6, 9, 12, 15, 18]);
    const expected = new Float32Array(12);
    scaleInto({ data: pixels.slice(), shape: [2, 2, 3] }, expected, { method: 'normalize' });
    scaleInto({ data: pixels, shape: [2, 2, 3] }, new Float32Array(buffer, 0, 12), { method: 'normalize' });
    expect(Array.from(new Float32Array(buffer, 0, 12))).toEqual(Array.from(expected));
  });
  it('in place with a channel permutation (BGR) reads a copy: equals separate buffers', () => {
    const plan = new AffinePlan({ images: 1, channels: 3, scale: [1, 2, 3], offset: [0, 0, 0], clip: null, post: null, channelOrder: [2, 1, 0] });
    const data = values.slice();
    const expected = new Float32Array(24);
    runPlanInto(readHostPixels({ data: values.slice(), shape: [2, 4, 3] }, {}), plan, expected);
    const host = readHostPixels({ data, shape: [2, 4, 3] }, {});
    runPlanInto(guardPlanInto(host, plan.coefficients, data), plan, data);
    expect(Array.from(data)).toEqual(Array.from(expected));
  });
});

describe('statistics that say what they were fitted from', () => {
  const u8 = { data: Uint8Array.from({ length: 12 }, (_, i) => i * 20), shape: [2, 2, 3] };
  const u16 = { data: Uint16Array.from({ length: 12 }, (_, i) => i * 5000), shape: [2, 2, 3] };
  it('8-bit and 16-bit pixels in one fit → E_DTYPE; mixedDepths pools them and records it', async () => {
    expectBadInput(await caught(() => fitStats([u8, u16])), 'E_DTYPE', /input 1 to hold 8-bit pixels .*received 16-bit uint16.*mixedDepths/);
    expect((await fitStats([u8, u16], { mixedDepths: true })).source?.bitDepth).toBe('mixed');
  });
  it('a shard merged with itself under another name → E_STATS; so is a merge that already holds it', async () => {
    const a = await fitStats([u8]);
    const b = await fitStats([{ ...u8, data: u8.data.map((v) => 255 - v) }]);
    await saveStats(at('shard-a.json'), a);
    await writeFile(at('shard-a-copy.json'), await readFile(at('shard-a.json')));
    const [one, two] = [await loadStats(at('shard-a.json')), await loadStats(at('shard-a-copy.json'))];
    expectBadInput(await caught(() => mergeShards(one, two)), 'E_STATS', /part 0 and part 1 both hold the data of digest [0-9a-f]{16}/);
    const ab = mergeShards(a, b);
    expectBadInput(await caught(() => mergeShards(ab, one)), 'E_STATS', /part 0 and part 1 both hold/);
    expect(ab.source?.parts).toHaveLength(2);
  });
  it('8-bit and 16-bit statistics do not merge', async () => {
    expectBadInput(await caught(async () => mergeShards(await fitStats([u8]), await fitStats([u16]))), 'E_STATS', /same bitDepth/);
  });
  it('a version 1 stats file (no digest) still loads and merges, unchecked', async () => {
    const json = statsToJSON(await fitStats([u8]));
    const v1 = { ...json, version: 1, source: { layout: 'channels_last', spatialDims: 2 } };
    await writeFile(at('v1.json'), JSON.stringify(v1));
    const loaded = await loadStats(at('v1.json'));
    expect(loaded.mean).toEqual(json.mean);
    expect(mergeShards(loaded, loaded).source?.digest).toBeUndefined();
    expect(mergeStats(loaded, loaded).count).toBe(2 * loaded.count);
  });
});

describe('decoders return real values or refuse', () => {
  const floats = new Float32Array([0.5, 0.25, 1.5, -2, 0, 3.4e38]);
  it('a float32 grey TIFF decodes to its values with depth auto', async () => {
    await writeFile(at('grey.tif'), encodeTiff(floats, 3, 2, 1));
    const image = await decodeImage(at('grey.tif'), { depth: 'auto' });
    expect(image.data).toBeInstanceOf(Float32Array);
    expect(image.shape).toEqual([2, 3, 1]);
    expect(Array.from(image.data)).toEqual(Array.from(floats));
    const rgb = await decodeImage(at('grey.tif'), { depth: 'auto', channels: 3 });
    expect(Array.from(rgb.data.subarray(0, 6))).toEqual([0.5, 0.5, 0.5, 0.25, 0.25, 0.25]);
  });
  it('a float32 RGB TIFF keeps 0.5 as 0.5 (not the 188 of a linear-light conversion)', async () => {
    await writeFile(at('rgb.tif'), encodeTiff(floats, 2, 1, 3));
    expect(Array.from((await decodeImage(at('rgb.tif'), { depth: 'auto' })).data)).toEqual(Array.from(floats));
    expectBadInput(await caught(() => decodeImage(at('rgb.tif'), { depth: 'auto', channels: 1 })), 'E_FORMAT', /channels 'keep', 3 or 4/);
  });
  it('float32 with depth uint8, int16, int32 and float64 samples, and NaN samples are refused', async () => {
    expectBadInput(await caught(() => decodeImage(at('grey.tif'))), 'E_FORMAT', /float32 samples; pass depth 'auto'/);
    await writeFile(at('i16.tif'), encodeTiff(new Int16Array([-5, 3, 1000, 0, 1, 2]), 3, 2, 1));
    expectBadInput(await caught(() => decodeImage(at('i16.tif'), { depth: 'auto' })), 'E_FORMAT', /stores 'short' samples/);
    await writeFile(at('i32.tif'), encodeTiff(new Int32Array([5, 3, 1000, 0, 1, 2]), 3, 2, 1));
    expectBadInput(await caught(() => decodeImage(at('i32.tif'))), 'E_FORMAT', /stores 'int' samples/);
    await writeFile(at('f64.tif'), encodeTiff(new Float64Array([0.5, 1, 2, 3, 4, 5]), 3, 2, 1));
    expectBadInput(await caught(() => decodeImage(at('f64.tif'))), 'E_FORMAT', /f64\.tif/);
    await writeFile(at('nan.tif'), encodeTiff(new Float32Array([0.5, NaN, 1, 2, 3, 4]), 3, 2, 1));
    expectBadInput(await caught(() => decodeImage(at('nan.tif'), { depth: 'auto' })), 'E_VALUE', /finite samples in .*nan\.tif but received NaN at sample 1/);
  });
});
