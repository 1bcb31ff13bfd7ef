/**
 * A process that used the webgpu backend exits by itself: Dawn keeps no
 * handle open once the work is done (older `webgpu` releases hung here).
 * Runs the built package (dist/), as a user's script would.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWebGpu } from './webgpu_lane.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(`${root}dist/index.js`);

const SCRIPT = `
import { AffinePlan, setBackend } from './dist/index.js';
await setBackend('webgpu');
const plan = new AffinePlan({ images: 1, channels: 1, scale: [1 / 255], offset: [0], clip: null, post: null });
const y = plan.apply({ data: new Uint8Array(4096).fill(255), shape: [64, 64] });
const values = await y.data();
console.log(values.every((v) => v === 1) ? 'ok' : 'wrong');
`;

describeWebGpu('process exit', () => {
  if (!built) {
    it.skip('skipped: dist/ is not built (npm run build)', () => undefined);
    return;
  }
  it('node exits on its own after using the backend', async () => {
    const started = Date.now();
    const result = await new Promise<{ code: number | null; stdout: string; signal: string | null }>((resolve) => {
      const child = execFile(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: root, timeout: 30_000 }, (error, stdout) =>
        resolve({ code: child.exitCode, stdout, signal: error && 'signal' in error ? String(error.signal) : null }),
      );
    });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('ok');
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
