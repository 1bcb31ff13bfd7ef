/**
 * Preprocessing of well-known non-Keras model families, as the configs their
 * publishers ship (data, not code): Hugging Face `preprocessor_config.json`
 * files, torchvision weights' `transforms` arguments, timm's defaults.
 */
import { PixelprepError } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { preprocessorFromConfig, type ConfigFormat, type FromConfigOptions } from './from_config.js';
import type { Preprocessor } from './preprocessor.js';
import { normalizePresetName } from './resolve_preset.js';

/** One published preprocessing config. */
export interface PretrainedConfig {
  /** Hub id (HF), `<builder>.<weights>` (torchvision) or `timm/<name>`. */
  readonly name: string;
  readonly format: ConfigFormat;
  /** The config as published (JSON). */
  readonly config: Readonly<Record<string, unknown>>;
}

const OPENAI_CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073];
const OPENAI_CLIP_STD = [0.26862954, 0.26130258, 0.27577711];
const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];
const HALF = [0.5, 0.5, 0.5];

/** torchvision `ImageClassification(crop_size, resize_size=256, interpolation=BILINEAR, mean=ImageNet, std=ImageNet)`. */
const tv = (name: string, crop: number, resize: number, interpolation: 'bilinear' | 'bicubic', mean = IMAGENET_MEAN, std = IMAGENET_STD): PretrainedConfig => ({
  name,
  format: 'torchvision',
  config: { crop_size: crop, resize_size: resize, interpolation, mean, std },
});

/** Every registered config. */
export const PRETRAINED_CONFIGS: readonly PretrainedConfig[] = Object.freeze([
  // huggingface.co/<id>/raw/main/preprocessor_config.json
  {
    name: 'openai/clip-vit-base-patch32',
    format: 'huggingface',
    config: { crop_size: 224, do_center_crop: true, do_normalize: true, do_resize: true, feature_extractor_type: 'CLIPFeatureExtractor', image_mean: OPENAI_CLIP_MEAN, image_std: OPENAI_CLIP_STD, resample: 3, size: 224 },
  },
  {
    name: 'google/vit-base-patch16-224',
    format: 'huggingface',
    config: { do_normalize: true, do_resize: true, feature_extractor_type: 'ViTFeatureExtractor', image_mean: HALF, image_std: HALF, resample: 2, size: 224 },
  },
  {
    name: 'facebook/deit-base-distilled-patch16-224',
    format: 'huggingface',
    config: { crop_size: 224, do_center_crop: true, do_normalize: true, do_resize: true, feature_extractor_type: 'DeiTFeatureExtractor', image_mean: IMAGENET_MEAN, image_std: IMAGENET_STD, resample: 3, size: 256 },
  },
  {
    name: 'facebook/convnext-tiny-224',
    format: 'huggingface',
    config: { crop_pct: 0.875, do_normalize: true, do_resize: true, feature_extractor_type: 'ConvNextFeatureExtractor', image_mean: IMAGENET_MEAN, image_std: IMAGENET_STD, resample: 3, size: 224 },
  },
  {
    name: 'facebook/dinov2-small',
    format: 'huggingface',
    config: {
      crop_size: { height: 224, width: 224 }, do_center_crop: true, do_convert_rgb: true, do_normalize: true, do_rescale: true, do_resize: true,
      image_mean: IMAGENET_MEAN, image_processor_type: 'BitImageProcessor', image_std: IMAGENET_STD, resample: 3, rescale_factor: 0.00392156862745098, size: { shortest_edge: 256 },
    },
  },
  {
    name: 'google/siglip-base-patch16-224',
    format: 'huggingface',
    config: {
      do_normalize: true, do_rescale: true, do_resize: true, image_mean: HALF, image_processor_type: 'SiglipImageProcessor', image_std: HALF,
      processor_class: 'SiglipProcessor', resample: 3, rescale_factor: 0.00392156862745098, size: { height: 224, width: 224 },
    },
  },
  // torchvision/models/resnet.py and efficientnet.py: Weights(transforms=partial(ImageClassification, ...))
  tv('resnet18.IMAGENET1K_V1', 224, 256, 'bilinear'),
  tv('resnet34.IMAGENET1K_V1', 224, 256, 'bilinear'),
  tv('resnet50.IMAGENET1K_V1', 224, 256, 'bilinear'),
  tv('resnet50.IMAGENET1K_V2', 224, 232, 'bilinear'),
  tv('resnet101.IMAGENET1K_V1', 224, 256, 'bilinear'),
  tv('resnet101.IMAGENET1K_V2', 224, 232, 'bilinear'),
  tv('resnet152.IMAGENET1K_V1', 224, 256, 'bilinear'),
  tv('resnet152.IMAGENET1K_V2', 224, 232, 'bilinear'),
  tv('efficientnet_b0.IMAGENET1K_V1', 224, 256, 'bicubic'),
  tv('efficientnet_b1.IMAGENET1K_V1', 240, 256, 'bicubic'),
  tv('efficientnet_b1.IMAGENET1K_V2', 240, 255, 'bilinear'),
  tv('efficientnet_b2.IMAGENET1K_V1', 288, 288, 'bicubic'),
  tv('efficientnet_b3.IMAGENET1K_V1', 300, 320, 'bicubic'),
  tv('efficientnet_b4.IMAGENET1K_V1', 380, 384, 'bicubic'),
  tv('efficientnet_b5.IMAGENET1K_V1', 456, 456, 'bicubic'),
  tv('efficientnet_b6.IMAGENET1K_V1', 528, 528, 'bicubic'),
  tv('efficientnet_b7.IMAGENET1K_V1', 600, 600, 'bicubic'),
  tv('efficientnet_v2_s.IMAGENET1K_V1', 384, 384, 'bilinear'),
  tv('efficientnet_v2_m.IMAGENET1K_V1', 480, 480, 'bilinear'),
  tv('efficientnet_v2_l.IMAGENET1K_V1', 480, 480, 'bicubic', HALF, HALF),
  // timm.data.resolve_data_config defaults (input_size 3×224×224, bicubic, DEFAULT_CROP_PCT 0.875, ImageNet mean/std).
  { name: 'timm/defaults', format: 'timm', config: { input_size: [3, 224, 224], interpolation: 'bicubic', crop_pct: 0.875, crop_mode: 'center', mean: IMAGENET_MEAN, std: IMAGENET_STD } },
]);

/**
 * The Preprocessor of a registered model (see PRETRAINED_CONFIGS and docs/conventions.md).
 * Names are compared without case or separators.
 *
 * @example
 * const dino = pretrainedPreprocessor('facebook/dinov2-small', { resample: resize });
 * @throws PixelprepError E_ARGUMENT for an unknown name.
 */
export function pretrainedPreprocessor(name: string, options: Omit<FromConfigOptions, 'format'> = {}): Preprocessor {
  const key = typeof name === 'string' ? normalizePresetName(name) : '';
  const entry = PRETRAINED_CONFIGS.find((c) => normalizePresetName(c.name) === key);
  if (!entry) {
    throw new PixelprepError('E_ARGUMENT', `Expected a registered model (e.g. 'openai/clip-vit-base-patch32', 'resnet50.IMAGENET1K_V2', 'timm/defaults'; see PRETRAINED_CONFIGS) for name but received ${describe(name)}`);
  }
  return preprocessorFromConfig(entry.config, { ...options, format: entry.format });
}
