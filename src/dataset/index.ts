/** Dataset statistics: streaming fit, stats files, shard-and-merge, resumable file fits. */
export { fitStats, type FitOptions } from './fit_stats.js';
export { fitFiles, type FileFitProgress, type FitFilesOptions } from './fit_files.js';
export { StatsAccumulator, type AccumulatorOptions, type AccumulatorState } from './stats_accumulator.js';
export type { DatasetLike, FitProgress, PixelSource } from './pixel_source.js';
export { checkShard, formatShard, parseShard, shardPaths, type Shard } from './shard.js';
export { mergeShards } from './merge_shards.js';
export { STATS_FORMAT, STATS_VERSION, loadStats, saveStats, statsFromJSON, statsToJSON, type StatsFileJSON } from './stats_file.js';
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type FitCheckpoint } from './checkpoint.js';
export type { JsonValue, StatsSource } from '../stats/pixel_stats.js';
