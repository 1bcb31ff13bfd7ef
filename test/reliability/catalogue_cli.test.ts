/**
 * Catalogue of bad command lines and bad files given to the `pixelprep`
 * command: each exits with its code (1: the work failed, 2: the command line
 * was wrong), says why on stderr naming the file or option, and leaves the
 * folder it was pointed at exactly as it was (no output, no temporary file).
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitFiles, saveStats, statsToJSON } from '../../src/node/index.js';
import { fitStats } from '../../src/index.js';
import { decodeImage, readNpy } from '../../src/node/index.js';
import { requireBuild, runCli } from '../cli/run_cli.js';
import { encodePng } from '../helpers/png_writer.js';

const [W, H] = [6, 5];
/** Shared inputs, never written to by a case. */
let inputs = '';
let root = '';
const input = (name: string) => join(inputs, name);
const rgbPixels = (seed: number) => Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * (31 + seed) + seed * 17) % 256);
const wide = Uint16Array.from({ length: W * H * 3 }, (_, i) => (i * 40503 + 7) % 65536);

beforeAll(async () => {
  requireBuild();
  root = await mkdtemp(join(tmpdir(), 'pixelprep-cli-catalogue-'));
  inputs = join(root, 'inputs');
  for (const sub of ['rgb', 'grey', 'mixed', 'bad', 'none', 'wide', 'cmyk']) await mkdir(join(inputs, sub), { recursive: true });
  await writeFile(input('rgb/a.png'), encodePng(rgbPixels(1), W, H, 3));
  await writeFile(input('rgb/b.png'), encodePng(rgbPixels(2), W, H, 3));
  await writeFile(input('rgb/wider.png'), encodePng(new Uint8Array((W + 1) * H * 3), W + 1, H, 3));
  await writeFile(input('grey/g.png'), encodePng(rgbPixels(3).subarray(0, W * H), W, H, 1));
  await copyFile(input('rgb/a.png'), input('mixed/a.png'));
  await copyFile(input('grey/g.png'), input('mixed/g.png'));
  await writeFile(input('bad/empty.png'), new Uint8Array());
  await writeFile(input('bad/truncated.png'), (await readFile(input('rgb/a.png'))).subarray(0, 40));
  await writeFile(input('bad/notes.jpg'), 'not an image\n');
  await writeFile(input('bad/bomb.png'), encodePng(new Uint8Array(4), 2, 2, 1, { width: 100_000, height: 100_000 }));
  await writeFile(input('none/readme.md'), '# no images here');
  await writeFile(input('wide/w16.png'), encodePng(wide, W, H, 3));
  await sharp(rgbPixels(4), { raw: { width: W, height: H, channels: 3 } }).toColourspace('cmyk').jpeg().toFile(input('cmyk/c.jpg'));

  const rgbStats = await fitStats([{ data: rgbPixels(1), shape: [H, W, 3] }], { range: [0, 255] });
  await saveStats(input('rgb.json'), rgbStats);
  const text = await readFile(input('rgb.json'), 'utf8');
  await writeFile(input('future.json'), text.replace('"version": 2', '"version": 3'));
  await writeFile(input('truncated.json'), text.slice(0, text.length / 2));
  const negative = statsToJSON(rgbStats);
  negative.std[1] = -negative.std[1];
  await writeFile(input('negative-std.json'), JSON.stringify(negative));
  await saveStats(input('grey.json'), await fitStats([{ data: rgbPixels(3).subarray(0, W * H), shape: [H, W, 1] }]));
  await writeFile(input('corrupt.ckpt.json'), '{"format": "pixelprep-fit-checkpoint", "version": 1, "files": {');
  // A checkpoint of a fit with other settings (per 'global') over the same files, stopped after one file.
  const controller = new AbortController();
  await fitFiles([input('rgb/a.png'), input('rgb/b.png'), input('rgb/wider.png')], {
    decode: (path) => decodeImage(path),
    checkpoint: input('other.ckpt.json'),
    per: 'global',
    range: [0, 255],
    source: { decoder: 'sharp' },
    signal: controller.signal,
    onProgress: () => controller.abort(),
  }).catch(() => undefined);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file under `folder` (temporary ones included) with a hash of its bytes. */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const out: Record<string, string> = {};
  for (const e of entries) {
    const path = join(e.parentPath, e.name);
    out[path.slice(folder.length + 1)] = e.isFile() ? createHash('sha256').update(await readFile(path)).digest('hex') : 'folder';
  }
  return out;
}

interface CliCase {
  name: string;
  /** The arguments; `out` is this case's own folder, where outputs go. */
  args: (out: string) => string[];
  /** Prepares `out` (e.g. a previous output that must survive). */
  setup?: (out: string) => Promise<void>;
  exit: 1 | 2;
  /** What the first line of stderr says (after "pixelprep: "). */
  stderr: RegExp;
}

const cases: CliCase[] = [
  // The command line is wrong: exit 2, before any file is read.
  { name: 'an unknown command', args: () => ['scale', input('rgb')], exit: 2, stderr: /unknown command 'scale'/ },
  { name: 'an unknown option', args: () => ['stats', input('rgb'), '--colour'], exit: 2, stderr: /unknown option '--colour'/ },
  { name: 'fit without -o', args: () => ['fit', input('rgb')], exit: 2, stderr: /required option '-o, --output/ },
  { name: 'fit with a shard index out of range', args: (out) => ['fit', input('rgb'), '-o', join(out, 's.json'), '--shard', '3/3'], exit: 2, stderr: /Expected shard.index to be an integer in \[0, 2\].*received 3/ },
  { name: 'fit with --checkpoint-every 0', args: (out) => ['fit', input('rgb'), '-o', join(out, 's.json'), '--checkpoint-every', '0'], exit: 2, stderr: /positive integer for --checkpoint-every but received '0'/ },
  { name: 'fit with --limit-pixels 0', args: (out) => ['fit', input('rgb'), '-o', join(out, 's.json'), '--limit-pixels', '0'], exit: 2, stderr: /positive integer for --limit-pixels but received '0'/ },
  { name: 'fit with an unknown --per', args: (out) => ['fit', input('rgb'), '-o', join(out, 's.json'), '--per', 'pixel'], exit: 2, stderr: /'pixel' is invalid/ },
  { name: 'fit resuming a checkpoint made with other settings', setup: (out) => copyFile(input('other.ckpt.json'), join(out, 'fit.ckpt.json')), args: (out) => ['fit', input('rgb'), '-o', join(out, 's.json'), '--checkpoint', join(out, 'fit.ckpt.json')], exit: 2, stderr: /Expected the checkpoint .*fit\.ckpt\.json to come from a fit with the same per but it has "global" and this fit "channel"/ },
  { name: 'apply with an unknown method', args: (out) => ['apply', input('rgb'), '--method', 'whiten', '-o', join(out, 'x.npy')], exit: 2, stderr: /argument 'whiten' is invalid/ },
  { name: 'apply with a zero-width --range', args: (out) => ['apply', input('rgb'), '--method', 'normalize', '--range', '5,5', '-o', join(out, 'x.npy')], exit: 2, stderr: /low,high with low < high for --range but received '5,5'/ },
  { name: 'apply with a negative --range', args: (out) => ['apply', input('rgb'), '--method', 'normalize', '--range', '255,0', '-o', join(out, 'x.npy')], exit: 2, stderr: /low < high for --range but received '255,0'/ },
  { name: 'apply with a --range that is not numbers', args: (out) => ['apply', input('rgb'), '--method', 'normalize', '--range', '0,max', '-o', join(out, 'x.npy')], exit: 2, stderr: /comma-separated numbers for --range but received '0,max'/ },
  { name: 'apply rescale with --scale 0', args: (out) => ['apply', input('rgb'), '--method', 'rescale', '--scale', '0', '-o', join(out, 'x.npy')], exit: 2, stderr: /non-zero multipliers .* for scale/ },
  { name: 'apply with --resize 0x10', args: (out) => ['apply', input('rgb'), '--method', 'normalize', '--resize', '0x10', '-o', join(out, 'x.npy')], exit: 2, stderr: /sides from 1 to \d+ for --resize but received '0x10'/ },
  { name: 'apply with --scope dataset and no --stats', args: (out) => ['apply', input('rgb'), '--method', 'standardize', '--scope', 'dataset', '-o', join(out, 'x.npy')], exit: 2, stderr: /--stats <file> with --scope dataset/ },
  { name: 'apply with --channels 2', args: (out) => ['apply', input('rgb'), '--method', 'normalize', '--channels', '2', '-o', join(out, 'x.npy')], exit: 2, stderr: /argument '2' is invalid/ },

  // The work failed: exit 1.
  { name: 'stats of a missing file', args: () => ['stats', input('nowhere.png')], exit: 1, stderr: /image file or a directory at .*nowhere\.png but it does not exist/ },
  { name: 'stats of a folder without images', args: () => ['stats', input('none')], exit: 1, stderr: /image files in .*none but found none/ },
  { name: 'fit -o into a missing folder (found before the fit starts)', args: (out) => ['fit', input('rgb'), '-o', join(out, 'missing', 's.json')], exit: 1, stderr: /existing folder for -o .*missing\/s\.json but .*missing does not exist/ },
  { name: 'fit -o onto a folder', setup: (out) => mkdir(join(out, 'taken.json')), args: (out) => ['fit', input('rgb'), '-o', join(out, 'taken.json')], exit: 1, stderr: /file path for -o but .*taken\.json is a folder/ },
  { name: 'fit -o through a file', setup: (out) => writeFile(join(out, 'plain.txt'), 'x'), args: (out) => ['fit', input('rgb'), '-o', join(out, 'plain.txt', 's.json')], exit: 1, stderr: /folder to hold -o .* but .*plain\.txt is a file/ },
  { name: 'fit --checkpoint into a missing folder', args: (out) => ['fit', input('rgb'), '-o', join(out, 's.json'), '--checkpoint', join(out, 'missing', 'c.json')], exit: 1, stderr: /existing folder for --checkpoint/ },
  { name: 'fit of an empty image file', args: (out) => ['fit', input('bad/empty.png'), '-o', join(out, 's.json')], exit: 1, stderr: /empty\.png but it is empty \(0 bytes\)/ },
  { name: 'fit of a truncated PNG', args: (out) => ['fit', input('rgb/a.png'), input('bad/truncated.png'), '-o', join(out, 's.json')], exit: 1, stderr: /valid image in .*truncated\.png but decoding failed/ },
  { name: 'fit of text named .jpg', args: (out) => ['fit', input('bad/notes.jpg'), '-o', join(out, 's.json')], exit: 1, stderr: /notes\.jpg but its content is not a supported image format/ },
  { name: 'fit of a decompression bomb', args: (out) => ['fit', input('bad/bomb.png'), '-o', join(out, 's.json')], exit: 1, stderr: /bomb\.png but it declares 100000×100000/ },
  { name: 'fit of grey and colour images together', args: (out) => ['fit', input('mixed'), '-o', join(out, 's.json'), '--channels', 'keep'], exit: 1, stderr: /g\.png to have 3 channels like the inputs before it but received shape \[5,6,1\]/ },
  { name: 'fit resuming a damaged checkpoint', setup: (out) => copyFile(input('corrupt.ckpt.json'), join(out, 'fit.ckpt.json')), args: (out) => ['fit', input('rgb'), '-o', join(out, 's.json'), '--checkpoint', join(out, 'fit.ckpt.json')], exit: 1, stderr: /JSON checkpoint but it does not parse.*delete it/ },
  { name: 'merge of a truncated stats file', args: (out) => ['merge', input('rgb.json'), input('truncated.json'), '-o', join(out, 'm.json')], exit: 1, stderr: /truncated\.json to hold JSON \(a stats file\) but it does not parse/ },
  { name: 'merge of a stats file from a future version', args: (out) => ['merge', input('future.json'), '-o', join(out, 'm.json')], exit: 1, stderr: /future\.json: Expected pixelprep-stats version 1 or 2 .*received 3.*newer pixelprep/ },
  { name: 'merge of a stats file with a negative std', args: (out) => ['merge', input('negative-std.json'), '-o', join(out, 'm.json')], exit: 1, stderr: /negative-std\.json: Expected a non-negative number for std\[1\]/ },
  { name: 'merge of 3-channel and 1-channel statistics', args: (out) => ['merge', input('rgb.json'), input('grey.json'), '-o', join(out, 'm.json')], exit: 1, stderr: /statistics with 3 channels for part 1 but received 1/ },
  { name: 'merge of a missing stats file', args: (out) => ['merge', input('rgb.json'), input('gone.json'), '-o', join(out, 'm.json')], exit: 1, stderr: /readable stats file at .*gone\.json.*ENOENT/ },
  { name: 'merge -o into a missing folder', args: (out) => ['merge', input('rgb.json'), '-o', join(out, 'no', 'm.json')], exit: 1, stderr: /existing folder for -o/ },
  { name: 'apply with --stats from a future version', args: (out) => ['apply', input('rgb'), '--method', 'standardize', '--stats', input('future.json'), '-o', join(out, 'x')], exit: 1, stderr: /future\.json: Expected pixelprep-stats version 1 or 2/ },
  { name: 'apply with --stats that is a folder', args: (out) => ['apply', input('rgb'), '--method', 'standardize', '--stats', input('rgb'), '-o', join(out, 'x.npy')], exit: 1, stderr: /readable stats file at .*rgb to be a regular file but it is a folder/ },
  { name: 'apply 3-channel --stats to grey images', args: (out) => ['apply', input('grey'), '--method', 'standardize', '--stats', input('rgb.json'), '-o', join(out, 'x.npy'), '--channels', 'keep'], exit: 1, stderr: /3 channels \(channels_last\) for this plan but received shape \[5,6,1\] with 1/ },
  { name: 'apply to one .npy from images of two shapes', setup: (out) => writeFile(join(out, 'x.npy'), 'previous output'), args: (out) => ['apply', input('rgb'), '--method', 'normalize', '-o', join(out, 'x.npy')], exit: 1, stderr: /wider\.png to have shape \[5,6,3\] like .*a\.png .*--resize/ },
  { name: 'apply -o out.npy into a missing folder', args: (out) => ['apply', input('rgb/a.png'), '--method', 'normalize', '-o', join(out, 'no', 'x.npy')], exit: 1, stderr: /existing folder for -o .*no\/x\.npy/ },
  { name: 'apply -o dir/ through a file', setup: (out) => writeFile(join(out, 'plain.txt'), 'x'), args: (out) => ['apply', input('rgb'), '--method', 'normalize', '-o', join(out, 'plain.txt', 'scaled')], exit: 1, stderr: /-o .*scaled to be a folder .* but .*plain\.txt is a file/ },
  { name: 'apply of a decompression bomb', args: (out) => ['apply', input('bad/bomb.png'), '--method', 'normalize', '-o', join(out, 'scaled')], exit: 1, stderr: /bomb\.png but it declares 100000×100000/ },
];

describe('bad command lines and files', () => {
  it(`catalogues ${cases.length} bad command lines`, () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.concurrent.each(cases)('$name → exit $exit, nothing written', async ({ name, args, setup, exit, stderr }) => {
    const out = await mkdtemp(join(root, 'case-'));
    await setup?.(out);
    const [before, inputsBefore] = [await snapshot(out), await snapshot(inputs)];
    const result = await runCli(args(out));
    expect(result.code, `${name}\n${result.stderr}`).toBe(exit);
    const first = result.stderr.split('\n').find((line) => line.startsWith('pixelprep: ')) ?? '';
    expect(first, result.stderr).toMatch(stderr);
    // commander's own usage errors aside, every message says what was expected and what arrived.
    if (!/unknown|required option|is invalid/.test(first)) expect(first).toMatch(/^pixelprep: (\S+: )?Expected .+ but /);
    expect(result.stdout).toBe('');
    expect(await snapshot(out)).toEqual(before);
    expect(await snapshot(inputs)).toEqual(inputsBefore);
  });
});

describe('unusual inputs the command must handle', () => {
  it("apply --depth auto scales a 16-bit PNG with the 16-bit range: v / 65535", async () => {
    const out = await mkdtemp(join(root, 'wide-'));
    const result = await runCli(['apply', input('wide/w16.png'), '--method', 'normalize', '--depth', 'auto', '-o', join(out, 'w.npy')]);
    expect(result.code, result.stderr).toBe(0);
    const array = await readNpy(join(out, 'w.npy'));
    expect(array.shape).toEqual([1, H, W, 3]);
    wide.forEach((v, i) => expect(Math.abs(array.data[i] - v / 65535)).toBeLessThanOrEqual(2 ** -24));
  });

  it('stats reads a CMYK JPEG as 3 RGB channels', async () => {
    const result = await runCli(['stats', input('cmyk/c.jpg'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.images[0].shape).toEqual([H, W, 3]);
    expect(report.overall.channels).toBe(3);
  });
});
