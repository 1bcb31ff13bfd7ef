/**
 * Catalogue of bad statistics files, on disk: unreadable, not JSON, truncated,
 * of another format or a future version, with impossible values, or not
 * matching the data. Loading names the file; saving never leaves half a file.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScaler, fitStats, fitWhitening, type PixelStats } from '../../src/index.js';
import { fitFiles, loadStats, loadWhitening, saveStats, saveWhitening, statsToJSON, type StatsFileJSON } from '../../src/node/index.js';
import { caught, expectBadInput } from './bad_input.js';

let dir = '';
let stats: PixelStats;
/** A valid stats file's JSON, fitted on 3-channel pixels. */
let valid: StatsFileJSON;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-stats-files-'));
  stats = await fitStats([{ data: Uint8Array.from({ length: 6 * 5 * 3 }, (_, i) => (i * 53 + 11) % 256), shape: [6, 5, 3] }], { range: [0, 255] });
  valid = statsToJSON(stats);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = (json: unknown) => `${JSON.stringify(json, null, 2)}\n`;
const edited = (change: (j: StatsFileJSON & Record<string, unknown>) => void): string => {
  const j = structuredClone(valid) as StatsFileJSON & Record<string, unknown>;
  change(j);
  return text(j);
};

interface BadFile {
  name: string;
  /** The file's content, or how to make the path bad. */
  content: () => string | Uint8Array | 'missing' | 'folder' | 'through-a-file';
  code: 'E_IO' | 'E_FORMAT' | 'E_STATS';
  message: RegExp;
}

const badFiles: BadFile[] = [
  { name: 'a path that does not exist', content: () => 'missing', code: 'E_IO', message: /readable stats file.*ENOENT/ },
  { name: 'a folder where the file is expected', content: () => 'folder', code: 'E_IO', message: /readable stats file.*to be a regular file but it is a folder/ },
  { name: 'a path through a file', content: () => 'through-a-file', code: 'E_IO', message: /readable stats file.*ENOTDIR/ },
  { name: 'an empty file', content: () => '', code: 'E_FORMAT', message: /to hold JSON \(a stats file\) but it does not parse/ },
  { name: 'a file truncated in the middle', content: () => text(valid).slice(0, 200), code: 'E_FORMAT', message: /does not parse/ },
  { name: 'a file cut before its last brace', content: () => text(valid).trimEnd().slice(0, -1), code: 'E_FORMAT', message: /does not parse/ },
  { name: 'binary bytes (a PNG header)', content: () => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), code: 'E_FORMAT', message: /does not parse/ },
  { name: 'JSON that is a list', content: () => '[1, 2, 3]\n', code: 'E_FORMAT', message: /'pixelprep-stats' JSON object \(field format\) but received an array/ },
  { name: 'another pixelprep format (a checkpoint)', content: () => text({ format: 'pixelprep-fit-checkpoint', version: 1 }), code: 'E_FORMAT', message: /received 'pixelprep-fit-checkpoint'/ },
  { name: 'a future version', content: () => edited((j) => Object.assign(j, { version: 3 })), code: 'E_FORMAT', message: /version 1 or 2 for version but received 3.*newer pixelprep/ },
  { name: 'no version', content: () => edited((j) => delete (j as Partial<StatsFileJSON>).version), code: 'E_FORMAT', message: /version 1 or 2 for version but received undefined/ },
  { name: 'a missing field', content: () => edited((j) => delete (j as Partial<StatsFileJSON>).std), code: 'E_FORMAT', message: /a list of 3 numbers \(one per channel\) for std/ },
  { name: 'std 0 where m2 says otherwise', content: () => edited((j) => Object.assign(j.std, { 0: 0 })), code: 'E_STATS', message: /sqrt\(m2\[0\] \/ count\).*for std\[0\].*received 0/ },
  { name: 'a negative std', content: () => edited((j) => Object.assign(j.std, { 1: -j.std[1] })), code: 'E_STATS', message: /non-negative number for std\[1\]/ },
  { name: 'a std list of the wrong length', content: () => edited((j) => j.std.pop()), code: 'E_STATS', message: /3 values \(one per channel, as channels says\) for std/ },
  { name: 'a mean list longer than channels', content: () => edited((j) => j.mean.push(1)), code: 'E_STATS', message: /3 values .* for mean.*length 4/ },
  { name: 'NaN, which JSON writes as null', content: () => edited((j) => Object.assign(j.mean, { 2: null })), code: 'E_STATS', message: /finite number for mean\[2\] .*received null/ },
  { name: 'min above max', content: () => edited((j) => Object.assign(j, { min: j.max.map((m) => m + 1) })), code: 'E_STATS', message: /min\[0\] ≤ mean\[0\] ≤ max\[0\]/ },
  { name: 'global figures that disagree with the channels', content: () => edited((j) => Object.assign(j.global, { mean: j.global.mean + 1 })), code: 'E_STATS', message: /global.mean/ },
  { name: 'zero values counted', content: () => edited((j) => Object.assign(j, { count: 0 })), code: 'E_STATS', message: /positive integer for count/ },
  { name: 'an unknown layout in its source', content: () => edited((j) => Object.assign(j.source, { layout: 'NHWC' })), code: 'E_FORMAT', message: /source.layout.*'NHWC'/ },
];

describe('loading a bad stats file', () => {
  it.each(badFiles)('$name → $code, naming the file', async ({ name, content, code, message }) => {
    const made = content();
    const slug = name.replace(/\W+/g, '-');
    let path = join(dir, `${slug}.json`);
    if (made === 'folder') await mkdir(path);
    else if (made === 'through-a-file') {
      await writeFile(join(dir, `${slug}.txt`), 'a file');
      path = join(dir, `${slug}.txt`, 'stats.json');
    } else if (made !== 'missing') await writeFile(path, made);
    const error = expectBadInput(await caught(() => loadStats(path)), code, message);
    expect(error.message).toContain(path);
  });

  it(`catalogues ${badFiles.length} bad stats files`, () => expect(badFiles.length).toBeGreaterThanOrEqual(20));
});

describe('stats files that load but do not fit the data', () => {
  it('3-channel statistics on grey images → E_SHAPE naming both channel counts', async () => {
    const path = join(dir, 'rgb-stats.json');
    await saveStats(path, stats);
    const scaler = createScaler({ method: 'standardize', stats: await loadStats(path) });
    expectBadInput(await caught(() => scaler.apply({ data: new Uint8Array(16), shape: [4, 4, 1] })), 'E_SHAPE', /3 channels.*\[4,4,1\] with 1/);
  });

  it('statistics fitted channels_first, used with channels_last data → E_STATS naming both layouts', async () => {
    const path = join(dir, 'nchw-stats.json');
    await saveStats(path, stats, { layout: 'channels_first' });
    const loaded = await loadStats(path);
    expectBadInput(await caught(() => createScaler({ method: 'standardize', stats: loaded })), 'E_STATS', /layout 'channels_last' but these were fitted with 'channels_first'/);
  });

  it('a stats file with a constant channel (std 0, m2 0) loads and scales it to finite values', async () => {
    const data = Uint8Array.from({ length: 5 * 3 }, (_, i) => (i % 3 === 2 ? 40 : (i * 31) % 256));
    const constant = await fitStats([{ data, shape: [5, 1, 3] }]);
    const path = join(dir, 'constant.json');
    await saveStats(path, constant);
    const loaded = await loadStats(path);
    expect(loaded.std[2]).toBe(0);
    const y = createScaler({ method: 'standardize', stats: loaded }).apply({ data, shape: [5, 1, 3] });
    const values = y.dataSync();
    y.dispose();
    data.forEach((v, i) => {
      const c = i % 3;
      const expected = (v - loaded.mean[c]) / Math.max(loaded.std[c], 1e-7);
      expect(Math.abs(values[i] - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
    });
    // torchvision's convention on request: refuse to divide by a zero std.
    expectBadInput(await caught(() => createScaler({ method: 'standardize', stats: loaded, zeroVariance: 'error' }).plan()), 'E_VALUE', /standard deviation of at least epsilon/);
  });
});

describe('other saved files', () => {
  it('a whitening file of a future version, or truncated → E_FORMAT naming the file', async () => {
    const whitening = await fitWhitening([{ data: Uint8Array.from({ length: 4 * 4 * 3 }, (_, i) => (i * 71) % 256), shape: [4, 4, 3] }], { kind: 'pca' });
    const path = join(dir, 'pca.json');
    await saveWhitening(path, whitening);
    const saved = await readFile(path, 'utf8');
    await writeFile(path, saved.replace('"version": 1', '"version": 2'));
    expectBadInput(await caught(() => loadWhitening(path)), 'E_FORMAT', new RegExp(`^${path}: Expected pixelprep-whitening version 1 .*received 2`));
    await writeFile(path, saved.slice(0, saved.length / 2));
    expectBadInput(await caught(() => loadWhitening(path)), 'E_FORMAT', /does not parse/);
  });

  it('a fit checkpoint of a future version or truncated → E_FORMAT saying to delete it', async () => {
    const path = join(dir, 'fit.ckpt.json');
    const decode = async () => ({ data: new Uint8Array(12), shape: [2, 2, 3] });
    await writeFile(path, text({ format: 'pixelprep-fit-checkpoint', version: 2 }));
    expectBadInput(await caught(() => fitFiles(['a.png'], { decode, checkpoint: path })), 'E_FORMAT', /version in the checkpoint but received 2.*delete it/);
    await writeFile(path, '{"format": "pixelprep-fit-checkpoint", "vers');
    expectBadInput(await caught(() => fitFiles(['a.png'], { decode, checkpoint: path })), 'E_FORMAT', /JSON checkpoint but it does not parse.*delete it/);
  });
});

describe('saving stats never leaves half a file', () => {
  /** Files in the folder, temporary ones included. */
  const listing = async (folder: string) => (await readdir(folder)).sort();

  it('into a missing folder, through a file, or onto a folder → E_IO naming the path; nothing is created', async () => {
    const folder = join(dir, 'save');
    await mkdir(folder);
    await writeFile(join(folder, 'a-file'), 'x');
    await mkdir(join(folder, 'a-folder.json'));
    for (const [path, reason] of [
      [join(folder, 'missing', 'stats.json'), /ENOENT/],
      [join(folder, 'a-file', 'stats.json'), /ENOTDIR/],
      [join(folder, 'a-folder.json'), /is a folder/],
    ] as const) {
      const error = expectBadInput(await caught(() => saveStats(path, stats)), 'E_IO', reason);
      expect(error.message).toContain(path);
    }
    expect(await listing(folder)).toEqual(['a-file', 'a-folder.json']);
  });

  it('malformed statistics → E_STATS and the previous file stays byte for byte', async () => {
    const path = join(dir, 'kept.json');
    await saveStats(path, stats);
    const before = await readFile(path);
    const broken = { ...stats, std: [...stats.std.slice(0, 2), -1] };
    expectBadInput(await caught(() => saveStats(path, broken)), 'E_STATS', /non-negative number for std\[2\]/);
    expect(Buffer.compare(await readFile(path), before)).toBe(0);
    expect((await listing(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
