import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requireBuild, ROOT } from '../cli/run_cli.js';

const run = promisify(execFile);

/** Prints whether any module of the sharp package is in Node's CommonJS cache after running `code`. */
const probe = (code: string) => `
import { createRequire } from 'node:module';
${code}
const cache = createRequire(import.meta.url).cache;
console.log(Object.keys(cache).some((k) => k.includes('/node_modules/sharp/')));
`;

describe('sharp is loaded on first use', () => {
  it('importing the io module does not load sharp (libvips); decoding does', async () => {
    requireBuild();
    const io = `${ROOT}dist/node/index.js`;
    const imported = await run(process.execPath, ['--input-type=module', '-e', probe(`await import(${JSON.stringify(io)});`)]);
    expect(imported.stdout.trim()).toBe('false');
    const decoded = await run(process.execPath, ['--input-type=module', '-e', probe(`const { decodeImage } = await import(${JSON.stringify(io)}); await decodeImage(${JSON.stringify(`${ROOT}samples/camera.png`)});`)]);
    expect(decoded.stdout.trim()).toBe('true');
  });
});
