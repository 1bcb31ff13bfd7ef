/**
 * The layers of src/, lowest first. A file may import its own layer and the
 * layers below it, never one above; no import circles; nothing below node/
 * reaches a Node built-in or sharp, so the root entry bundles for browsers.
 */
const LAYERS = [
  ['core'],
  ['kernels'],
  ['backends'],
  ['presets', 'whitening', 'dataset', 'resample'],
  ['layers'],
  ['node'],
  ['cli', 'bench'],
];

const folder = (names) => `^src/(${names.join('|')})/`;
const above = (i) => LAYERS.slice(i + 1).flat();
const BROWSER_SAFE = LAYERS.slice(0, LAYERS.findIndex((l) => l.includes('node'))).flat();

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import circles hide the layering.', from: {}, to: { circular: true } },
    ...LAYERS.slice(0, -1).map((layer, i) => ({
      name: `no-upward-from-${layer.join('-')}`,
      severity: 'error',
      comment: `${layer.join('/')} may import only itself and the layers below it.`,
      from: { path: folder(layer) },
      to: { path: folder(above(i)) },
    })),
    {
      name: 'browser-safe-below-node',
      severity: 'error',
      comment: 'Everything below node/ runs in browsers: no Node built-in, no sharp.',
      from: { path: folder(BROWSER_SAFE) },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-sharp-below-node',
      severity: 'error',
      from: { path: folder(BROWSER_SAFE) },
      to: { path: '^node_modules/sharp/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
