/**
 * The Keras applications: each model's preprocessing mode and default input
 * size, as Keras defines them (`keras.applications.<module>.preprocess_input`
 * and the `default_size` its constructor passes to `obtain_input_shape`).
 */
import type { PresetMode } from './modes.js';

/** One pretrained model: how its inputs must be scaled and its default input size. */
export interface ModelPreset {
  /** The Keras class name, e.g. 'ResNet50', 'EfficientNetV2S'. */
  readonly name: string;
  /** Other spellings that resolve to this model (besides case, '_' and '-' variants, which always do). */
  readonly aliases?: readonly string[];
  /** The Keras module whose `preprocess_input` the model uses, e.g. 'resnet_v2'. */
  readonly module: string;
  /** The preprocessing mode; 'none' when the model rescales inside itself and takes 0..255 floats. */
  readonly mode: PresetMode;
  /** Default input size [height, width] in pixels. */
  readonly size: readonly [number, number];
  /** What the model does to its input, where that is not obvious from the mode. */
  readonly notes?: string;
}

type Row = readonly [name: string, size: number, aliases?: readonly string[]];

/** Rows of one Keras module: every model in a module shares its preprocessing. */
const family = (module: string, mode: PresetMode, rows: readonly Row[], notes?: string): ModelPreset[] =>
  rows.map(([name, size, aliases]) => ({
    name,
    module,
    mode,
    size: [size, size] as const,
    ...(aliases ? { aliases } : {}),
    ...(notes ? { notes } : {}),
  }));

const INCLUDES_RESCALING_255 = 'Rescaling(1/255) inside the model';

/** Every registered model, in the order of the Keras applications table. */
export const MODELS: readonly ModelPreset[] = Object.freeze([
  ...family('vgg16', 'caffe', [['VGG16', 224]]),
  ...family('vgg19', 'caffe', [['VGG19', 224]]),
  ...family('resnet', 'caffe', [['ResNet50', 224], ['ResNet101', 224], ['ResNet152', 224]]),
  ...family('resnet_v2', 'tf', [['ResNet50V2', 224], ['ResNet101V2', 224], ['ResNet152V2', 224]]),
  ...family('inception_v3', 'tf', [['InceptionV3', 299]]),
  ...family('inception_resnet_v2', 'tf', [['InceptionResNetV2', 299]]),
  ...family('xception', 'tf', [['Xception', 299]]),
  ...family('mobilenet', 'tf', [['MobileNet', 224, ['MobileNetV1']]]),
  ...family('mobilenet_v2', 'tf', [['MobileNetV2', 224]]),
  ...family('mobilenet_v3', 'none', [['MobileNetV3Small', 224], ['MobileNetV3Large', 224]], 'Rescaling(1/127.5, offset -1) inside the model'),
  ...family('densenet', 'torch', [['DenseNet121', 224], ['DenseNet169', 224], ['DenseNet201', 224]]),
  ...family('nasnet', 'tf', [['NASNetMobile', 224], ['NASNetLarge', 331]]),
  ...family(
    'efficientnet',
    'none',
    [['EfficientNetB0', 224], ['EfficientNetB1', 240], ['EfficientNetB2', 260], ['EfficientNetB3', 300], ['EfficientNetB4', 380], ['EfficientNetB5', 456], ['EfficientNetB6', 528], ['EfficientNetB7', 600]],
    `${INCLUDES_RESCALING_255}, then ImageNet mean/std Normalization`,
  ),
  ...family(
    'efficientnet_v2',
    'none',
    [['EfficientNetV2B0', 224], ['EfficientNetV2B1', 240], ['EfficientNetV2B2', 260], ['EfficientNetV2B3', 300]],
    `${INCLUDES_RESCALING_255}, then ImageNet mean/std Normalization`,
  ),
  ...family('efficientnet_v2', 'none', [['EfficientNetV2S', 384], ['EfficientNetV2M', 480], ['EfficientNetV2L', 480]], 'Rescaling(1/128, offset -1) inside the model'),
  ...family(
    'convnext',
    'none',
    [['ConvNeXtTiny', 224], ['ConvNeXtSmall', 224], ['ConvNeXtBase', 224], ['ConvNeXtLarge', 224], ['ConvNeXtXLarge', 224]],
    'Normalization by the ImageNet mean/std (x 255) inside the model',
  ),
  // keras.applications.resnet_rs: preprocess_input is a pass-through; include_preprocessing=True
  // puts Rescaling(1/255) and Normalization(mean, variance = std²) in the model. default_size is 224;
  // the 'imagenet' weights are the largest trained size (DEPTH_TO_WEIGHT_VARIANTS).
  ...family(
    'resnet_rs',
    'none',
    [['ResNetRS50', 224], ['ResNetRS101', 224], ['ResNetRS152', 224], ['ResNetRS200', 224], ['ResNetRS270', 224], ['ResNetRS350', 224], ['ResNetRS420', 224]],
    `${INCLUDES_RESCALING_255}, then ImageNet mean/std Normalization (weights trained at 160 (RS50), 192 (RS101), 256 (RS152-RS270), 320 (RS350, RS420))`,
  ),
  ...family(
    'regnet',
    'none',
    ['X', 'Y'].flatMap((kind) => ['002', '004', '006', '008', '016', '032', '040', '064', '080', '120', '160', '320'].map((flops): Row => [`RegNet${kind}${flops}`, 224])),
    `${INCLUDES_RESCALING_255} (tf.keras 2.x; not in Keras 3)`,
  ),
]);
