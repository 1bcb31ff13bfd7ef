/**
 * The built package loads both ways from a plain Node process: `import` and
 * `require` (Node ≥ 20.19 requires an ES module without top-level await), by
 * the package's own name as a consumer writes it. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `code` in a fresh Node from the repository root (where 'pixelprep' names this package). */
function node(args: string[], code: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--no-warnings', ...args, code], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

// x / 255 for three pixels, and what float32 makes of it.
const CHECK = "const y = m.scale({ data: Uint8Array.of(0, 51, 255), shape: [1, 3, 1] }, { method: 'normalize' }).dataSync(); console.log(JSON.stringify(Array.from(y)));";
const EXPECTED = [0, 51 / 255, 1].map(Math.fround);

describe('module formats', () => {
  it("require('pixelprep') returns the API (CommonJS consumer)", () => {
    const run = node(['-e'], `const m = require('pixelprep'); ${CHECK}`);
    expect(run.stderr).not.toMatch(/Error|already registered/);
    expect(JSON.parse(run.stdout)).toEqual(EXPECTED);
  });

  it("import('pixelprep') returns the same API (ES module consumer)", () => {
    const run = node(['--input-type=module', '-e'], `const m = await import('pixelprep'); ${CHECK}`);
    expect(run.stderr).not.toMatch(/Error|already registered/);
    expect(JSON.parse(run.stdout)).toEqual(EXPECTED);
  });

  it.each(['pixelprep/node', 'pixelprep/bench'])('require(%s) works', (entry) => {
    const run = node(['-e'], `const m = require('${entry}'); console.log(Object.keys(m).length)`);
    expect(run.stderr).not.toMatch(/Error|already registered/);
    expect(Number(run.stdout)).toBeGreaterThan(5);
  });

  it('pixelprep/layers without @tensorflow/tfjs-layers is a PixelprepError naming the package to install', () => {
    // A resolve hook hides the installed peer, as a project without it would be.
    const hook = `data:text/javascript,${encodeURIComponent(
      "export async function resolve(s, c, next) { if (s === '@tensorflow/tfjs-layers') { const e = new Error(\"Cannot find package '@tensorflow/tfjs-layers'\"); e.code = 'ERR_MODULE_NOT_FOUND'; throw e; } return next(s, c); }",
    )}`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(hook)});`;
    const run = node(
      ['--input-type=module', '--import', `data:text/javascript,${encodeURIComponent(register)}`, '-e'],
      "try { await import('pixelprep/layers'); console.log('loaded'); } catch (e) { console.log(e.name, e.code, e.message); }",
    );
    expect(run.stdout).toMatch(/^PixelprepError E_BACKEND Expected the optional peer @tensorflow\/tfjs-layers .*npm install @tensorflow\/tfjs-layers/);
  });

  it('pixelprep/layers loads when the peer is installed', () => {
    const run = node(['--input-type=module', '-e'], "const m = await import('pixelprep/layers'); console.log(typeof m.PixelScaling.fromPreset, typeof m.scaleDataset)");
    expect(run.stdout).toBe('function function');
  });
});
