/**
 * `pixelprep apply <paths...> --method M | --preset P | --stats S -o out.npy|dir/|out.png`:
 * scales images and writes float32 .npy (one file holding [N, H, W, C], or one
 * file per image), or viewable PNGs through the plan's inverse (-o x.png, --png DIR).
 *
 * A file that fails (unreadable, not an image, wrong shape) does not stop the
 * others: each failure is reported, no output is written for it (and no
 * out.npy at all unless --skip-errors), and the command exits 1.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import { Option, type Command } from 'commander';
import { StatsAccumulator } from '../../dataset/stats_accumulator.js';
import { loadStats } from '../../node/stats_file.js';
import { PixelprepError, isPixelprepError } from '../../core/errors.js';
import { readHostPixels, type RawBatch } from '../../core/input.js';
import { resolveDecodeOptions } from '../../node/decode_image.js';
import { listImages } from '../../node/list_images.js';
import { writeNpy } from '../../node/npy.js';
import { saveImage } from '../../node/save_image.js';
import { runPlanInto } from '../../kernels/index.js';
import { METHODS, PERS, SCOPES, type Method, type Per, type Scope } from '../../core/methods.js';
import { CONVENTIONS, type Convention } from '../../core/conventions.js';
import type { AffinePlan } from '../../core/plan.js';
import { presetPlan } from '../../presets/preset_plan.js';
import { resolvePreset, type ResolvedPreset } from '../../presets/resolve_preset.js';
import { createScaler, type Scaler, type ScalerOptions } from '../../core/scaler.js';
import type { PixelStats } from '../../core/pixel_stats.js';
import { oneOf } from '../../core/validate.js';
import { decodeEach, fileError, type DecodeOutcome } from '../decode_each.js';
import { list, shapeText } from '../format.js';
import { abortOnInterrupt } from '../interrupt.js';
import { addDecodeOptions, addExample, decodeOptionsFrom, numberList, numberPair, positiveInteger, type DecodeFlags, type GlobalOptions } from '../options.js';
import { printJson, printLines } from '../output.js';
import { checkOutputFile, checkOutputFolder, makeOutputFolder } from '../output_path.js';
import { startProgress } from '../progress.js';
import { reportError } from '../report_error.js';

interface ApplyFlags extends DecodeFlags, GlobalOptions {
  output?: string;
  png?: string;
  method?: string;
  preset?: string;
  per?: string;
  scope?: string;
  stats?: string;
  range?: string;
  target?: string;
  scale?: string;
  offset?: string;
  convention?: string;
  concurrency?: string;
}

/** An input file and the .npy it becomes in directory mode. */
interface Job {
  path: string;
  output: string | null;
}

/** Scales one decoded image into `out`; returns the plan it used (for a PNG through its inverse). */
type Transform = (image: RawBatch, out: Float32Array) => AffinePlan;

/** What scales the images: a Keras preset, or a method with its options. */
type Scaling = { kind: 'preset'; preset: ResolvedPreset } | { kind: 'method'; options: ScalerOptions };

/** Registers `apply` on the program. */
export function registerApplyCommand(program: Command): void {
  const command = program
    .command('apply')
    .description('scale images with a method or a Keras preset and write float32 .npy (one [N,H,W,C] file, or one file per image in a directory)')
    .argument('<paths...>', 'image files or directories')
    .option('-o, --output <out.npy|dir/|out.png>', "a .npy file for all images (they must share a shape: use --resize); an existing folder or a path ending in / for one .npy per image; a .png for one image, viewable (through the plan's inverse)")
    .option('--png <dir>', "also write each scaled image as a viewable PNG (through the plan's inverse) into this folder")
    .addOption(new Option('--method <method>', 'scaling method (see docs/cli.md)').choices([...METHODS]))
    .option('--preset <name>', "Keras preprocess_input preset: a mode ('caffe', 'tf', 'torch') or a model ('ResNet50'); also sets --resize to the model's input size")
    .addOption(new Option('--per <per>', "'channel' (default): statistics per channel; 'global': pooled").choices([...PERS]))
    .addOption(new Option('--scope <scope>', "'image': each its own statistics; 'batch': all inputs together; 'dataset': from --stats (default with --stats, else 'image')").choices([...SCOPES]))
    .option('--stats <file>', "stats file from 'pixelprep fit' (scope 'dataset'); alone, it means --method standardize")
    .option('--range <low,high>', 'input range for normalize (default 0,255; 0,65535 for 16-bit)')
    .option('--target <low,high>', 'output range for normalize and min-max (default 0,1)')
    .option('--scale <list>', 'multiplier(s) for rescale, one or one per channel')
    .option('--offset <list>', 'addend(s) for rescale (default 0)')
    .option('--convention <name>', "a framework's zero-variance handling: 'keras', 'keras-idg', 'albumentations', 'torchvision', 'sklearn' (docs/conventions.md)")
    .option('--concurrency <n>', 'images decoded at once', '4');
  addExample(
    command,
    'pixelprep apply samples/chelsea.jpg --method normalize -o chelsea.npy',
    'pixelprep apply samples/*.jpg --stats stats.json --resize 224x224 -o batch.npy',
    'pixelprep apply samples/rocket.jpg --preset ResNet50 -o seen.png',
  );
  addDecodeOptions(command).action(async (paths: string[], _flags: ApplyFlags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<ApplyFlags>();
    // A stats file alone means standardizing with it, as its statistics are mean and std.
    if (flags.stats !== undefined && flags.method === undefined && flags.preset === undefined) flags.method = 'standardize';
    if ((flags.method === undefined) === (flags.preset === undefined)) {
      throw new PixelprepError('E_ARGUMENT', `Expected exactly one of --method or --preset but received ${flags.method === undefined ? 'neither' : 'both'}`);
    }
    if (flags.preset !== undefined) {
      const extra = (['per', 'scope', 'stats', 'range', 'target', 'scale', 'offset', 'convention'] as const).filter((k) => flags[k] !== undefined);
      if (extra.length > 0) throw new PixelprepError('E_ARGUMENT', `Expected no ${extra.map((k) => `--${k}`).join(', ')} with --preset (a preset fixes its own constants) but received them`);
    }
    if (flags.preset !== undefined && flags.depth === 'auto') {
      throw new PixelprepError('E_ARGUMENT', `Expected 8-bit decoding with --preset (Keras presets are defined on 0..255 pixels) but received --depth auto`);
    }
    const concurrency = positiveInteger('--concurrency', flags.concurrency ?? '4');
    const preset = flags.preset === undefined ? null : resolvePreset(flags.preset);
    const presetSize = preset?.size ? { width: preset.size[1], height: preset.size[0] } : undefined;
    const decode = decodeOptionsFrom(flags, preset ? { channels: 3, resize: presetSize } : {});
    const scaling: Scaling = preset ? { kind: 'preset', preset } : { kind: 'method', options: scalerOptionsFrom(flags) };
    const target = await outputKind(flags.output, flags.png);
    const output = flags.output ?? '';
    const toNpyFile = target === 'npy';
    if (target === 'npy' || target === 'png') await checkOutputFile(output, '-o');
    else if (target === 'folder') await checkOutputFolder(output, '-o');
    if (flags.png !== undefined) await checkOutputFolder(flags.png, '--png');
    const jobs = await planJobs(paths, output, target !== 'folder', flags.recursive !== false);
    // The single output file must not be one of the inputs (or the statistics) under another name.
    if (target === 'npy' || target === 'png') await checkOutputFile(output, '-o', [...jobs.map((j) => j.path), ...(flags.stats === undefined ? [] : [flags.stats])]);
    if (target === 'png' && jobs.length !== 1) {
      throw new PixelprepError('E_ARGUMENT', `Expected one input image with -o ${output} (a PNG holds one image; use --png DIR for several) but received ${jobs.length}`);
    }
    const pngOf = (path: string): string | null =>
      target === 'png' ? output : flags.png === undefined ? null : join(flags.png, `${basename(path, extname(path))}.png`);
    const resolved = resolveDecodeOptions(decode);

    // A file that fails is recorded and skipped; the others are still scaled.
    const failures = new Map<string, PixelprepError>();
    const { signal, release } = abortOnInterrupt();
    const progress = startProgress('apply', jobs.length, { enabled: flags.progress, unit: 'images' });
    const images = () => decodeEach(jobs.filter((j) => !failures.has(j.path)).map((j) => j.path), resolved, { concurrency, signal });
    try {
      const { transform, described } =
        scaling.kind === 'preset' ? presetTransform(scaling.preset) : await scalerTransform(scaling.options, flags.stats, images, failures);

      const outputOf = new Map(jobs.map((j) => [j.path, j.output]));
      const written: { path: string; output: string; shape: number[] }[] = [];
      // A stacked .npy is filled in place: one buffer for every image, not one per image plus a copy.
      const stacked: string[] = [];
      let all: Float32Array | null = null;
      let first: { path: string; shape: readonly number[] } | null = null;
      let done = failures.size;
      for await (const { path, image, error } of images()) {
        try {
          if (error) throw error;
          const output = outputOf.get(path) ?? null;
          if (!output && toNpyFile && first && first.shape.some((d, k) => d !== image.shape[k])) {
            throw new PixelprepError(
              'E_SHAPE',
              `Expected ${path} to have shape ${shapeText(first.shape)} like ${first.path} (one .npy holds images of one shape; pass --resize WxH, or write to a directory) but received ${shapeText(image.shape)}`,
            );
          }
          const n = image.data.length;
          let out: Float32Array;
          let plan: AffinePlan;
          if (output) {
            out = new Float32Array(n);
            plan = transform(image, out);
            await makeOutputFolder(dirname(output));
            await writeNpy(output, { data: out, shape: image.shape });
            written.push({ path, output, shape: [...image.shape] });
          } else if (toNpyFile) {
            first ??= { path, shape: image.shape };
            all ??= new Float32Array(jobs.length * n);
            out = all.subarray(stacked.length * n, (stacked.length + 1) * n);
            plan = transform(image, out);
            stacked.push(path);
          } else {
            out = new Float32Array(n);
            plan = transform(image, out);
          }
          const png = pngOf(path);
          if (png !== null) {
            await makeOutputFolder(dirname(png));
            await saveImage(png, { data: out, shape: image.shape }, { plan });
            written.push({ path, output: png, shape: [...image.shape] });
          }
        } catch (failure) {
          if (isPixelprepError(failure, 'E_ABORTED')) throw failure;
          failures.set(path, fileError(path, failure));
        }
        progress.update(++done);
      }
      const failed = jobs.flatMap(({ path }) => {
        const error = failures.get(path);
        return error ? [{ path, error }] : [];
      });
      // One .npy holds every input or is not written at all.
      const stackedShape = toNpyFile && first && (failed.length === 0 || flags.skipErrors) ? [stacked.length, ...first.shape] : null;
      if (stackedShape && first && all) {
        const perImage = all.length / jobs.length;
        await writeNpy(output, { data: all.subarray(0, stacked.length * perImage), shape: stackedShape });
        for (const path of stacked) written.push({ path, output, shape: [...first.shape] });
      }
      progress.stop();
      report(flags, described, written, stackedShape, failed);
      if (failed.length > 0) {
        for (const { error } of failed) reportError(error, flags.verbose === true);
        const kept = stackedShape
          ? `${output} holds the other ${stacked.length}`
          : toNpyFile
            ? `${output} was not written`
            : `${files(written.length)} written under ${output}, none for the failed inputs`;
        // Options were checked before any file was read, so a file's error is never a usage error (exit 1).
        const code = failed[0].error.code === 'E_ARGUMENT' ? 'E_IO' : failed[0].error.code;
        throw new PixelprepError(code, `Expected every input to be scaled but ${failed.length} of ${jobs.length} failed (listed above); ${kept}`);
      }
    } finally {
      progress.stop();
      release();
    }
  });
}

/** A preset's plan, built once per channel count met ('tf' and 'none' fit any; 'caffe' and 'torch' need 3). */
function presetTransform(preset: ResolvedPreset): { transform: Transform; described: Record<string, unknown> } {
  const name = preset.model?.name ?? preset.mode;
  const plans = new Map<number, AffinePlan>();
  const planFor = (channels: number): AffinePlan => {
    const known = plans.get(channels);
    if (known) return known;
    const plan = presetPlan(name, { channels });
    plans.set(channels, plan);
    return plan;
  };
  return {
    transform: (image, out) => {
      const plan = planFor(image.shape[2]);
      runPlanInto(readHostPixels(image, {}), plan, out);
      return plan;
    },
    described: { preset: name, mode: preset.mode },
  };
}

/** A scaler; scope 'batch' first fits statistics over every input that decodes, scope 'dataset' reads them from the stats file. */
async function scalerTransform(
  options: ScalerOptions,
  statsFile: string | undefined,
  images: () => AsyncIterable<DecodeOutcome>,
  failures: Map<string, PixelprepError>,
): Promise<{ transform: Transform; described: Record<string, unknown> }> {
  const stats = options.scope === 'batch' ? await fitAll(images(), failures) : statsFile ? await loadStats(statsFile) : undefined;
  const scaler = createScaler({ ...options, ...(stats ? { scope: 'dataset', stats } : {}) });
  return {
    transform: (image, out) => {
      // The plan of an image-scope scaler depends on the image: computed once and run.
      const host = readHostPixels(image, scaler);
      const plan = scaler.plan(image);
      runPlanInto(host, plan, out);
      return plan;
    },
    described: describeScaler(scaler, options.scope ?? scaler.scope, stats),
  };
}

function scalerOptionsFrom(flags: ApplyFlags): ScalerOptions {
  const method = oneOf<Method>('--method', flags.method, METHODS);
  const options: ScalerOptions = { method };
  if (flags.per !== undefined) options.per = oneOf<Per>('--per', flags.per, PERS);
  if (flags.scope !== undefined) options.scope = oneOf<Scope>('--scope', flags.scope, SCOPES);
  if (options.scope === 'dataset' && flags.stats === undefined) {
    throw new PixelprepError('E_ARGUMENT', "Expected --stats <file> with --scope dataset (fit one with 'pixelprep fit') but received none");
  }
  if (flags.stats !== undefined && options.scope !== undefined && options.scope !== 'dataset') {
    throw new PixelprepError('E_ARGUMENT', `Expected --scope dataset (or no --scope) with --stats but received --scope ${options.scope}`);
  }
  if (flags.range !== undefined) options.range = numberPair('--range', flags.range);
  if (flags.target !== undefined) options.target = numberPair('--target', flags.target);
  if (flags.scale !== undefined) options.scale = numberList('--scale', flags.scale);
  if (flags.offset !== undefined) options.offset = numberList('--offset', flags.offset);
  if (flags.convention !== undefined) options.convention = oneOf<Convention>('--convention', flags.convention, CONVENTIONS);
  if (method === 'rescale' && options.scale === undefined) throw new PixelprepError('E_ARGUMENT', 'Expected --scale (one multiplier, or one per channel) with --method rescale but received none');
  if (method !== 'rescale') {
    const unused = (['scale', 'offset'] as const).filter((k) => flags[k] !== undefined);
    if (unused.length > 0) throw new PixelprepError('E_ARGUMENT', `Expected ${unused.map((k) => `--${k}`).join(' and ')} only with --method rescale but received --method ${method}`);
  }
  return options;
}

/**
 * Statistics of every input together, for scope 'batch' (a first pass over the
 * files). Files that fail are recorded in `failures` and left out; undefined when none is left.
 */
async function fitAll(images: AsyncIterable<DecodeOutcome>, failures: Map<string, PixelprepError>): Promise<PixelStats | undefined> {
  const accumulator = new StatsAccumulator();
  for await (const { path, image, error } of images) {
    try {
      if (error) throw error;
      accumulator.add(image, path);
    } catch (failure) {
      if (isPixelprepError(failure, 'E_ABORTED')) throw failure;
      failures.set(path, fileError(path, failure));
    }
  }
  return accumulator.images > 0 ? accumulator.result() : undefined;
}

/** Where each input goes: the .npy file, or dir/<path relative to its directory argument>.npy. */
async function planJobs(paths: string[], output: string, toNpyFile: boolean, recursive: boolean): Promise<Job[]> {
  const jobs: Job[] = [];
  const owner = new Map<string, string>();
  for (const arg of paths) {
    const isDirectory = (await stat(arg).catch(() => null))?.isDirectory() ?? false;
    for (const path of await listImages([arg], { recursive })) {
      if (jobs.some((j) => j.path === path)) continue;
      if (toNpyFile) {
        jobs.push({ path, output: null });
        continue;
      }
      const name = isDirectory ? relative(arg, path) : basename(path);
      const target = join(output, `${name.slice(0, name.length - extname(name).length)}.npy`);
      const previous = owner.get(target);
      if (previous !== undefined) {
        throw new PixelprepError('E_ARGUMENT', `Expected one input per output file but ${previous} and ${path} would both write ${target}; rename one or write to a .npy file`);
      }
      owner.set(target, path);
      jobs.push({ path, output: target });
    }
  }
  if (jobs.length === 0) throw new PixelprepError('E_IO', `Expected image files in ${paths.join(', ')} but found none`);
  return jobs;
}

function describeScaler(scaler: Scaler, scope: Scope, stats: PixelStats | undefined): Record<string, unknown> {
  return {
    method: scaler.method,
    per: scaler.per,
    scope,
    ...(stats ? { stats: { images: stats.images, mean: stats.mean, std: stats.std, min: stats.min, max: stats.max } } : {}),
  };
}

function report(
  flags: ApplyFlags,
  described: Record<string, unknown>,
  written: { path: string; output: string; shape: number[] }[],
  stackedShape: number[] | null,
  failed: readonly { path: string; error: PixelprepError }[],
): void {
  if (flags.json) {
    const failures = failed.map(({ path, error }) => ({ path, code: error.code, message: error.message }));
    printJson({ output: flags.output ?? flags.png, dtype: 'float32', ...(stackedShape ? { shape: stackedShape } : {}), ...described, files: written, failed: failures });
    return;
  }
  const how = Object.entries(described)
    .map(([k, v]) => (k === 'stats' && typeof v === 'object' && v !== null ? `stats mean ${list((v as PixelStats).mean, 3)} std ${list((v as PixelStats).std, 3)}` : `${k} ${String(v)}`))
    .join(', ');
  if (stackedShape) printLines(`wrote ${flags.output ?? ''}: float32 ${shapeText(stackedShape)} (${how})`);
  else if (written.length > 0 && flags.output !== undefined && !/\.png$/i.test(flags.output)) printLines(`wrote ${files(written.length)} under ${flags.output} (${how})`);
  else if (written.length > 0) printLines(`wrote ${written.map((w) => w.output).join(', ')} (${how})`);
}

/** "1 .npy file", "3 .npy files". */
const files = (count: number): string => `${count} .npy file${count === 1 ? '' : 's'}`;

/**
 * What -o names: a .npy file for every image, a .png for one image, or a folder
 * (one that exists, a path ending in /, or a name without an extension) for one
 * .npy per image. `-o y.jpg` is an error, not a folder named y.jpg.
 * @throws PixelprepError E_ARGUMENT for an -o that is none of these, or neither -o nor --png.
 */
async function outputKind(output: string | undefined, png: string | undefined): Promise<'npy' | 'png' | 'folder' | 'none'> {
  if (output === undefined) {
    if (png === undefined) throw new PixelprepError('E_ARGUMENT', 'Expected -o <out.npy|dir/|out.png> or --png <dir> but received neither');
    return 'none';
  }
  if (/\.npy$/i.test(output)) return 'npy';
  if (/\.png$/i.test(output)) return 'png';
  // A name without an extension is a folder too, as before; one with another extension is a mistake.
  if (/[\\/]$/.test(output) || extname(output) === '' || (await stat(output).catch(() => null))?.isDirectory()) return 'folder';
  throw new PixelprepError(
    'E_ARGUMENT',
    `Expected -o to end in .npy (one file for all images), .png (one viewable image) or / (a folder of .npy files) but received '${output}'`,
  );
}
