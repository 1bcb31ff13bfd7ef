/**
 * pixelprep/node: files. Decoding and saving images with sharp, folders and
 * batches, `.npy`, resumable and sharded dataset fits over files, stats and
 * whitening files (written atomically), and a file handler for tfjs models.
 */
export {
  ALPHA_MODES,
  DECODE_CHANNELS,
  DECODE_DEPTHS,
  DEFAULT_LIMIT_INPUT_PIXELS,
  decodeImage,
  type AlphaMode,
  type DecodeChannels,
  type DecodeDepth,
  type DecodedImage,
  type DecodeOptions,
} from './decode_image.js';
export { RESIZE_FITS, RESIZE_KERNELS, parseSize, type ResizeFit, type ResizeKernel, type ResizeOptions } from './resize.js';
export { IMAGE_EXTENSIONS, hasImageExtension } from './image_extensions.js';
export { listImages, type ListImagesOptions } from './list_images.js';
export { loadBatches, type LoadBatchesOptions, type LoadedBatch } from './batch_loader.js';
export { decodeNpy, encodeNpy, readNpy, writeNpy, type NpyArray } from './npy.js';
export { PNG_DEPTHS, saveImage, type PngDepth, type SaveImageOptions } from './save_image.js';
export { rawToTensor } from './to_tensor.js';
export { fitFiles, type FileFitProgress, type FitFilesOptions } from './fit_files.js';
export { checkShard, formatShard, parseShard, shardPaths, type Shard } from './shard.js';
export { mergeShards } from './merge_shards.js';
export { STATS_FORMAT, STATS_VERSION, loadStats, saveStats, statsFromJSON, statsToJSON, type StatsFileJSON } from './stats_file.js';
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type FitCheckpoint } from './checkpoint.js';
export { loadWhitening, saveWhitening } from './whitening_file.js';
export { fileModelHandler } from './file_model_handler.js';
