#!/usr/bin/env node
/**
 * Installs the packed pixelprep into fresh consumer projects, one per tfjs
 * version of the supported peer range, and checks each the way a new user
 * meets it:
 *   - exactly one @tensorflow/tfjs-core in the tree (`npm ls`);
 *   - the first `scale` prints no "kernel ... already registered" (a second tfjs);
 *   - normalize and per-channel standardize match a float64 loop;
 *   - `require('pixelprep')` works (Node's require of an ES module);
 *   - `import 'pixelprep/layers'` without @tensorflow/tfjs-layers is a
 *     PixelprepError naming the package to install;
 *   - node_modules beyond @tensorflow/* stays small (the size is printed).
 *
 * Usage: node scripts/peer_matrix.mjs [version...]   (default: 4.10.0 4.22.0)
 * Needs `npm run build` first. npm's cache makes reruns fast (--prefer-offline).
 * Exits 1 when any check fails; prints one JSON line per version.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OLDEST = '4.10.0';
export const NEWEST = '4.22.0';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/** Bytes under `path` (files only; symlinks not followed). */
function sizeOf(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

/** The consumer's own check: runs in the consumer project, prints one JSON object. */
const CHECK = `
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { scale, PixelprepError } from 'pixelprep';

const shape = [4, 5, 3];
const data = Uint8Array.from({ length: 60 }, (_, i) => (i * 37 + 11) % 256);
const worst = (got, want) => got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i])), 0);

// normalize: x / 255, in float64.
const normalized = await scale({ data, shape }, { method: 'normalize' }).data();
const normalizeError = worst(normalized, Array.from(data, (v) => v / 255));

// per-channel standardize of the image: mean and population std per channel, in float64.
const mean = [0, 0, 0], sq = [0, 0, 0];
data.forEach((v, i) => { mean[i % 3] += v / 20; });
data.forEach((v, i) => { sq[i % 3] += (v - mean[i % 3]) ** 2 / 20; });
const want = Array.from(data, (v, i) => (v - mean[i % 3]) / Math.sqrt(sq[i % 3]));
const standardized = await scale({ data, shape }, { method: 'standardize', per: 'channel' }).data();
const standardizeError = worst(standardized, want);

const required = createRequire(import.meta.url)('pixelprep');
let layers = 'loaded';
try { await import('pixelprep/layers'); } catch (error) { layers = error instanceof PixelprepError ? error.code + ': ' + error.message : 'raw: ' + error.message; }
console.log(JSON.stringify({ tfjs: tf.version_core, normalizeError, standardizeError, requireWorks: typeof required.scale === 'function', layers }));
`;

/** Installs a consumer for `version` next to `tarball` and checks it; returns the findings. */
export function checkVersion(version, tarball, work) {
  const dir = join(work, `consumer-${version}`);
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${version.replaceAll('.', '-')}`, private: true, type: 'module' }, null, 2));
  const started = Date.now();
  execFileSync('npm', ['install', ...NPM_FLAGS, `@tensorflow/tfjs-core@${version}`, `@tensorflow/tfjs-backend-cpu@${version}`, tarball], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const installSeconds = (Date.now() - started) / 1000;
  const tree = JSON.parse(spawnSync('npm', ['ls', '@tensorflow/tfjs-core', '--all', '--json'], { cwd: dir, encoding: 'utf8' }).stdout);
  const cores = new Set();
  const walk = (node) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (name === '@tensorflow/tfjs-core') cores.add(child.version);
      walk(child);
    }
  };
  walk(tree);
  writeFileSync(join(dir, 'check.mjs'), CHECK);
  const run = spawnSync(process.execPath, ['--no-warnings', 'check.mjs'], { cwd: dir, encoding: 'utf8' });
  const modules = join(dir, 'node_modules');
  const beyondTfjs = sizeOf(modules) - sizeOf(join(modules, '@tensorflow'));
  const lines = run.stdout.trim().split('\n');
  let result = null;
  try {
    result = JSON.parse(lines.at(-1));
  } catch {
    // reported below as a failed check
  }
  const extraOutput = [...lines.slice(0, -1), ...run.stderr.split('\n')].filter((l) => l.trim() !== '');
  return { version, installSeconds, tfjsCores: [...cores], nodeModulesBeyondTfjsMB: +(beyondTfjs / 1e6).toFixed(1), exitCode: run.status, extraOutput, result };
}

/** Problems with one version's findings (empty when all is well). */
export function problemsOf(findings) {
  const problems = [];
  const { version, tfjsCores, result, extraOutput, exitCode, nodeModulesBeyondTfjsMB } = findings;
  if (tfjsCores.length !== 1 || tfjsCores[0] !== version) problems.push(`expected one tfjs-core ${version} but npm ls found ${tfjsCores.join(', ') || 'none'}`);
  if (exitCode !== 0 || !result) problems.push(`expected the check to run but it exited ${exitCode}: ${extraOutput.join(' | ')}`);
  else {
    if (result.tfjs !== version) problems.push(`expected tfjs-core ${version} at run time but received ${result.tfjs}`);
    if (!(result.normalizeError <= 1e-6)) problems.push(`normalize differs from float64 by ${result.normalizeError}`);
    if (!(result.standardizeError <= 1e-5)) problems.push(`standardize differs from float64 by ${result.standardizeError}`);
    if (!result.requireWorks) problems.push("require('pixelprep') did not give the API");
    if (!/^E_BACKEND: .*npm install @tensorflow\/tfjs-layers/.test(result.layers)) problems.push(`expected a PixelprepError naming @tensorflow/tfjs-layers but received ${result.layers}`);
  }
  // tfjs-backend-cpu's own "Hi, looks like you are running TensorFlow.js in Node.js" banner is tfjs' to print.
  const twice = extraOutput.filter((line) => /already registered|has already been set/.test(line));
  if (twice.length > 0) problems.push(`expected no "already registered" warnings but received ${twice.length}, first: ${twice[0]}`);
  if (!(nodeModulesBeyondTfjsMB < 40)) problems.push(`expected under 40 MB of node_modules beyond tfjs but found ${nodeModulesBeyondTfjsMB} MB`);
  return problems;
}

/** Packs the repository (without rebuilding) into `work`; returns the tarball's path. */
export function pack(work) {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
  return join(work, JSON.parse(out)[0].filename);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const versions = process.argv.length > 2 ? process.argv.slice(2) : [OLDEST, NEWEST];
  const work = mkdtempSync(join(tmpdir(), 'pixelprep-peers-'));
  let failed = false;
  try {
    const tarball = pack(work);
    for (const version of versions) {
      const findings = checkVersion(version, tarball, work);
      const problems = problemsOf(findings);
      failed ||= problems.length > 0;
      console.log(JSON.stringify({ ...findings, problems }));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}
