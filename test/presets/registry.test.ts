/**
 * The model registry against the Keras applications source, read independently:
 * each model's preprocess_input mode and constructor default_size
 * (keras/src/applications/*.py; RegNet from tf.keras 2.x keras/applications/regnet.py).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PixelprepError } from '../../src/core/errors.js';
import { MODELS, PRESET_MODES, presetPlan, resolvePreset } from '../../src/index.js';
import { closePresetNames } from '../../src/presets/resolve_preset.js';

/** [name, mode, default size] as the Keras source defines them. */
const KERAS: readonly (readonly [string, string, number])[] = [
  ['VGG16', 'caffe', 224], ['VGG19', 'caffe', 224],
  ['ResNet50', 'caffe', 224], ['ResNet101', 'caffe', 224], ['ResNet152', 'caffe', 224],
  ['ResNet50V2', 'tf', 224], ['ResNet101V2', 'tf', 224], ['ResNet152V2', 'tf', 224],
  ['InceptionV3', 'tf', 299], ['InceptionResNetV2', 'tf', 299], ['Xception', 'tf', 299],
  ['MobileNet', 'tf', 224], ['MobileNetV2', 'tf', 224],
  ['MobileNetV3Small', 'none', 224], ['MobileNetV3Large', 'none', 224],
  ['DenseNet121', 'torch', 224], ['DenseNet169', 'torch', 224], ['DenseNet201', 'torch', 224],
  ['NASNetMobile', 'tf', 224], ['NASNetLarge', 'tf', 331],
  ['EfficientNetB0', 'none', 224], ['EfficientNetB1', 'none', 240], ['EfficientNetB2', 'none', 260], ['EfficientNetB3', 'none', 300],
  ['EfficientNetB4', 'none', 380], ['EfficientNetB5', 'none', 456], ['EfficientNetB6', 'none', 528], ['EfficientNetB7', 'none', 600],
  ['EfficientNetV2B0', 'none', 224], ['EfficientNetV2B1', 'none', 240], ['EfficientNetV2B2', 'none', 260], ['EfficientNetV2B3', 'none', 300],
  ['EfficientNetV2S', 'none', 384], ['EfficientNetV2M', 'none', 480], ['EfficientNetV2L', 'none', 480],
  ['ConvNeXtTiny', 'none', 224], ['ConvNeXtSmall', 'none', 224], ['ConvNeXtBase', 'none', 224], ['ConvNeXtLarge', 'none', 224], ['ConvNeXtXLarge', 'none', 224],
  // keras/applications/resnet_rs.py: obtain_input_shape(default_size=224), preprocess_input a pass-through.
  ...[50, 101, 152, 200, 270, 350, 420].map((depth) => [`ResNetRS${depth}`, 'none', 224] as const),
  ...['X', 'Y'].flatMap((k) => ['002', '004', '006', '008', '016', '032', '040', '064', '080', '120', '160', '320'].map((f) => [`RegNet${k}${f}`, 'none', 224] as const)),
];

/** 'ResNet50V2' → 'res_net_50_v2': a snake spelling derived here, not by the code under test. */
const snake = (name: string) => name.replace(/([a-z])([A-Z0-9])|([0-9])([A-Za-z])/g, (_, a, b, c, d) => `${a ?? c}_${b ?? d}`).toLowerCase();

describe('registry', () => {
  it('holds exactly the Keras applications, with their modes and default sizes', () => {
    expect(MODELS.map((m) => [m.name, m.mode, m.size[0]])).toEqual(KERAS.map((row) => [...row]));
    for (const model of MODELS) expect(model.size[1]).toBe(model.size[0]);
  });

  it.each(KERAS.map((row) => [...row]))('%s resolves by name, lower case, upper case and snake case to %s at %i', (name, mode, size) => {
    for (const spelling of [name, name.toLowerCase(), name.toUpperCase(), snake(name), ` ${name.replace(/([0-9]+)/, '-$1')} `]) {
      const resolved = resolvePreset(spelling);
      expect(resolved.model?.name, spelling).toBe(name);
      expect(resolved.mode).toBe(mode);
      expect(resolved.size).toEqual([size, size]);
    }
  });

  it('accepts the Keras spellings people type', () => {
    const cases: [string, string][] = [
      ['resnet50', 'ResNet50'], ['mobilenet_v2', 'MobileNetV2'], ['efficientnetb3', 'EfficientNetB3'], ['ResNet50V2', 'ResNet50V2'],
      ['inception_v3', 'InceptionV3'], ['inception_resnet_v2', 'InceptionResNetV2'], ['nasnet_mobile', 'NASNetMobile'],
      ['efficientnet_v2_s', 'EfficientNetV2S'], ['EfficientNetV2-B0', 'EfficientNetV2B0'], ['convnext_tiny', 'ConvNeXtTiny'],
      ['regnetx002', 'RegNetX002'], ['mobilenet_v3_small', 'MobileNetV3Small'], ['densenet121', 'DenseNet121'], ['mobilenet_v1', 'MobileNet'],
      ['keras.applications.xception'.slice('keras.applications.'.length), 'Xception'],
    ];
    for (const [spelling, name] of cases) expect(resolvePreset(spelling).model?.name, spelling).toBe(name);
  });

  it('resolves modes to the mode alone, in any case', () => {
    for (const mode of PRESET_MODES) {
      expect(resolvePreset(mode)).toEqual({ mode });
      expect(resolvePreset(mode.toUpperCase())).toEqual({ mode });
    }
  });

  it("resolves Keras module names to their models' shared mode, without a model or size", () => {
    const modules = new Map<string, Set<string>>();
    for (const m of MODELS) modules.set(m.module, (modules.get(m.module) ?? new Set()).add(m.mode));
    for (const [module, modes] of modules) {
      expect(modes.size, `${module} mixes modes`).toBe(1);
      const resolved = resolvePreset(module);
      expect(resolved.mode).toBe([...modes][0]);
    }
    expect(resolvePreset('resnet_v2')).toEqual({ mode: 'tf' });
    expect(resolvePreset('efficientnet')).toEqual({ mode: 'none' });
    expect(resolvePreset('densenet')).toEqual({ mode: 'torch' });
  });

  it('no two models share a spelling', () => {
    const keys = MODELS.flatMap((m) => [m.name, ...(m.aliases ?? [])]).map((n) => n.toLowerCase().replace(/[\s_.-]/g, ''));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('an unknown name is E_ARGUMENT listing the close matches', () => {
    const attempt = (name: string) => {
      try {
        resolvePreset(name);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const typo = attempt('resnet5O');
    expect(typo).toBeInstanceOf(PixelprepError);
    expect((typo as PixelprepError).code).toBe('E_ARGUMENT');
    expect((typo as PixelprepError).message).toMatch(/received 'resnet5O' of type string; close matches: ResNet50\b/);
    const b8 = closePresetNames('efficientnetb8');
    expect(b8).toHaveLength(5);
    for (const name of b8) expect(name).toMatch(/^EfficientNetB[0-7]$/);
    expect(closePresetNames('densnet121')[0]).toBe('DenseNet121');
    expect(closePresetNames('mobilenetv4')).toEqual(expect.arrayContaining(['MobileNetV2']));
    const far = attempt('yolo-v8') as PixelprepError;
    expect(far.code).toBe('E_ARGUMENT');
    expect(far.message).toMatch(/see MODELS/);
    expect(() => resolvePreset('')).toThrow(PixelprepError);
    expect(() => resolvePreset(undefined as unknown as string)).toThrow(/received undefined/);
  });

  it("each model's plan is its mode's plan", () => {
    for (const model of MODELS) expect(presetPlan(model.name).toJSON()).toEqual(presetPlan(model.mode).toJSON());
  });

  it('docs/presets.md lists every model with its module, mode and size, and nothing else', async () => {
    const text = await readFile(new URL('../../docs/presets.md', import.meta.url), 'utf8');
    const rows = [...text.matchAll(/^\| (\w+) \| `(\w+)` \| (\w+) \| (\d+) × (\d+) \|/gm)].map((m) => [m[1], m[2], m[3], Number(m[4]), Number(m[5])]);
    expect(rows).toEqual(MODELS.map((m) => [m.name, m.module, m.mode, m.size[0], m.size[1]]));
  });
});
