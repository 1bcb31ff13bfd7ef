/** `pixelprep info`: version, image library, and which backends run here (and why not). */
import * as tf from '@tensorflow/tfjs-core';
import type { Command } from 'commander';
import { listBackends, ready, type BackendAvailability } from '../../backends/select.js';
import { loadSharp } from '../../node/sharp_module.js';
import { describeWebGpuAdapter } from '../../backends/webgpu/register.js';
import { WEBGPU_INSTALL } from '../../backends/webgpu/navigator.js';
import { formatAdapter } from '../../kernels/webgpu/adapter.js';
import { describeKernels } from '../../kernels/register_all_kernels.js';
import { table } from '../format.js';
import { examples, type GlobalOptions } from '../options.js';
import { printJson, printLines } from '../output.js';
import { packageVersion } from '../package_info.js';

/** Fields of a backend report beyond name/available/reason (e.g. an adapter name), shown as they are. */
const details = (b: BackendAvailability): Record<string, unknown> =>
  Object.fromEntries(Object.entries(b).filter(([key]) => !['name', 'available', 'reason'].includes(key)));

/** Registers `info` on the program. */
export function registerInfoCommand(program: Command): void {
  program
    .command('info')
    .description('version, image decoder, and the backends available here with the reason any is not')
    .addHelpText('after', examples('pixelprep info --json'))
    .action(async (_flags: GlobalOptions, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalOptions>();
      const sharp = await loadSharp();
      const backends: (BackendAvailability & { adapter?: string })[] = await listBackends();
      const webgpu = backends.find((b) => b.name === 'webgpu' && b.available);
      if (webgpu) {
        const report = await describeWebGpuAdapter().catch((error: unknown) => ({ available: false as const, reason: error instanceof Error ? error.message : String(error) }));
        webgpu.adapter = report.available ? formatAdapter(report.adapter) : `unknown (${report.reason})`;
      }
      // The backend pixelprep would run on here (PIXELPREP_BACKEND, or the best available).
      const current = await ready();
      const formats = Object.entries(sharp.format)
        .filter(([name, f]) => f.input.buffer && ['jpeg', 'png', 'webp', 'tiff', 'gif', 'heif'].includes(name))
        .map(([name]) => (name === 'heif' ? 'avif' : name));
      const info = {
        version: packageVersion(),
        node: process.version,
        tfjsCore: tf.version_core,
        sharp: sharp.versions.sharp,
        libvips: sharp.versions.vips,
        imageFormats: formats,
        currentBackend: current,
        kernels: describeKernels(),
        backends,
      };
      if (flags.json) {
        printJson(info);
        return;
      }
      const rows = backends.map((b) => {
        const extra = Object.entries(details(b)).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
        const status = b.available ? `available${b.name === current ? ' (current)' : ''}` : `unavailable: ${b.reason ?? 'no reason given'}`;
        return [b.name, [status, ...extra].join('; ')];
      });
      printLines(
        `pixelprep ${info.version}`,
        `node ${info.node}, @tensorflow/tfjs-core ${info.tfjsCore}, sharp ${info.sharp} (libvips ${info.libvips})`,
        `image formats: ${formats.join(', ')}`,
        'backends (choose with PIXELPREP_BACKEND):',
        table(rows, 'text'),
        info.kernels,
        `optional backends: npm install @tensorflow/tfjs-backend-wasm, or ${WEBGPU_INSTALL}`,
      );
    });
}
