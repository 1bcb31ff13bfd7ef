/**
 * `pixelprep bench`: the benchmark suite. Prints the targets and the results
 * table and writes JSON, Markdown and SVG reports into the results folder.
 */
import type { Command } from 'commander';
import { DEFAULT_OUT_DIR, parseBenchOptions, type RawBenchOptions } from '../../bench/options.js';
import { markdownReport } from '../../bench/report_markdown.js';
import { runBench } from '../../bench/run_bench.js';
import { runBrowserBench, writeBrowserBench, browserBenchMarkdown } from '../../bench/browser/run_browser_bench.js';
import { writeReports } from '../../bench/write_reports.js';
import { examples, type GlobalOptions } from '../options.js';
import { checkOutputFolder } from '../output_path.js';

/** Registers `bench` on the program. */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('benchmark pixelprep against the tfjs op chain, a plain JS loop, memcpy and numpy on every available backend')
    .addHelpText('after', examples('pixelprep bench --quick'))
    .option('--quick', 'the quick grid (about a minute): batches 1 and 32 of 224×224 uint8, every method, op chain for normalize')
    .option('--out <dir>', 'folder for latest.json, latest.md and latest.svg', DEFAULT_OUT_DIR)
    .option('--backends <list>', 'comma-separated backends (default: every available one)')
    .option('--methods <list>', 'normalize, standardize, positive-standardize, keras-caffe, stats')
    .option('--batches <list>', 'batch sizes, e.g. 1,8,32,128,256')
    .option('--sizes <list>', 'image sizes in pixels (square), e.g. 32,224,512')
    .option('--dtypes <list>', 'input dtypes: uint8, float32')
    .option('--warmup <n>', 'untimed runs before timing')
    .option('--repeats <n>', 'most timed runs per measurement')
    .option('--seconds <s>', 'time budget per measurement (at least 3 runs are timed)')
    .option('--max-mb <n>', 'skip cases over this many MB of input + output')
    .option('--no-numpy', 'skip the numpy baseline')
    .option('--browser', 'instead: fused kernel vs tfjs op chain in headless Chromium (webgl, webgpu), written to browser.json / browser.md')
    .action(async (_flags: RawBenchOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const { browser, ...raw } = cmd.opts<RawBenchOptions & { browser?: boolean }>();
      const config = parseBenchOptions(raw);
      // A long run must not fail only at the end because --out is unusable.
      await checkOutputFolder(config.outDir, '--out');
      const log = globals.progress === false || globals.json ? undefined : (line: string) => process.stderr.write(`${line}\n`);
      if (browser) {
        const result = await runBrowserBench({ log, warmup: raw.warmup === undefined ? undefined : config.warmup, repeats: raw.repeats === undefined ? undefined : config.repeats });
        const paths = await writeBrowserBench(result, config.outDir);
        process.stdout.write(globals.json ? `${JSON.stringify(result, null, 2)}\n` : `${browserBenchMarkdown(result)}\nwrote ${paths.json}, ${paths.markdown}\n`);
        return;
      }
      const result = await runBench(config, { log });
      const paths = await writeReports(result, config.outDir);
      if (globals.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${markdownReport(result)}\nwrote ${paths.json}, ${paths.markdown}, ${paths.svg}\n`);
    });
}
