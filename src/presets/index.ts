/** Keras-style preprocess_input presets and the model registry. */
export { PRESET_MODES, MODE_FORMULAS, type ModeFormula, type PresetMode } from './modes.js';
export { MODELS, type ModelPreset } from './models.js';
export { closePresetNames, normalizePresetName, resolvePreset, type ResolvedPreset } from './resolve_preset.js';
export { presetPlan, type PresetPlanOptions } from './preset_plan.js';
export { deprocessInput, preprocessInput, type PreprocessOptions } from './preprocess_input.js';
