/**
 * A rehearsal of the GPU host kit on software Vulkan (Mesa lavapipe): build
 * gpu-kit.tar.xz (or reuse one newer than everything that goes in), unpack it
 * outside the repository, and run `run.sh --quick` with a PATH that holds no
 * Node, so the kit must use its own. The results must exist, parse, name the
 * software adapter, and record passed correctness checks. Then the messages
 * for a missing Vulkan loader or ICD file, and the kit's own loader.
 *
 * Runs in CI (CI=true) whatever happens; elsewhere it skips, with the reason,
 * when there is no WebGPU adapter.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unavailableReason } from '../webgpu/webgpu_lane.js';

const repo = resolve(import.meta.dirname, '..', '..');
/** Tools run.sh calls; the rehearsal PATH holds only these (no node). */
const TOOLS = ['bash', 'sh', 'env', 'date', 'dirname', 'basename', 'mkdir', 'tee', 'sed', 'grep', 'head', 'cut', 'tr', 'ls', 'cat', 'rm', 'ln', 'timeout', 'uname', 'ldd', 'getconf', 'awk'];
/** Checks check.mjs makes on one lane: 5 methods × 2 per × 2 scope × 2 layouts × 4 input kinds, 2 device statistics, 2 full-size batches. */
const WEBGPU_CHECKS = 5 * 2 * 2 * 2 * 4 + 2 + 2;

function newestMtime(path: string): number {
  if (!existsSync(path)) return Infinity;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** gpu-kit.tar.xz at the repository root when it is newer than all it is built from, else null. */
function freshKit(): string | null {
  const kit = join(repo, 'gpu-kit.tar.xz');
  if (!existsSync(kit)) return null;
  const built = statSync(kit).mtimeMs;
  const inputs = ['dist', 'src', 'scripts/gpu-kit', 'package.json', 'package-lock.json'].map((p) => newestMtime(join(repo, p)));
  return inputs.every((t) => t < built) ? kit : null;
}

interface Run {
  status: number | null;
  output: string;
}

function runKit(work: string, args: string[], env: Record<string, string> = {}, timeoutMs = 150_000): Run {
  const result = spawnSync(join(work, 'gpu-kit', 'run.sh'), args, {
    cwd: work,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { PATH: join(work, 'bin'), HOME: work, LANG: 'C.UTF-8', ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const runHere = unavailableReason === null || process.env.CI === 'true';
/** run.sh's budget here: lavapipe on a shared 2-core machine needs about a minute; the run ends sooner when it can. */
const BUDGET_SECONDS = 120;

describe.runIf(runHere)('GPU host kit rehearsal on software Vulkan', () => {
  let work = '';
  let main: Run = { status: null, output: '' };
  let seconds = 0;

  beforeAll(() => {
    if (unavailableReason !== null) throw new Error(`The kit rehearsal must run in CI but there is no WebGPU adapter: ${unavailableReason}`);
    work = mkdtempSync(join(tmpdir(), 'pixelprep-gpu-kit-'));
    let kit = freshKit();
    const buildStarted = performance.now();
    if (!kit) {
      kit = join(work, 'gpu-kit.tar.xz');
      mkdirSync(join(work, 'stage'));
      const build = spawnSync(process.execPath, ['scripts/gpu-kit/build.mjs', '--xz-preset', '0', '--out', kit, '--stage', join(work, 'stage', 'gpu-kit')], { cwd: repo, encoding: 'utf8' });
      expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
      rmSync(join(work, 'stage'), { recursive: true, force: true });
    }
    const unpackStarted = performance.now();
    const unpack = spawnSync('tar', ['xf', kit], { cwd: work, encoding: 'utf8' });
    expect(unpack.status, unpack.stderr).toBe(0);
    console.log(`kit rehearsal: ${kit.startsWith(work) ? 'built' : 'reused'} ${kit} (${(statSync(kit).size / 2 ** 20).toFixed(1)} MiB) in ${((unpackStarted - buildStarted) / 1000).toFixed(1)} s, unpacked in ${((performance.now() - unpackStarted) / 1000).toFixed(1)} s`);
    mkdirSync(join(work, 'bin'));
    for (const tool of TOOLS) {
      const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      if (found) symlinkSync(found, join(work, 'bin', tool));
    }
    for (const ldconfig of ['/sbin/ldconfig', '/usr/sbin/ldconfig']) {
      if (existsSync(ldconfig)) {
        symlinkSync(ldconfig, join(work, 'bin', 'ldconfig'));
        break;
      }
    }
    const started = performance.now();
    main = runKit(work, ['--quick', '--budget', String(BUDGET_SECONDS), '--', '--batches', '1,8']);
    seconds = (performance.now() - started) / 1000;
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs with no Node on PATH, on its own Node, within its budget', () => {
    const probe = spawnSync(join(work, 'bin', 'bash'), ['-c', 'command -v node || echo none'], { env: { PATH: join(work, 'bin') }, encoding: 'utf8' });
    expect(probe.stdout.trim()).toBe('none');
    expect(main.status, main.output).toBe(0);
    expect(main.output).toContain(`node: ${join(work, 'gpu-kit', 'bin', 'node')}`);
    expect(main.output).toMatch(/vulkan loader: \S*libvulkan\.so\.1/);
    expect(main.output).toMatch(/adapter: .*llvmpipe/);
    expect(seconds).toBeLessThan(BUDGET_SECONDS + 10);
    console.log(`kit rehearsal: run.sh --quick took ${seconds.toFixed(1)} s`);
  });

  it('passes every webgpu correctness check on the software adapter', () => {
    const check = JSON.parse(readFileSync(join(work, 'gpu-kit', 'results', 'check.json'), 'utf8'));
    expect(check.format).toBe('pixelprep-gpu-kit-check');
    expect(check.node).toContain(join(work, 'gpu-kit', 'bin', 'node'));
    expect(check.adapter.software).toBe(true);
    expect(check.adapter.description).toMatch(/llvmpipe|lavapipe/);
    const webgpu = check.lanes.find((l: { backend: string }) => l.backend === 'webgpu');
    expect(webgpu.failures).toEqual([]);
    expect(webgpu.skipped).toEqual([]);
    expect(webgpu.passed).toBe(WEBGPU_CHECKS);
    expect(webgpu.worstError).toBeLessThanOrEqual(1e-6);
    expect(check.passed).toBe(true);
    expect(check.complete).toBe(true);
  });

  it('writes the benchmark reports, naming the software adapter', () => {
    const results = join(work, 'gpu-kit', 'results');
    const bench = JSON.parse(readFileSync(join(results, 'bench.json'), 'utf8'));
    expect(bench.format).toBe('pixelprep-bench');
    expect(bench.budget.finished).toBe(true);
    expect(bench.gpu.adapter.software).toBe(true);
    expect(bench.gpu.adapter.description).toMatch(/llvmpipe|lavapipe/);
    expect(bench.gpu.bandwidthSource).toBe('host memcpy (software adapter)');
    const has = (backend: string, impl: string) => bench.rows.some((r: { backend: string; impl: string }) => r.backend === backend && r.impl === impl);
    for (const [backend, impl] of [['webgpu', 'scale'], ['webgpu', 'opChain'], ['cpu', 'scale'], ['wasm', 'scale'], ['cpu', 'opChain']]) expect(has(backend, impl), `${backend} ${impl}`).toBe(true);
    const fused = bench.phases.filter((p: { kernel: string }) => p.kernel === 'fused');
    expect(fused.length).toBeGreaterThan(0);
    for (const p of fused) {
      expect(p.uploadMs).toBeGreaterThan(0);
      expect(p.kernelMs).toBeGreaterThan(0);
      expect(p.downloadMs).toBeGreaterThan(0);
      // float32 out: 4 bytes a value; packed uint8 in: a quarter of that, rounded up to words.
      expect(p.downloadBytes).toBe(p.batch * p.size * p.size * 3 * 4);
      expect(p.uploadBytes).toBe(4 * Math.ceil((p.batch * p.size * p.size * 3) / 4));
    }
    const markdown = readFileSync(join(results, 'bench.md'), 'utf8');
    expect(markdown).toContain('SOFTWARE adapter');
    expect(markdown).toContain('## Upload, kernel and readback on webgpu');
    expect(readFileSync(join(results, 'bench.svg'), 'utf8')).toMatch(/^<svg/);
    expect(readFileSync(join(results, 'run.log'), 'utf8')).toContain('correctness: passed');
  });

  it('links an installed tfjs-node-gpu into the kit for the tensorflow lane, with the kit\'s tfjs-core', () => {
    // A stand-in for tfjs-node-gpu (which cannot be installed here): it registers the tfjs cpu kernels under
    // the name 'tensorflow' with whichever tfjs-core it resolves, and needs a package only the host has.
    // The host's own tfjs-core is a decoy that throws: resolving it would mean two copies in one process.
    const host = join(work, 'host', 'node_modules');
    const write = (path: string, text: string) => {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
    };
    write(join(host, '@tensorflow', 'tfjs-node-gpu', 'package.json'), '{ "name": "@tensorflow/tfjs-node-gpu", "version": "0.0.0-stand-in", "main": "index.js" }\n');
    write(
      join(host, '@tensorflow', 'tfjs-node-gpu', 'index.js'),
      [
        "const tf = require('@tensorflow/tfjs-core');",
        "const { MathBackendCPU } = require('@tensorflow/tfjs-backend-cpu');",
        "require('host-only-dependency');",
        "for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });",
        "tf.registerBackend('tensorflow', () => new MathBackendCPU(), 0);",
      ].join('\n'),
    );
    write(join(host, 'host-only-dependency', 'package.json'), '{ "name": "host-only-dependency", "version": "1.0.0", "main": "index.js" }\n');
    write(join(host, 'host-only-dependency', 'index.js'), 'module.exports = 1;\n');
    write(join(host, '@tensorflow', 'tfjs-core', 'package.json'), '{ "name": "@tensorflow/tfjs-core", "version": "0.0.0-decoy", "main": "index.js" }\n');
    write(join(host, '@tensorflow', 'tfjs-core', 'index.js'), "throw new Error('the host tfjs-core was loaded: two copies of tfjs-core');\n");
    const out = join(work, 'tensorflow-results');
    const run = runKit(work, ['--no-check', '--budget', '60', '--out', out, '--', '--backends', 'tensorflow', '--batches', '1', '--sizes', '224', '--dtypes', 'uint8', '--methods', 'normalize'], { NODE_PATH: host });
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain(`tensorflow lane: ${join(host, '@tensorflow', 'tfjs-node-gpu')} (linked into the kit)`);
    const bench = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'));
    expect(bench.machine.backends.find((b: { name: string }) => b.name === 'tensorflow')).toEqual({ name: 'tensorflow', available: true });
    expect(bench.rows.filter((r: { backend: string }) => r.backend === 'tensorflow').map((r: { impl: string }) => r.impl).sort()).toEqual(['opChain', 'scale']);
    // The link is removed when the run ends.
    expect(existsSync(join(work, 'gpu-kit', 'node_modules', '@tensorflow', 'tfjs-node-gpu'))).toBe(false);
  });

  it('says which ICD file is missing', () => {
    const named = runKit(work, ['--adapter-only'], { VK_DRIVER_FILES: '/nonexistent/nvidia_icd.json' });
    expect(named.status).toBe(3);
    expect(named.output).toContain('ICD file /nonexistent/nvidia_icd.json (from VK_DRIVER_FILES) not found');
    const empty = join(work, 'empty');
    mkdirSync(empty, { recursive: true });
    const none = runKit(work, ['--adapter-only'], { PIXELPREP_KIT_ICD_DIRS: empty });
    expect(none.status).toBe(3);
    expect(none.output).toContain(`no Vulkan ICD file (the driver's *.json): VK_DRIVER_FILES and VK_ICD_FILENAMES are unset and ${empty} hold none; the NVIDIA driver's nvidia_icd.json was not found`);
  });

  it('says when libvulkan.so.1 is missing, and falls back to the loader the kit carries', () => {
    const empty = join(work, 'empty');
    mkdirSync(empty, { recursive: true });
    const given = runKit(work, ['--adapter-only', '--vulkan-lib', empty]);
    expect(given.status).toBe(3);
    expect(given.output).toContain(`libvulkan.so.1 not found in --vulkan-lib ${empty}`);
    const carried = runKit(work, ['--adapter-only'], { PIXELPREP_KIT_LIB_DIRS: empty });
    expect(carried.status, carried.output).toBe(0);
    expect(carried.output).toContain(`vulkan loader: ${join(work, 'gpu-kit', 'vulkan', 'lib', 'libvulkan.so.1')} (the kit's own copy (the host has none))`);
    expect(carried.output).toMatch(/adapter: .*llvmpipe/);
    renameSync(join(work, 'gpu-kit', 'vulkan'), join(work, 'vulkan-aside'));
    const missing = runKit(work, ['--adapter-only'], { PIXELPREP_KIT_LIB_DIRS: empty });
    expect(missing.status).toBe(3);
    expect(missing.output).toContain(`libvulkan.so.1 (the Vulkan loader) not found: searched ${empty} (PIXELPREP_KIT_LIB_DIRS), and the kit carries none`);
  });
});

if (!runHere) {
  describe('GPU host kit rehearsal on software Vulkan', () => {
    it.skip(`skipped: no WebGPU adapter here (${unavailableReason})`, () => undefined);
  });
}
