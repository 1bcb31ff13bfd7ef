/**
 * Writes a run's reports into a folder, each file atomically:
 * `latest.json` (every row), `latest.md` (tables) and `latest.svg` (chart).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PixelprepError } from '../core/errors.js';
import { writeFileAtomic } from '../node/atomic_write.js';
import { markdownReport } from './report_markdown.js';
import { svgChart } from './report_svg.js';
import type { BenchResult } from './result.js';

/** File names inside the results folder. */
export const REPORT_FILES = { json: 'latest.json', markdown: 'latest.md', svg: 'latest.svg' } as const;

/**
 * Writes the three reports into `dir` (created when missing) and returns their paths.
 * @throws PixelprepError E_IO when the folder or a file cannot be written.
 * @example await writeReports(await runBench(parseBenchOptions({ quick: true })), 'benchmarks/results')
 */
export async function writeReports(result: BenchResult, dir: string): Promise<{ json: string; markdown: string; svg: string }> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new PixelprepError('E_IO', `Expected to create the results folder ${dir} but could not: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const paths = { json: join(dir, REPORT_FILES.json), markdown: join(dir, REPORT_FILES.markdown), svg: join(dir, REPORT_FILES.svg) };
  await writeFileAtomic(paths.json, `${JSON.stringify(result, null, 2)}\n`);
  await writeFileAtomic(paths.markdown, markdownReport(result));
  await writeFileAtomic(paths.svg, svgChart(result));
  return paths;
}
