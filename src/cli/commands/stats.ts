/** `pixelprep stats <paths...>`: float64 statistics of each image and of all of them. */
import type { Command } from 'commander';
import { computeStats } from '../../core/compute_stats.js';
import { StatsAccumulator } from '../../dataset/stats_accumulator.js';
import { PixelprepError } from '../../core/errors.js';
import { pixelDtypeOf } from '../../core/input.js';
import { resolveDecodeOptions } from '../../node/decode_image.js';
import { listImages } from '../../node/list_images.js';
import type { PixelStats } from '../../core/pixel_stats.js';
import { shapeText, statsTable } from '../format.js';
import { decodeEach } from '../decode_each.js';
import { abortOnInterrupt } from '../interrupt.js';
import { addDecodeOptions, addExample, decodeOptionsFrom, positiveInteger, type DecodeFlags, type GlobalOptions } from '../options.js';
import { printJson, printLines } from '../output.js';
import { startProgress } from '../progress.js';
import { failIfSkipped, type SkippedFile } from '../skipped_files.js';

interface StatsFlags extends DecodeFlags, GlobalOptions {
  concurrency?: string;
}

/** One image's line in the report. */
interface ImageReport {
  path: string;
  shape: number[];
  dtype: string;
  stats: PixelStats;
}

/** Registers `stats` on the program. */
export function registerStatsCommand(program: Command): void {
  const command = program
    .command('stats')
    .description('per-image and overall statistics (per channel and global, float64): count, mean, std (population), min, max')
    .argument('<paths...>', 'image files or directories')
    .option('--concurrency <n>', 'images decoded at once', '4');
  addExample(command, 'pixelprep stats samples/', 'pixelprep stats photo.jpg --channels keep --json');
  addDecodeOptions(command).action(async (paths: string[], _flags: StatsFlags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<StatsFlags>();
    const decode = decodeOptionsFrom(flags);
    const concurrency = positiveInteger('--concurrency', flags.concurrency ?? '4');
    const files = await listImages(paths, { recursive: flags.recursive !== false });
    if (files.length === 0) throw new PixelprepError('E_IO', `Expected image files in ${paths.join(', ')} but found none`);

    const overall = new StatsAccumulator();
    const images: ImageReport[] = [];
    const skipped: SkippedFile[] = [];
    let dtype: string | null = null;
    const progress = startProgress('stats', files.length, { enabled: flags.progress, unit: 'images' });
    const { signal, release } = abortOnInterrupt();
    try {
      for await (const { path, image, error } of decodeEach(files, resolveDecodeOptions(decode), { concurrency, signal })) {
        try {
          if (error) throw error;
          const kind = pixelDtypeOf(image.data);
          // Statistics of 8-bit and 16-bit pixels do not pool into anything meaningful.
          if (dtype !== null && kind !== dtype) {
            throw new PixelprepError('E_DTYPE', `Expected ${path} to decode to ${dtype} like the images before it but received ${kind}; pass --depth uint8 to read every file at 8 bits`);
          }
          overall.add(image, path);
          dtype = kind;
          images.push({ path, shape: [...image.shape], dtype: kind, stats: computeStats(image) });
        } catch (failure) {
          const named = failure instanceof PixelprepError && failure.code === 'E_SHAPE'
            ? new PixelprepError('E_SHAPE', `${failure.message}; pass --channels 1 or --channels 3 to read every file with the same channel count`, { cause: failure })
            : failure;
          if (!flags.skipErrors || !(named instanceof PixelprepError) || named.code === 'E_ABORTED') throw named;
          skipped.push({ path, error: named });
        }
        progress.update(images.length + skipped.length);
      }
    } finally {
      progress.stop();
      release();
    }
    if (images.length === 0) failIfSkipped(skipped, files.length, flags.verbose === true, 'no statistics to report');
    const total = overall.result();
    if (flags.json) {
      printJson({ images, overall: total, skipped: skipped.map(({ path, error }) => ({ path, code: error.code, message: error.message })) });
    } else {
      for (const r of images) printLines(`${r.path}  ${shapeText(r.shape)} ${r.dtype}`, statsTable(r.stats), '');
      printLines(`overall: ${total.images} images, ${total.count} values per channel`, statsTable(total));
    }
    failIfSkipped(skipped, files.length, flags.verbose === true, `the statistics above leave them out`);
  });
}
