/** `pixelprep stats <paths...>`: float64 statistics of each image and of all of them. */
import type { Command } from 'commander';
import { computeStats } from '../../core/compute_stats.js';
import { StatsAccumulator } from '../../dataset/stats_accumulator.js';
import { PixelprepError } from '../../core/errors.js';
import { pixelDtypeOf } from '../../core/input.js';
import { loadBatches } from '../../node/batch_loader.js';
import { listImages } from '../../node/list_images.js';
import type { PixelStats } from '../../core/pixel_stats.js';
import { shapeText, statsTable } from '../format.js';
import { abortOnInterrupt } from '../interrupt.js';
import { addDecodeOptions, decodeOptionsFrom, positiveInteger, type DecodeFlags, type GlobalOptions } from '../options.js';
import { printJson, printLines } from '../output.js';
import { startProgress } from '../progress.js';

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
  addDecodeOptions(command).action(async (paths: string[], _flags: StatsFlags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<StatsFlags>();
    const decode = decodeOptionsFrom(flags);
    const concurrency = positiveInteger('--concurrency', flags.concurrency ?? '4');
    const files = await listImages(paths, { recursive: flags.recursive !== false });
    if (files.length === 0) throw new PixelprepError('E_IO', `Expected image files in ${paths.join(', ')} but found none`);

    const overall = new StatsAccumulator();
    const images: ImageReport[] = [];
    let dtype: string | null = null;
    const progress = startProgress('stats', files.length, { enabled: flags.progress, unit: 'images' });
    const { signal, release } = abortOnInterrupt();
    try {
      for await (const { batch, paths: [path] } of loadBatches(files, { ...decode, batchSize: 1, concurrency, signal })) {
        const image = { data: batch.data, shape: batch.shape.slice(1) };
        const kind = pixelDtypeOf(image.data);
        // Statistics of 8-bit and 16-bit pixels do not pool into anything meaningful.
        if (dtype !== null && kind !== dtype) {
          throw new PixelprepError('E_DTYPE', `Expected ${path} to decode to ${dtype} like the images before it but received ${kind}; pass --depth uint8 to read every file at 8 bits`);
        }
        dtype = kind;
        images.push({ path, shape: [...image.shape], dtype: kind, stats: computeStats(image) });
        try {
          overall.add(image, path);
        } catch (error) {
          if (error instanceof PixelprepError && error.code === 'E_SHAPE') {
            throw new PixelprepError('E_SHAPE', `${error.message}; pass --channels 1 or --channels 3 to read every file with the same channel count`, { cause: error });
          }
          throw error;
        }
        progress.update(images.length);
      }
    } finally {
      progress.stop();
      release();
    }
    const total = overall.result();
    if (flags.json) {
      printJson({ images, overall: total });
      return;
    }
    for (const r of images) printLines(`${r.path}  ${shapeText(r.shape)} ${r.dtype}`, statsTable(r.stats), '');
    printLines(`overall: ${total.images} images, ${total.count} values per channel`, statsTable(total));
  });
}
