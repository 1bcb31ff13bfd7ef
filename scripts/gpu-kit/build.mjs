#!/usr/bin/env node
// Builds gpu-kit.tar.xz: everything a Linux x64 GPU host needs to check and
// benchmark pixelprep with no registry and no Node of its own. Inside gpu-kit/:
//
//   run.sh               the one command (see its --help)
//   bin/node             the Node that runs this script (linux-x64)
//   dist/, package.json  the built package (no source maps or typings)
//   node_modules/        the run-time closure of dist/ for linux-x64 only: tfjs core/cpu/wasm/webgpu,
//                        Dawn (webgpu, linux-x64 build only), sharp with its linux-x64 libvips
//   kit/                 check.mjs (correctness), bench.mjs (benchmark grid), reference.mjs
//   vulkan/lib/          this machine's Vulkan loader (libvulkan.so.1), used only where the host has none
//   KIT.json             what went in: versions, packages, sizes
//
//   node scripts/gpu-kit/build.mjs [--out gpu-kit.tar.xz] [--stage DIR] [--xz-preset 0-9] [--build] [--no-tar]
//
// dist/ is rebuilt (tsc -p tsconfig.build.json) when missing, older than src/, or with --build.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAX_BYTES = 60 * 2 ** 20;
/** Packages dist/ imports at run time (layers and data are left out: the kit does not use them). */
const ROOTS = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'webgpu', 'sharp', 'commander', 'cli-progress', 'ml-matrix'];
/** Packages never needed at run time: typings, and prebuilt binaries for other platforms. */
const EXCLUDED = (name) => name.startsWith('@types/') || name === '@webgpu/types' || (name.startsWith('@img/sharp-') && !['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64'].includes(name));
const KIT_SCRIPTS = ['check.mjs', 'bench.mjs', 'reference.mjs', 'kit_paths.mjs'];

function parseArgs(argv) {
  const options = { out: join(repo, 'gpu-kit.tar.xz'), stage: join(repo, 'gpu-kit'), xzPreset: 1, build: false, tar: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`Expected a value after ${arg} but received nothing`);
      return argv[++i];
    };
    if (arg === '--out') options.out = resolve(value());
    else if (arg === '--stage') options.stage = resolve(value());
    else if (arg === '--xz-preset') options.xzPreset = Number(value());
    else if (arg === '--build') options.build = true;
    else if (arg === '--no-tar') options.tar = false;
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node scripts/gpu-kit/build.mjs [--out gpu-kit.tar.xz] [--stage DIR (its name must be gpu-kit)] [--xz-preset 0-9 (default 1)] [--build] [--no-tar]');
      process.exit(0);
    } else throw new Error(`Expected --out, --stage, --xz-preset, --build or --no-tar but received '${arg}'`);
  }
  if (!Number.isInteger(options.xzPreset) || options.xzPreset < 0 || options.xzPreset > 9) throw new Error(`Expected --xz-preset 0 to 9 but received ${options.xzPreset}`);
  if (basename(options.stage) !== 'gpu-kit') throw new Error(`Expected a --stage folder named gpu-kit but received ${options.stage}`);
  return options;
}

/** Newest modification time of the files under `dir` (0 when missing). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return latest;
}

function ensureDist(force) {
  const stale = newest(join(repo, 'dist')) < newest(join(repo, 'src'));
  if (!force && !stale) return;
  console.log(`gpu-kit: building dist/ (${force ? 'asked' : 'dist/ is missing or older than src/'})`);
  const tsc = spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: repo, stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('Expected tsc -p tsconfig.build.json to succeed but it failed');
}

/** Copies a tree, keeping files `keep` accepts; returns bytes copied. */
function copyTree(from, to, keep) {
  let bytes = 0;
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (!keep(source, entry)) continue;
    if (entry.isDirectory()) bytes += copyTree(source, target, keep);
    else if (entry.isFile()) {
      copyFileSync(source, target);
      bytes += statSync(source).size;
    } else if (entry.isSymbolicLink()) {
      const real = realpathSync(source);
      if (statSync(real).isFile()) {
        copyFileSync(real, target);
        bytes += statSync(real).size;
      }
    }
  }
  return bytes;
}

/** Node's lookup: the nearest node_modules/<name> above `fromDir`. */
function locate(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === repo || dir === dirname(dir)) return null;
  }
}

/** Every package dir needed at run time, from ROOTS through dependencies and installed optional dependencies. */
function runtimeClosure() {
  const found = new Map();
  const queue = ROOTS.map((name) => ({ name, from: repo, required: true }));
  while (queue.length > 0) {
    const { name, from, required } = queue.shift();
    if (EXCLUDED(name)) continue;
    const dir = locate(name, from);
    if (!dir) {
      if (required) throw new Error(`Expected the package ${name} in node_modules (run npm ci) but it is missing`);
      continue;
    }
    if (found.has(dir)) continue;
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    found.set(dir, { name, version: manifest.version });
    for (const dep of Object.keys(manifest.dependencies ?? {})) queue.push({ name: dep, from: dir, required: true });
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) queue.push({ name: dep, from: dir, required: false });
  }
  return found;
}

/** Files a package needs at run time: no typings, source maps, docs, mini-program builds, other platforms' Dawn, or nested packages. */
function packageFilter(pkgDir, name) {
  return (source, entry) => {
    const rel = relative(pkgDir, source);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'miniprogram') return false;
      if (name === 'webgpu' && (rel === 'build' || (rel.startsWith('dist/') && rel !== 'dist/linux-x64'))) return false;
      return true;
    }
    return !/\.(map|d\.ts|d\.mts|d\.cts|ts|tsbuildinfo)$/.test(entry.name) && !/^(README|CHANGELOG|HISTORY)/i.test(entry.name);
  };
}

/** This machine's Vulkan loader (the real file behind libvulkan.so.1), or null. */
function findVulkanLoader() {
  const ldconfig = spawnSync('sh', ['-c', 'ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null'], { encoding: 'utf8' });
  const listed = /libvulkan\.so\.1 \(libc6,x86-64\) => (\S+)/.exec(ldconfig.stdout ?? '')?.[1];
  for (const path of [listed, '/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib64/libvulkan.so.1']) {
    if (path && existsSync(path)) return realpathSync(path);
  }
  return null;
}

/** Resolves with the exit code of a child process, or rejects when it cannot start. */
const exited = (child) => new Promise((resolveExit, reject) => {
  child.on('error', reject);
  child.on('close', resolveExit);
});

/** tar | xz into `out`, written to `out.partial` first and renamed when both succeeded. */
async function tarXz(stage, out, preset) {
  const partial = `${out}.partial`;
  const tar = spawn('tar', ['-C', dirname(stage), '--owner=0', '--group=0', '-cf', '-', 'gpu-kit'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const xz = spawn('xz', ['-T0', `-${preset}`, '-c'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const file = createWriteStream(partial);
  tar.stdout.pipe(xz.stdin);
  xz.stdout.pipe(file);
  const written = new Promise((resolveWrite, reject) => {
    file.on('close', resolveWrite);
    file.on('error', reject);
  });
  try {
    const [tarCode, xzCode] = await Promise.all([exited(tar), exited(xz), written]);
    if (tarCode !== 0 || xzCode !== 0) throw new Error(`Expected tar and xz to succeed but they exited with ${tarCode} and ${xzCode}`);
    renameSync(partial, out);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`Expected to build on linux-x64 (the kit carries this Node) but this is ${process.platform}-${process.arch}`);
  ensureDist(options.build);
  const stage = options.stage;
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'bin'), { recursive: true });
  const sizes = {};

  copyFileSync(process.execPath, join(stage, 'bin', 'node'));
  chmodSync(join(stage, 'bin', 'node'), 0o755);
  sizes.node = statSync(process.execPath).size;

  sizes.dist = copyTree(join(repo, 'dist'), join(stage, 'dist'), (_, e) => e.isDirectory() || !/\.(map|d\.ts)$/.test(e.name));
  const project = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const { name, version, type, main, exports, bin, license, engines } = project;
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify({ name, version, type, main, exports, bin, license, engines, private: true }, null, 2)}\n`);

  const packages = [];
  sizes.node_modules = 0;
  for (const [dir, info] of runtimeClosure()) {
    const rel = relative(repo, dir);
    sizes.node_modules += copyTree(dir, join(stage, rel), packageFilter(dir, info.name));
    packages.push(`${info.name}@${info.version}`);
  }
  packages.sort();

  mkdirSync(join(stage, 'kit'));
  for (const file of KIT_SCRIPTS) copyFileSync(join(repo, 'scripts', 'gpu-kit', file), join(stage, 'kit', file));
  copyFileSync(join(repo, 'scripts', 'gpu-kit', 'run.sh'), join(stage, 'run.sh'));
  chmodSync(join(stage, 'run.sh'), 0o755);

  const loader = findVulkanLoader();
  if (loader) {
    mkdirSync(join(stage, 'vulkan', 'lib'), { recursive: true });
    copyFileSync(loader, join(stage, 'vulkan', 'lib', 'libvulkan.so.1'));
    const copyright = '/usr/share/doc/libvulkan1/copyright';
    if (existsSync(copyright)) copyFileSync(copyright, join(stage, 'vulkan', 'copyright'));
  } else {
    console.log('gpu-kit: no Vulkan loader on this machine; the kit will rely on the host having libvulkan.so.1');
  }

  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).stdout?.trim() || null;
  const manifest = {
    format: 'pixelprep-gpu-kit',
    version: 1,
    pixelprep: version,
    commit,
    builtAt: new Date().toISOString(),
    node: { version: process.version, platform: `${process.platform}-${process.arch}`, from: process.execPath },
    vulkanLoader: loader ? basename(loader) : null,
    packages,
    bytes: sizes,
  };
  writeFileSync(join(stage, 'KIT.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  // The staged package must load with the staged Node: every backend package present (tensorflow aside).
  const smoke = spawnSync(join(stage, 'bin', 'node'), ['--input-type=module', '-e', "const m = await import('./dist/index.js'); console.log(JSON.stringify(await m.listBackends()));"], { cwd: stage, encoding: 'utf8' });
  const missing = smoke.status === 0 ? JSON.parse(smoke.stdout.trim().split('\n').pop()).filter((b) => b.name !== 'tensorflow' && /not installed|failed to load|Cannot find/.test(b.reason ?? '')) : null;
  if (smoke.status !== 0 || missing.length > 0) throw new Error(`Expected the staged kit to load its backends but: ${smoke.status !== 0 ? smoke.stderr.trim().split('\n').slice(-3).join(' ') : JSON.stringify(missing)}`);

  const staged = performance.now();
  console.log(`gpu-kit: staged ${stage} with Node ${process.version}, ${packages.length} packages (${((sizes.node + sizes.dist + sizes.node_modules) / 2 ** 20).toFixed(1)} MiB) in ${((staged - started) / 1000).toFixed(1)} s`);
  if (!options.tar) return;
  await tarXz(stage, options.out, options.xzPreset);
  const bytes = statSync(options.out).size;
  console.log(`gpu-kit: wrote ${options.out}, ${(bytes / 2 ** 20).toFixed(1)} MiB (xz -${options.xzPreset}) in ${((performance.now() - staged) / 1000).toFixed(1)} s`);
  if (bytes > MAX_BYTES) throw new Error(`Expected the kit under ${MAX_BYTES / 2 ** 20} MiB but it is ${(bytes / 2 ** 20).toFixed(1)} MiB`);
}

main().catch((error) => {
  console.error(`gpu-kit: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
