/** The root entry bundles for browsers: no Node built-in and no sharp is reachable from it. */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

describe('browser bundle of pixelprep', () => {
  it('bundles src/index.ts for platform browser with tfjs external and pulls in no Node built-in or sharp', async () => {
    const result = await build({
      entryPoints: [`${root}src/index.ts`],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      external: ['@tensorflow/*'],
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((p) => p.startsWith('node:') || /(^|\/)node_modules\/(sharp|@img|webgpu)\//.test(p))).toEqual([]);
    expect(inputs.filter((p) => p.startsWith('src/node/') || p.startsWith('src/cli/') || p.startsWith('src/bench/'))).toEqual([]);
    // The bundle is real: it contains the core and the kernels.
    expect(inputs).toContain('src/core/plan.ts');
    expect(result.outputFiles[0].text.length).toBeGreaterThan(10_000);
  });

  it('fails on a Node built-in, so the check above can fail', async () => {
    await expect(
      build({ stdin: { contents: "import 'node:fs';", resolveDir: root }, bundle: true, platform: 'browser', write: false, logLevel: 'silent' }),
    ).rejects.toThrow(/node:fs/);
  });
});
