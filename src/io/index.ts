/** Image files in and out: decoding with sharp, resizing, batches from folders, .npy and PNG output. */
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
