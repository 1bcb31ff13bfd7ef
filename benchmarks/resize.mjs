#!/usr/bin/env node
// Pillow-exact resize (pixelprep, JS and WebAssembly SIMD passes) against
// sharp's resize, on a 1024×768 RGB photograph (samples/rocket.jpg enlarged
// by sharp) down to 224×224 and up to 2048×1536, for every kernel.
// Round-robin: every implementation runs once per round, so a noisy
// neighbour slows all alike and the ratios of medians stay meaningful.
// Usage: npm run build && node benchmarks/resize.mjs [rounds]
import sharp from 'sharp';
import { resize, PIL_KERNELS } from '../dist/index.js';
import { measureRoundRobin } from '../dist/bench/measure.js';
import { wasmResampleAvailable } from '../dist/resample/pass_engine.js';

const rounds = Number(process.argv[2] ?? 9);
sharp.concurrency(1); // one thread, like pixelprep's resize

const { data, info } = await sharp(new URL('../samples/rocket.jpg', import.meta.url).pathname)
  .resize(1024, 768, { fit: 'fill' })
  .removeAlpha()
  .raw()
  .toBuffer({ resolveWithObject: true });
const photo = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), shape: [info.height, info.width, info.channels] };

/** sharp's closest kernel to each Pillow filter ('lanczos3' where there is none). */
const SHARP_KERNEL = { 'pil-nearest': 'nearest', 'pil-box': 'lanczos3', 'pil-bilinear': 'linear', 'pil-hamming': 'lanczos3', 'pil-bicubic': 'cubic', 'pil-lanczos': 'lanczos3' };
const sharpResize = (width, height, kernel) => () =>
  sharp(photo.data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .resize(width, height, { kernel, fit: 'fill', fastShrinkOnLoad: false })
    .raw()
    .toBuffer();

/** 'median (best)' in ms. */
const cell = (t) => `${t.median.toFixed(1)} (${t.min.toFixed(1)})`;
const implementations = wasmResampleAvailable() ? ['js', 'wasm'] : ['js'];

console.log(`| size | kernel | ${implementations.map((i) => `pixelprep ${i} ms`).join(' | ')} | sharp, nearest kernel ms | sharp lanczos3 ms | ${implementations.map((i) => `${i} / sharp lanczos3`).join(' | ')} |`);
console.log(`|---|---|${implementations.map(() => '---:|').join('')}---:|---:|${implementations.map(() => '---:|').join('')}`);
for (const [width, height] of [[224, 224], [2048, 1536]]) {
  for (const kernel of PIL_KERNELS) {
    const tasks = {};
    for (const implementation of implementations) tasks[implementation] = async () => resize(photo, { width, height, kernel, implementation });
    tasks.sharpSame = sharpResize(width, height, SHARP_KERNEL[kernel]);
    tasks.sharpLanczos = sharpResize(width, height, 'lanczos3');
    // Warm-up, then `rounds` rounds of every task in turn (no time budget cuts them short).
    const samples = await measureRoundRobin(tasks, { warmup: 1, repeats: rounds, minRepeats: rounds });
    const ratio = (i) => `${(samples[i].median / samples.sharpLanczos.median).toFixed(2)} (${(samples[i].min / samples.sharpLanczos.min).toFixed(2)})`;
    const cells = implementations.map((i) => cell(samples[i]));
    console.log(`| 1024×768 → ${width}×${height} | ${kernel} | ${cells.join(' | ')} | ${cell(samples.sharpSame)} ${SHARP_KERNEL[kernel]} | ${cell(samples.sharpLanczos)} | ${implementations.map(ratio).join(' | ')} |`);
  }
}
console.log(`\nMedian (best) of ${rounds} rounds after warm-up, ratios of medians (of bests); Node ${process.version}, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), sharp.concurrency(1).`);
