/** `pixelprep merge <a.json> <b.json>... -o all.json`: statistics of shards merged into one. */
import type { Command } from 'commander';
import { mergeShards } from '../../node/merge_shards.js';
import { loadStats, saveStats, statsToJSON } from '../../node/stats_file.js';
import { statsTable } from '../format.js';
import { examples, type GlobalOptions } from '../options.js';
import { printJson, printLines } from '../output.js';
import { checkOutputFile } from '../output_path.js';

interface MergeFlags extends GlobalOptions {
  output: string;
}

/** Registers `merge` on the program. */
export function registerMergeCommand(program: Command): void {
  program
    .command('merge')
    .description('merge stats files of disjoint parts (e.g. shards) into the statistics of the whole (Chan et al., exact)')
    .addHelpText('after', examples('pixelprep merge part-0.json part-1.json -o stats.json'))
    .argument('<files...>', 'stats files written by pixelprep fit')
    .requiredOption('-o, --output <all.json>', 'stats file to write (atomically)')
    .action(async (files: string[], _flags: MergeFlags, cmd: Command) => {
      const flags = cmd.optsWithGlobals<MergeFlags>();
      await checkOutputFile(flags.output, '-o', files);
      const parts = [];
      for (const file of files) parts.push(await loadStats(file));
      const merged = mergeShards(...parts);
      await saveStats(flags.output, merged);
      if (flags.json) {
        printJson({ output: flags.output, parts: files.length, stats: statsToJSON(merged) });
        return;
      }
      const shard = merged.source?.shard;
      const coverage = shard ? `, shards ${shard.indices.length} of ${shard.count}${shard.indices.length < shard.count ? ' (incomplete)' : ''}` : '';
      printLines(`merged ${files.length} parts: ${merged.images} images, ${merged.count} values per channel${coverage}`, statsTable(merged, 6), `wrote ${flags.output}`);
    });
}
