/**
 * `pixelprep demo`: the scaling tutorial on a bundled photograph. For each
 * method it prints what the tutorial prints (dtype, min/max, means, stds
 * before and after), then fits statistics over the other bundled photographs
 * and applies them to a held-back one.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { computeStats } from '../../core/compute_stats.js';
import { fitFiles } from '../../node/fit_files.js';
import { PixelprepError } from '../../core/errors.js';
import { pixelDtypeOf, readHostPixels, type RawBatch } from '../../core/input.js';
import { decodeImage, type DecodedImage, type DecodeOptions } from '../../node/decode_image.js';
import { runPlanInto } from '../../kernels/index.js';
import type { AffinePlan } from '../../core/plan.js';
import { presetPlan } from '../../presets/preset_plan.js';
import { createScaler, type ScalerOptions } from '../../core/scaler.js';
import type { PixelStats } from '../../core/pixel_stats.js';
import { fixed, list, shapeText } from '../format.js';
import { examples, type GlobalOptions } from '../options.js';
import { printJson, printLines } from '../output.js';
import { samplesDirectory } from '../package_info.js';

/** The photograph the walkthrough scales, and the ones it fits dataset statistics on. */
const PHOTO = { file: 'chelsea.jpg', about: 'Chelsea the cat, photographed by Stefan van der Walt, CC0; see samples/SOURCES.md' };
const FIT_ON = ['chelsea.jpg', 'rocket.jpg', 'astronaut.webp', 'retina.png'];
const HELD_BACK = 'coffee.png';
const SIZE = 224;
const DECODE: DecodeOptions = { channels: 3, resize: { width: SIZE, height: SIZE } };

/** One step of the walkthrough: a name, the formula, and how to scale. */
interface Step {
  name: string;
  formula: string;
  scaler?: ScalerOptions;
  plan?: () => AffinePlan;
}

const STEPS: readonly Step[] = [
  { name: 'normalize', formula: 'x / 255, into [0, 1]', scaler: { method: 'normalize' } },
  { name: 'center (global)', formula: 'x - mean, one mean for all channels', scaler: { method: 'center', per: 'global' } },
  { name: 'center (per channel)', formula: 'x - mean[c]', scaler: { method: 'center', per: 'channel' } },
  { name: 'standardize (global)', formula: '(x - mean) / std', scaler: { method: 'standardize', per: 'global' } },
  { name: 'standardize (per channel)', formula: '(x - mean[c]) / std[c]', scaler: { method: 'standardize', per: 'channel' } },
  { name: 'positive-standardize', formula: 'clip((x - mean) / std, -1, 1) * 0.5 + 0.5, into [0, 1]', scaler: { method: 'positive-standardize', per: 'global' } },
  { name: 'min-max (per channel)', formula: '(x - min[c]) / (max[c] - min[c])', scaler: { method: 'min-max' } },
  { name: "preset 'tf' (MobileNetV2, EfficientNetV2...)", formula: 'x / 127.5 - 1, into [-1, 1]', plan: () => presetPlan('tf', { channels: 3 }) },
  { name: "preset 'caffe' (ResNet50, VGG16...)", formula: 'RGB to BGR, then x - ImageNet mean[c] (BGR)', plan: () => presetPlan('caffe', { channels: 3 }) },
];

/** The figures the tutorial prints for an array. */
interface Summary {
  dtype: string;
  shape: number[];
  min: number;
  max: number;
  mean: number[];
  std: number[];
  globalMean: number;
  globalStd: number;
}

function summarize(x: RawBatch): Summary {
  const s: PixelStats = computeStats(x);
  return { dtype: pixelDtypeOf(x.data), shape: [...x.shape], min: s.global.min, max: s.global.max, mean: s.mean, std: s.std, globalMean: s.global.mean, globalStd: s.global.std };
}

const summaryLines = (s: Summary, digits: number): string[] => [
  `  ${s.dtype} ${shapeText(s.shape)}  min ${fixed(s.min, digits)}  max ${fixed(s.max, digits)}`,
  `  means ${list(s.mean, digits)}  stds ${list(s.std, digits)}  (all channels: mean ${fixed(s.globalMean, digits)}, std ${fixed(s.globalStd, digits)})`,
];

function scaleImage(image: DecodedImage, step: Step): RawBatch {
  const out = new Float32Array(image.data.length);
  if (step.scaler) createScaler(step.scaler).applyInto(image, out);
  else if (step.plan) runPlanInto(readHostPixels(image, {}), step.plan(), out);
  return { data: out, shape: image.shape };
}

/** Registers `demo` on the program. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('walk through every scaling method on a bundled photograph, then fit statistics over the bundled photographs and reuse them on a held-back one')
    .addHelpText('after', examples('pixelprep demo'))
    .action(async (_flags: GlobalOptions, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalOptions>();
      const folder = samplesDirectory();
      const at = (name: string) => join(folder, name);
      const photo = await decodeImage(at(PHOTO.file), DECODE).catch((error: unknown) => {
        throw new PixelprepError('E_IO', `Expected the bundled sample photographs in ${folder} but could not read ${PHOTO.file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      });
      const before = summarize(photo);
      const steps = STEPS.map((step) => ({ name: step.name, formula: step.formula, after: summarize(scaleImage(photo, step)) }));

      // Round trip: any plan's inverse gives back the pixels.
      const standardize = createScaler({ method: 'standardize' });
      const plan = standardize.plan(photo);
      const scaled = standardize.applyInto(photo, new Float32Array(photo.data.length));
      const restored = new Float32Array(scaled.length);
      runPlanInto(readHostPixels({ data: scaled, shape: photo.shape }, {}), plan.inverse(), restored);
      let roundTripError = 0;
      restored.forEach((v, i) => {
        roundTripError = Math.max(roundTripError, Math.abs(Math.round(v) - photo.data[i]));
      });

      const dataset = await fitFiles(FIT_ON.map(at), { decode: (path) => decodeImage(path, DECODE), range: [0, 255] });
      const heldBack = await decodeImage(at(HELD_BACK), DECODE);
      const withDataset = summarize(scaleImage(heldBack, { name: '', formula: '', scaler: { method: 'standardize', stats: dataset } }));
      const withOwn = summarize(scaleImage(heldBack, { name: '', formula: '', scaler: { method: 'standardize' } }));

      if (flags.json) {
        printJson({
          photo: { file: `samples/${PHOTO.file}`, about: PHOTO.about, decode: DECODE },
          before,
          methods: steps,
          roundTrip: { method: 'standardize', maxAbsoluteError: roundTripError },
          dataset: { files: FIT_ON.map((f) => `samples/${f}`), images: dataset.images, mean: dataset.mean, std: dataset.std },
          heldBack: { file: `samples/${HELD_BACK}`, before: summarize(heldBack), standardizedWithDatasetStats: withDataset, standardizedWithItsOwnStats: withOwn },
        });
        return;
      }
      printLines(
        'pixelprep demo: scaling pixel values for deep learning',
        '',
        `Photograph: samples/${PHOTO.file} (${PHOTO.about})`,
        `decoded with sharp (EXIF orientation applied, the same values as Pillow), centre-cropped to ${SIZE}x${SIZE}.`,
        '',
        'Before scaling:',
        ...summaryLines(before, 3),
      );
      for (const s of steps) printLines('', `${s.name}: ${s.formula}`, ...summaryLines(s.after, 4));
      printLines(
        '',
        `Inverse: standardize, then plan.inverse(), rounds back to the original pixels (largest difference ${roundTripError}).`,
        '',
        `Dataset statistics, fitted in float64 over ${dataset.images} bundled photographs (${FIT_ON.join(', ')}):`,
        `  means ${list(dataset.mean, 3)}  stds ${list(dataset.std, 3)}`,
        '',
        `Held-back photograph samples/${HELD_BACK}, standardized with the dataset statistics:`,
        ...summaryLines(withDataset, 4),
        '  (near 0 and 1 but not exactly: the statistics come from other photographs, as at inference time)',
        `With its own statistics instead (scope 'image'): means ${list(withOwn.mean, 4)}  stds ${list(withOwn.std, 4)}`,
        '',
        'Next: pixelprep stats samples/ --channels 3 | pixelprep fit <dir> -o stats.json --resize 224x224 --channels 3 | pixelprep apply <files> --stats stats.json --method standardize -o out.npy',
      );
    });
}
