/**
 * preprocessorFromConfig: a Python model's preprocessing config, read as data.
 *
 * - Hugging Face image processor config (`preprocessor_config.json`), applied in HF's
 *   order: convert RGB → resize → center crop → rescale → normalize, channels first.
 * - timm `pretrained_cfg` (eval transform of `timm.data.create_transform`):
 *   Resize(floor(size / crop_pct)) on the shortest edge → CenterCrop(size) → /255 → normalize.
 * - torchvision weights `transforms()` (`ImageClassification` arguments): Resize(resize_size)
 *   on the shortest edge → CenterCrop(crop_size) → /255 → normalize.
 *
 * Keys that change pixels and are not understood are refused (E_FORMAT naming them);
 * metadata keys are listed in `spec.ignoredKeys`.
 */
import { PixelprepError } from '../core/errors.js';
import { describe, isInteger, isNumber, isPlainObject } from '../core/validate.js';
import { Preprocessor, type PreprocessorOptions, type PreprocessorSpec, type ResampleKernel, type ResizeStep } from './preprocessor.js';
import type { CropRounding } from './preprocessor_geometry.js';

export const CONFIG_FORMATS = ['huggingface', 'timm', 'torchvision'] as const;
export type ConfigFormat = (typeof CONFIG_FORMATS)[number];

export interface FromConfigOptions extends PreprocessorOptions {
  /** The config's format. Default: 'timm' when it has input_size, 'torchvision' when it has resize_size or only torchvision keys, else 'huggingface'. */
  format?: ConfigFormat;
  /**
   * Center-crop offset rounding. Default: 'floor' for HF's numpy processors, 'half-even'
   * for HF fast processors (`use_fast: true`), timm and torchvision.
   */
  cropRounding?: CropRounding;
}

/** PIL's resampling enum (`PIL.Image.Resampling`) as HF configs store it. */
export const PIL_RESAMPLE: Readonly<Record<number, ResampleKernel>> = { 0: 'pil-nearest', 1: 'pil-lanczos', 2: 'pil-bilinear', 3: 'pil-bicubic', 4: 'pil-box', 5: 'pil-hamming' };

/** torchvision / timm interpolation names (on PIL images they are Pillow's filters). */
const NAMED_RESAMPLE: Readonly<Record<string, ResampleKernel>> = {
  nearest: 'pil-nearest',
  bilinear: 'pil-bilinear',
  bicubic: 'pil-bicubic',
  lanczos: 'pil-lanczos',
  box: 'pil-box',
  hamming: 'pil-hamming',
};

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/**
 * Per HF processor class: how an integer `size` is read (get_size_dict's
 * default_to_square), the default resample and do_convert_rgb, and whether crop_pct applies.
 */
const HF_PROCESSORS: Readonly<Record<string, { square: boolean; resample: number; convertRgb: boolean; cropPct?: true }>> = {
  CLIPImageProcessor: { square: false, resample: 3, convertRgb: true },
  CLIPFeatureExtractor: { square: false, resample: 3, convertRgb: true },
  BitImageProcessor: { square: false, resample: 3, convertRgb: true },
  ViTImageProcessor: { square: true, resample: 2, convertRgb: false },
  ViTFeatureExtractor: { square: true, resample: 2, convertRgb: false },
  DeiTImageProcessor: { square: true, resample: 3, convertRgb: false },
  DeiTFeatureExtractor: { square: true, resample: 3, convertRgb: false },
  SiglipImageProcessor: { square: true, resample: 3, convertRgb: true },
  ConvNextImageProcessor: { square: false, resample: 2, convertRgb: false, cropPct: true },
  ConvNextFeatureExtractor: { square: false, resample: 2, convertRgb: false, cropPct: true },
};

const HF_PIXEL_KEYS = ['do_convert_rgb', 'do_resize', 'size', 'resample', 'do_center_crop', 'crop_size', 'do_rescale', 'rescale_factor', 'do_normalize', 'image_mean', 'image_std', 'crop_pct', 'use_fast'];
const HF_INERT_KEYS = ['image_processor_type', 'feature_extractor_type', 'processor_class', '_processor_class', 'auto_map', 'transformers_version', 'input_data_format', 'data_format', 'do_reduce_labels', 'reduce_labels'];
const TIMM_PIXEL_KEYS = ['input_size', 'interpolation', 'crop_pct', 'crop_mode', 'mean', 'std'];
const TIMM_INERT_KEYS = [
  'url', 'hf_hub_id', 'hf_hub_filename', 'architecture', 'tag', 'custom_load', 'test_input_size', 'test_crop_pct', 'fixed_input_size', 'min_input_size',
  'num_classes', 'pool_size', 'first_conv', 'classifier', 'license', 'description', 'origin_url', 'paper_ids', 'paper_name', 'notes', 'label_names', 'label_descriptions', 'source', 'file',
];
const TORCHVISION_PIXEL_KEYS = ['crop_size', 'resize_size', 'interpolation', 'mean', 'std', 'antialias'];

/**
 * Reads a Python model's preprocessing config and returns a `Preprocessor` whose
 * `apply(image)` gives the tensor the Python side gives (float32 [N, 3, h, w]).
 *
 * @param config the parsed JSON of an HF `preprocessor_config.json`, a timm `pretrained_cfg`, or
 *   a torchvision weights' `ImageClassification` arguments ({ crop_size, resize_size, interpolation, mean, std }).
 * @param options format (default: detected), cropRounding, resample (the Pillow-exact resampler,
 *   needed when an image must be resized), kernel.
 * @throws PixelprepError E_FORMAT naming unknown pixel-changing keys or malformed values.
 * @example
 * const clip = preprocessorFromConfig(JSON.parse(preprocessorConfigJson), { resample: resize });
 * const pixelValues = clip.apply({ data: rgb, shape: [480, 640, 3] }); // [1, 3, 224, 224]
 */
export function preprocessorFromConfig(config: unknown, options: FromConfigOptions = {}): Preprocessor {
  if (!isPlainObject(config)) throw new PixelprepError('E_FORMAT', `Expected a preprocessing config object (preprocessor_config.json, pretrained_cfg or weights transforms) but received ${describe(config)}`);
  const { format: formatOption, cropRounding, ...rest } = options;
  const format = formatOption ?? detectFormat(config);
  if (!(CONFIG_FORMATS as readonly string[]).includes(format)) throw new PixelprepError('E_ARGUMENT', `Expected format among ${CONFIG_FORMATS.map((f) => `'${f}'`).join(', ')} but received ${describe(format)}`);
  const spec = format === 'huggingface' ? fromHuggingFace(config, cropRounding) : format === 'timm' ? fromTimm(config, cropRounding) : fromTorchvision(config, cropRounding);
  return new Preprocessor(spec, rest);
}

function detectFormat(config: Record<string, unknown>): ConfigFormat {
  if ('input_size' in config) return 'timm';
  const keys = Object.keys(config);
  if ('resize_size' in config || (keys.length > 0 && keys.every((k) => TORCHVISION_PIXEL_KEYS.includes(k)) && !('image_mean' in config))) return 'torchvision';
  return 'huggingface';
}

/** Sorts the keys into read, ignored (metadata, or a disabled do_* step) and refused; throws on refused. */
function sortKeys(config: Record<string, unknown>, pixelKeys: readonly string[], inertKeys: readonly string[], what: string): string[] {
  const ignored: string[] = [];
  const refused: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (pixelKeys.includes(key)) continue;
    if (inertKeys.includes(key) || (key.startsWith('do_') && (value === false || value === null))) ignored.push(key);
    else refused.push(key);
  }
  if (refused.length > 0) {
    throw new PixelprepError(
      'E_FORMAT',
      `Expected only keys pixelprep reproduces in the ${what} config (${pixelKeys.join(', ')}; metadata is ignored) but received ${refused.map((k) => `'${k}'`).join(', ')}, which may change pixels`,
    );
  }
  return ignored;
}

const bad = (what: string, expected: string, value: unknown): never => {
  throw new PixelprepError('E_FORMAT', `Expected ${expected} for ${what} but received ${describe(value)}`);
};

const positiveInt = (what: string, value: unknown): number => (isInteger(value) && value >= 1 ? value : bad(what, 'a positive integer', value));

function numberList(what: string, value: unknown): number[] {
  const list = isNumber(value) ? [value] : Array.isArray(value) ? value : null;
  if (!list || list.length === 0 || !list.every(isNumber)) return bad(what, 'a number or a list of numbers', value);
  return [...list];
}

function stdList(what: string, value: unknown): number[] {
  const list = numberList(what, value);
  if (list.some((s) => s === 0)) bad(what, 'non-zero values (torchvision: "std evaluated to zero")', value);
  return list;
}

const flag = (config: Record<string, unknown>, key: string, fallback: boolean): boolean => {
  const v = config[key];
  if (v === undefined || v === null) return fallback;
  return typeof v === 'boolean' ? v : bad(key, 'true or false', v);
};

/** HF `get_size_dict`: an int is square or shortest-edge by processor; dicts keep their keys. */
function hfSize(what: string, value: unknown, square: boolean): ResizeStep {
  if (isInteger(value)) return square ? { mode: 'exact', height: positiveInt(what, value), width: value } : { mode: 'shortest-edge', size: positiveInt(what, value) };
  if (!isPlainObject(value)) return bad(what, 'an integer or { shortest_edge } or { height, width }', value);
  const keys = Object.keys(value).sort().join(',');
  if (keys === 'shortest_edge') return { mode: 'shortest-edge', size: positiveInt(`${what}.shortest_edge`, value.shortest_edge) };
  if (keys === 'height,width') return { mode: 'exact', height: positiveInt(`${what}.height`, value.height), width: positiveInt(`${what}.width`, value.width) };
  return bad(what, '{ shortest_edge } or { height, width } (longest_edge and max_size are not reproduced)', value);
}

function fromHuggingFace(config: Record<string, unknown>, cropRounding: CropRounding | undefined): PreprocessorSpec {
  const typeName = String(config.image_processor_type ?? config.feature_extractor_type ?? '');
  const type = HF_PROCESSORS[typeName.replace(/Fast$/, '')];
  const ignoredKeys = sortKeys(config, type?.cropPct ? HF_PIXEL_KEYS : HF_PIXEL_KEYS.filter((k) => k !== 'crop_pct'), HF_INERT_KEYS, 'Hugging Face image processor');
  const rounding = cropRounding ?? (config.use_fast === true || typeName.endsWith('Fast') ? 'half-even' : 'floor');
  const doResize = flag(config, 'do_resize', true);
  if (doResize && config.size === undefined) bad('size', 'a size when do_resize is true', undefined);
  if (doResize && !type && isInteger(config.size)) {
    bad('size', `{ shortest_edge } or { height, width } (an integer size depends on the processor class, and '${typeName}' is not one pixelprep knows: ${Object.keys(HF_PROCESSORS).join(', ')})`, config.size);
  }
  const resampleValue = config.resample ?? type?.resample;
  const kernel = PIL_RESAMPLE[resampleValue as number] ?? bad('resample', 'a PIL resampling enum 0-5 (0 nearest, 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming)', resampleValue);
  let resize: ResizeStep | null = doResize ? hfSize('size', config.size, type?.square ?? false) : null;
  let crop: PreprocessorSpec['crop'] = null;
  if (flag(config, 'do_center_crop', false)) {
    const c = hfSize('crop_size', config.crop_size, true);
    if (c.mode !== 'exact') bad('crop_size', 'an integer or { height, width }', config.crop_size);
    else crop = { height: c.height, width: c.width, rounding };
  }
  if (type?.cropPct && resize) {
    // ConvNextImageProcessor.resize: below 384, shortest edge to int(size / crop_pct) then crop size × size; else warp to size × size.
    if (resize.mode !== 'shortest-edge') return bad('size', '{ shortest_edge } for ConvNeXt', config.size);
    const cropPct = config.crop_pct ?? 224 / 256;
    if (!isNumber(cropPct) || cropPct <= 0 || cropPct > 1) bad('crop_pct', 'a number in (0, 1]', cropPct);
    const edge = resize.size;
    if (edge < 384) {
      resize = { mode: 'shortest-edge', size: Math.trunc(edge / (cropPct as number)) };
      crop = { height: edge, width: edge, rounding };
    } else {
      resize = { mode: 'exact', height: edge, width: edge };
    }
  }
  const doRescale = flag(config, 'do_rescale', true);
  const rescaleFactor = config.rescale_factor ?? 1 / 255;
  if (!isNumber(rescaleFactor) || rescaleFactor === 0) bad('rescale_factor', 'a non-zero number', rescaleFactor);
  const doNormalize = flag(config, 'do_normalize', true);
  if (doNormalize && (config.image_mean === undefined || config.image_std === undefined)) bad('image_mean/image_std', 'both when do_normalize is true', config.image_mean ?? config.image_std);
  const layout = config.data_format === 'channels_last' ? 'channels_last' : 'channels_first';
  return {
    source: `huggingface ${typeName || 'image processor'}`,
    convertRgb: flag(config, 'do_convert_rgb', type?.convertRgb ?? false),
    resize,
    kernel,
    crop,
    rescale: doRescale ? (rescaleFactor as number) : 1,
    mean: doNormalize ? numberList('image_mean', config.image_mean) : null,
    std: doNormalize ? stdList('image_std', config.image_std) : null,
    layout,
    ignoredKeys,
  };
}

function namedKernel(what: string, value: unknown, fallback: string): ResampleKernel {
  const name = value ?? fallback;
  return (typeof name === 'string' ? NAMED_RESAMPLE[name.toLowerCase()] : undefined) ?? bad(what, `one of ${Object.keys(NAMED_RESAMPLE).join(', ')}`, name);
}

function fromTimm(config: Record<string, unknown>, cropRounding: CropRounding | undefined): PreprocessorSpec {
  const ignoredKeys = sortKeys(config, TIMM_PIXEL_KEYS, TIMM_INERT_KEYS, 'timm pretrained_cfg');
  const inputSize = config.input_size;
  if (!Array.isArray(inputSize) || inputSize.length !== 3 || !inputSize.every((d) => isInteger(d) && d >= 1)) bad('input_size', '[channels, height, width]', inputSize);
  const [, height, width] = inputSize as number[];
  const cropPct = config.crop_pct ?? 0.875;
  if (!isNumber(cropPct) || cropPct <= 0) bad('crop_pct', 'a positive number', cropPct);
  const mode = config.crop_mode ?? 'center';
  if (mode !== 'center' && mode !== 'squash') bad('crop_mode', "'center' or 'squash' ('border' is not reproduced)", mode);
  if (height !== width && mode === 'center') bad('input_size', "a square size for crop_mode 'center' (timm's ResizeKeepRatio is not reproduced)", inputSize);
  // timm transforms_factory (eval): scale_size = floor(img_size / crop_pct).
  const scale = Math.floor(height / (cropPct as number));
  const scaleWidth = Math.floor(width / (cropPct as number));
  return {
    source: 'timm pretrained_cfg',
    convertRgb: true,
    resize: mode === 'center' ? { mode: 'shortest-edge', size: scale } : { mode: 'exact', height: scale, width: scaleWidth },
    kernel: namedKernel('interpolation', config.interpolation, 'bicubic'),
    crop: { height, width, rounding: cropRounding ?? 'half-even' },
    rescale: 1 / 255,
    mean: numberList('mean', config.mean ?? IMAGENET_MEAN),
    std: stdList('std', config.std ?? IMAGENET_STD),
    layout: 'channels_first',
    ignoredKeys,
  };
}

function fromTorchvision(config: Record<string, unknown>, cropRounding: CropRounding | undefined): PreprocessorSpec {
  const ignoredKeys = sortKeys(config, TORCHVISION_PIXEL_KEYS, [], 'torchvision weights transforms');
  const one = (what: string, value: unknown) => positiveInt(what, Array.isArray(value) && value.length === 1 ? value[0] : value);
  const crop = one('crop_size', config.crop_size);
  if (config.antialias === false) bad('antialias', 'true (on PIL images torchvision resizes with Pillow)', config.antialias);
  return {
    source: 'torchvision ImageClassification',
    convertRgb: true,
    resize: { mode: 'shortest-edge', size: one('resize_size', config.resize_size ?? 256) },
    kernel: namedKernel('interpolation', config.interpolation, 'bilinear'),
    crop: { height: crop, width: crop, rounding: cropRounding ?? 'half-even' },
    rescale: 1 / 255,
    mean: numberList('mean', config.mean ?? IMAGENET_MEAN),
    std: stdList('std', config.std ?? IMAGENET_STD),
    layout: 'channels_first',
    ignoredKeys,
  };
}
