/**
 * `pixelprep fit <paths...> -o stats.json`: dataset statistics, sharded and resumable.
 *
 * The stats file is written once, atomically, when every file has been
 * counted: a fit stopped by a bad file, Ctrl-C or SIGTERM leaves the previous
 * stats file as it was and, with --checkpoint, a checkpoint the same command resumes from.
 */
import { Option, type Command } from 'commander';
import { fitFiles } from '../../node/fit_files.js';
import { parseShard } from '../../node/shard.js';
import { saveStats, statsToJSON } from '../../node/stats_file.js';
import { PixelprepError } from '../../core/errors.js';
import { decodeResolved, resolveDecodeOptions } from '../../node/decode_image.js';
import { listImages } from '../../node/list_images.js';
import { PERS, type Per } from '../../core/methods.js';
import { shapeText, statsTable } from '../format.js';
import { abortOnInterrupt } from '../interrupt.js';
import { addDecodeOptions, addExample, decodeOptionsFrom, positiveInteger, resizeRecord, type DecodeFlags, type GlobalOptions } from '../options.js';
import { printJson, printLines } from '../output.js';
import { checkFitOutputs, checkOutputFile } from '../output_path.js';
import { startProgress } from '../progress.js';
import { failIfSkipped, type SkippedFile } from '../skipped_files.js';
import { oneOf } from '../../core/validate.js';

interface FitFlags extends DecodeFlags, GlobalOptions {
  output: string;
  shard?: string;
  checkpoint?: string;
  checkpointEvery?: string;
  concurrency?: string;
  per?: string;
  mixedDepths?: boolean;
}

/** Registers `fit` on the program. */
export function registerFitCommand(program: Command): void {
  const command = program
    .command('fit')
    .description('fit float64 dataset statistics over image files and save them as a stats file')
    .argument('<paths...>', 'image files or directories (sorted; every file counted once)')
    .requiredOption('-o, --output <stats.json>', 'stats file to write (atomically)')
    .option('--shard <i/n>', "fit only shard i of n (0-based), e.g. '3/8' for a job array; merge the parts with 'pixelprep merge'")
    .option('--checkpoint <file>', 'resume from and save progress to this file')
    .option('--checkpoint-every <n>', 'files between checkpoint saves', '100')
    .option('--concurrency <n>', 'files decoded ahead', '4')
    .option('--mixed-depths', 'pool files of different bit depths (8- and 16-bit) into one fit instead of refusing them')
    .addOption(new Option('--per <per>', "'channel' (default): one set per channel; 'global': every channel pooled").choices([...PERS]));
  addExample(command, 'pixelprep fit samples/ -o stats.json --resize 224x224', 'pixelprep fit train/ -o part-0.json --shard 0/4 --checkpoint part-0.ckpt --skip-errors');
  addDecodeOptions(command).action(async (paths: string[], _flags: FitFlags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<FitFlags>();
    const decodeOptions = decodeOptionsFrom(flags);
    const decode = resolveDecodeOptions(decodeOptions);
    const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
    const per = flags.per === undefined ? undefined : oneOf<Per>('--per', flags.per, PERS);
    // Found out now rather than when the fit is done (or at the first checkpoint).
    await checkOutputFile(flags.output, '-o');
    if (flags.checkpoint !== undefined) await checkOutputFile(flags.checkpoint, '--checkpoint');
    const files = await listImages(paths, { recursive: flags.recursive !== false });
    if (files.length === 0) throw new PixelprepError('E_IO', `Expected image files in ${paths.join(', ')} but found none`);
    await checkFitOutputs(flags.output, flags.checkpoint, files);

    const resize = resizeRecord(decodeOptions);
    const source = { decoder: 'sharp', ...(resize ? { resize } : {}), ...(decode.depth === 'uint8' ? {} : { depth: decode.depth }) };
    const { signal, release } = abortOnInterrupt();
    let progress: ReturnType<typeof startProgress> | null = null;
    let shape: readonly number[] = [];
    let stats;
    const skipped: SkippedFile[] = [];
    try {
      stats = await fitFiles(files, {
        decode: async (path) => {
          const image = await decodeResolved(path, decode);
          shape = image.shape;
          return image;
        },
        shard,
        checkpoint: flags.checkpoint,
        checkpointEvery: positiveInteger('--checkpoint-every', flags.checkpointEvery ?? '100'),
        concurrency: positiveInteger('--concurrency', flags.concurrency ?? '4'),
        range: decode.depth === 'uint8' ? [0, 255] : undefined,
        per,
        ...(flags.mixedDepths ? { mixedDepths: true } : {}),
        source,
        signal,
        ...(flags.skipErrors ? { onFileError: (path: string, error: PixelprepError) => void skipped.push({ path, error: withChannelsHint(error) }) } : {}),
        onProgress: ({ files: done, totalFiles }) => {
          progress ??= startProgress(shard ? `fit ${shard.index}/${shard.count}` : 'fit', totalFiles, { enabled: flags.progress, unit: 'files' });
          progress.update(done);
        },
      });
    } catch (error) {
      if (error instanceof PixelprepError && error.code === 'E_ABORTED') {
        const next = flags.checkpoint ? `run the same command again to resume from ${flags.checkpoint}` : `${flags.output} was not written (pass --checkpoint FILE to make a fit resumable)`;
        throw new PixelprepError('E_ABORTED', `${error.message}; ${next}`, { cause: error });
      }
      throw error instanceof PixelprepError ? withChannelsHint(error) : error;
    } finally {
      (progress as ReturnType<typeof startProgress> | null)?.stop();
      release();
    }
    await saveStats(flags.output, stats);
    if (flags.json) {
      printJson({ output: flags.output, stats: statsToJSON(stats), skipped: skipped.map(({ path, error }) => ({ path, code: error.code, message: error.message })) });
    } else {
      printLines(
        `fitted ${stats.images} images (${stats.count} values per channel${shape.length ? `, last shape ${shapeText(shape)}` : ''})${shard ? `, shard ${shard.index}/${shard.count}` : ''}`,
        statsTable(stats, 6),
        `wrote ${flags.output}`,
      );
    }
    failIfSkipped(skipped, files.length, flags.verbose === true, `${flags.output} was written without them`);
  });
}

/** A channel-count mismatch says which flag reads every file alike. */
function withChannelsHint(error: PixelprepError): PixelprepError {
  if (error.code !== 'E_SHAPE' || error.message.includes('--channels')) return error;
  return new PixelprepError('E_SHAPE', `${error.message}; pass --channels 1 or --channels 3 to read every file with the same channel count`, { cause: error });
}
