/**
 * The demo page: pick or drop a photo, choose a method or preset and a
 * backend, and see the original and the scaled image side by side,
 * per-channel histograms before and after, the statistics, which backend ran
 * and how long it took. `?sample=/samples/coffee.png&method=…&per=…&backend=…`
 * runs one photo on load (the browser lane's screenshot does this).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { setBackend } from '../../src/index.js';
import { scalePhoto, type PhotoRun } from './scale_photo.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const COLORS = ['#d33', '#2a2', '#36c'];
const NAMES = ['R', 'G', 'B'];

let photo: { rgb: Uint8Array; width: number; height: number } | null = null;

async function useBackend(name: string): Promise<string> {
  if (name === 'webgl') {
    if (!(await tf.setBackend('webgl'))) throw new Error('this browser could not create a WebGL context');
    const gl = Reflect.get(Reflect.get(tf.backend(), 'gpgpu'), 'gl') as WebGL2RenderingContext;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return `webgl — ${String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER))}`;
  }
  if (name === 'wasm') setWasmPaths('/wasm/');
  await setBackend(name as 'webgpu' | 'wasm' | 'cpu');
  return name;
}

/** Decodes an image file to RGB bytes without colour management (the file's own values). */
async function decode(blob: Blob): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = $<HTMLCanvasElement>('original');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' });
  if (!ctx) throw new Error('no 2D canvas');
  ctx.drawImage(bitmap, 0, 0);
  const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height, { colorSpace: 'srgb' }).data;
  const rgb = new Uint8Array((rgba.length / 4) * 3);
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) rgb.set([rgba[p], rgba[p + 1], rgba[p + 2]], q);
  return { rgb, width: bitmap.width, height: bitmap.height };
}

/** Each channel's [min, max] stretched to [0, 255]: a display of values on any scale. */
function drawScaled(run: PhotoRun, width: number, height: number, lo: number[], hi: number[]): void {
  const canvas = $<HTMLCanvasElement>('scaled');
  canvas.width = width;
  canvas.height = height;
  const image = new ImageData(width, height);
  for (let i = 0, p = 0; i < run.scaled.length; i += 3, p += 4) {
    for (let c = 0; c < 3; c++) image.data[p + c] = Math.round(((run.scaled[i + c] - lo[c]) / Math.max(hi[c] - lo[c], 1e-12)) * 255);
    image.data[p + 3] = 255;
  }
  canvas.getContext('2d')?.putImageData(image, 0, 0);
}

function drawHistogram(id: string, values: ArrayLike<number>, lo: number, hi: number): void {
  const canvas = $<HTMLCanvasElement>(id);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const bins = 64;
  const counts = [0, 1, 2].map(() => new Float64Array(bins));
  for (let i = 0; i < values.length; i++) {
    const b = Math.min(bins - 1, Math.floor(((values[i] - lo) / Math.max(hi - lo, 1e-12)) * bins));
    counts[i % 3][b]++;
  }
  const top = Math.max(...counts.flatMap((c) => Array.from(c)));
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  counts.forEach((c, ch) => {
    ctx.strokeStyle = COLORS[ch];
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    c.forEach((n, b) => {
      const x = ((b + 0.5) / bins) * canvas.width;
      const y = canvas.height - 4 - (n / top) * (canvas.height - 12);
      if (b === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  });
}

/** Float64 per-channel statistics of the scaled values. */
function channelStats(values: Float32Array): { mean: number[]; std: number[]; min: number[]; max: number[] } {
  const n = values.length / 3;
  const mean = [0, 0, 0];
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < values.length; i++) {
    const c = i % 3;
    mean[c] += values[i];
    min[c] = Math.min(min[c], values[i]);
    max[c] = Math.max(max[c], values[i]);
  }
  for (let c = 0; c < 3; c++) mean[c] /= n;
  const ss = [0, 0, 0];
  for (let i = 0; i < values.length; i++) ss[i % 3] += (values[i] - mean[i % 3]) ** 2;
  return { mean, std: ss.map((s) => Math.sqrt(s / n)), min, max };
}

function renderTable(run: PhotoRun, after: ReturnType<typeof channelStats>): void {
  // The attribute holds the full float64 value; the text is rounded (and '-0.0000' shown as 0.0000).
  const cell = (name: string, v: number) => `<td data-stat="${name}" data-value="${v}">${v.toFixed(Math.abs(v) >= 100 ? 2 : 4).replace(/^-(0\.0+)$/, '$1')}</td>`;
  const b = run.before;
  const rows = [0, 1, 2].map(
    (c) =>
      `<tr><th style="color:${COLORS[c]}">${NAMES[c]}</th>${cell(`before.mean.${c}`, b.mean[c])}${cell(`before.std.${c}`, b.std[c])}${cell(`before.min.${c}`, b.min[c])}${cell(`before.max.${c}`, b.max[c])}` +
      `${cell(`after.mean.${c}`, after.mean[c])}${cell(`after.std.${c}`, after.std[c])}${cell(`after.min.${c}`, after.min[c])}${cell(`after.max.${c}`, after.max[c])}</tr>`,
  );
  $('stats').innerHTML =
    '<tr><th rowspan="2">channel</th><th colspan="4">before (float64 statistics)</th><th colspan="4">after (output channel order)</th></tr>' +
    '<tr><th>mean</th><th>std</th><th>min</th><th>max</th><th>mean</th><th>std</th><th>min</th><th>max</th></tr>' +
    rows.join('');
}

async function run(): Promise<void> {
  if (!photo) return;
  document.body.dataset.state = 'running';
  $('error').textContent = '';
  try {
    const backend = await useBackend($<HTMLSelectElement>('backend').value);
    const choice = $<HTMLSelectElement>('method').value;
    const per = $<HTMLSelectElement>('per').value as 'channel' | 'global';
    const result = await scalePhoto(photo.rgb, photo.height, photo.width, choice, per);
    const after = channelStats(result.scaled);
    drawScaled(result, photo.width, photo.height, after.min, after.max);
    $('scaled-caption').textContent = `scaled by ${choice} (display: each channel's [min, max] stretched to [0, 255]); inverse plan round trip ${result.roundTrip === 0 ? 'exact' : `off by ${result.roundTrip}`}`;
    drawHistogram('hist-before', photo.rgb, 0, 256);
    const lo = Math.min(...after.min);
    const hi = Math.max(...after.max);
    drawHistogram('hist-after', result.scaled, lo, hi);
    $('hist-after-caption').textContent = `histogram after (${lo.toFixed(3)} … ${hi.toFixed(3)})`;
    renderTable(result, after);
    $('run-info').textContent = `${photo.width}×${photo.height} RGB on ${backend}: ${result.milliseconds.toFixed(1)} ms (statistics + scaling, values read back)`;
    document.body.dataset.backend = tf.getBackend();
    document.body.dataset.state = 'done';
  } catch (error) {
    $('error').textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    document.body.dataset.state = 'error';
  }
}

async function load(blob: Blob): Promise<void> {
  photo = await decode(blob);
  await run();
}

const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = e.dataTransfer?.files[0];
  if (file) void load(file);
});
$<HTMLInputElement>('file').addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) void load(file);
});
const loadSample = async (url: string) => load(await (await fetch(url)).blob());
$('sample').addEventListener('click', () => void loadSample('/samples/coffee.png'));
for (const id of ['method', 'per', 'backend']) $(id).addEventListener('change', () => void run());

const params = new URLSearchParams(location.search);
for (const id of ['method', 'per', 'backend']) {
  const value = params.get(id);
  if (value) $<HTMLSelectElement>(id).value = value;
}
const sample = params.get('sample');
if (sample) void loadSample(sample);
