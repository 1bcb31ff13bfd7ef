/** Runs the built command line (dist/cli/main.js) as a subprocess, as a user would. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MAIN = `${ROOT}dist/cli/main.js`;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Fails early with the fix when the build is missing (npm test builds first). */
export function requireBuild(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run 'npm run build' before the CLI tests`);
}

/** Runs `node dist/cli/main.js ...args` and resolves with its exit code and output (never rejects on a non-zero exit). */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, timeout: options.timeout ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** Files in `dir`, temporary files included (a failed atomic write must leave none). */
export const filesIn = async (dir: string): Promise<string[]> => (await readdir(dir)).sort();

/** Float64 statistics of channel c of interleaved values, computed with a plain loop: the tests' reference. */
export function channelStats(values: ArrayLike<number>, channels: number, c: number): { count: number; mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = c; i < values.length; i += channels) {
    sum += values[i];
    count++;
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  const mean = sum / count;
  let squares = 0;
  for (let i = c; i < values.length; i += channels) squares += (values[i] - mean) ** 2;
  return { count, mean, std: Math.sqrt(squares / count), min, max };
}

/** |a - b| ≤ tolerance · max(1, |b|). */
export const closeTo = (a: number, b: number, tolerance: number): boolean => Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b));
