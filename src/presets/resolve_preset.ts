/**
 * Names to presets: a mode ('caffe', 'tf', 'torch', 'none'), a Keras model
 * ('ResNet50', 'efficientnetb3', 'mobilenet_v2') or a Keras module
 * ('resnet_v2', 'efficientnet'), compared without case, '_', '-', ' ' or '.'.
 */
import { PixelprepError } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { editDistance } from './edit_distance.js';
import { PRESET_MODES, type PresetMode } from './modes.js';
import { MODELS, type ModelPreset } from './models.js';

/** What a preset name resolves to. */
export interface ResolvedPreset {
  /** The model, when the name is a model (not a mode or a module). */
  model?: ModelPreset;
  /** The preprocessing mode. */
  mode: PresetMode;
  /** The model's default input size [height, width], when the name is a model. */
  size?: [number, number];
}

/** The spelling names are compared in: lower case without separators. */
export const normalizePresetName = (name: string): string => name.toLowerCase().replace(/[\s_.-]/g, '');

interface Entry {
  readonly display: string;
  readonly resolve: () => ResolvedPreset;
}

/** Every accepted spelling, by normalized name. Modes win over models, models over modules. */
const ENTRIES: ReadonlyMap<string, Entry> = (() => {
  const entries = new Map<string, Entry>();
  const add = (display: string, resolve: () => ResolvedPreset) => {
    const key = normalizePresetName(display);
    if (!entries.has(key)) entries.set(key, { display, resolve });
  };
  for (const mode of PRESET_MODES) add(mode, () => ({ mode }));
  for (const model of MODELS) {
    const resolve = () => ({ model, mode: model.mode, size: [model.size[0], model.size[1]] as [number, number] });
    add(model.name, resolve);
    // An alias suggests the model's own name.
    for (const alias of model.aliases ?? []) {
      const key = normalizePresetName(alias);
      if (!entries.has(key)) entries.set(key, { display: model.name, resolve });
    }
  }
  for (const model of MODELS) add(model.module, () => ({ mode: model.mode }));
  return entries;
})();

/** How many suggestions an unknown name gets, at most. */
const MAX_SUGGESTIONS = 5;

/** Known names within a small edit distance of `name` (at most 2, or a third of its length), closest first. */
export function closePresetNames(name: string): string[] {
  const key = normalizePresetName(name);
  if (key.length === 0) return [];
  const limit = Math.max(2, Math.floor(key.length / 3));
  const best = new Map<string, number>();
  for (const [candidate, entry] of ENTRIES) {
    const distance = editDistance(key, candidate);
    if (distance <= limit && distance < (best.get(entry.display) ?? Infinity)) best.set(entry.display, distance);
  }
  return [...best.entries()]
    .sort(([a, da], [b, db]) => da - db || a.localeCompare(b))
    .slice(0, MAX_SUGGESTIONS)
    .map(([display]) => display);
}

/**
 * Resolves a mode, a Keras model name or a Keras module name to its preset.
 * Case, '_', '-', ' ' and '.' are ignored: 'ResNet50V2', 'resnet50v2' and
 * 'resnet_50_v2' are the same model; 'resnet_v2' (the module) gives its mode only.
 *
 * @param nameOrMode 'caffe' | 'tf' | 'torch' | 'none', a model such as 'ResNet50', or a module such as 'efficientnet'.
 * @returns `{ mode }`, plus `model` and `size` ([height, width]) when the name is a model.
 * @throws PixelprepError E_ARGUMENT for a name that is not a string or not known, listing the close matches.
 * @example
 * resolvePreset('mobilenet_v2'); // { model: { name: 'MobileNetV2', ... }, mode: 'tf', size: [224, 224] }
 * resolvePreset('caffe');        // { mode: 'caffe' }
 */
export function resolvePreset(nameOrMode: string): ResolvedPreset {
  if (typeof nameOrMode !== 'string') {
    throw new PixelprepError('E_ARGUMENT', `Expected a model name or a mode (${PRESET_MODES.map((m) => `'${m}'`).join(', ')}) for preset but received ${describe(nameOrMode)}`);
  }
  const entry = ENTRIES.get(normalizePresetName(nameOrMode));
  if (entry) return entry.resolve();
  const close = closePresetNames(nameOrMode);
  const hint = close.length > 0 ? `; close matches: ${close.join(', ')}` : '; see MODELS (docs/presets.md) for the registered names';
  throw new PixelprepError(
    'E_ARGUMENT',
    `Expected a Keras model name (e.g. 'ResNet50', 'mobilenet_v2') or a mode (${PRESET_MODES.map((m) => `'${m}'`).join(', ')}) for preset but received ${describe(nameOrMode)}${hint}`,
  );
}
