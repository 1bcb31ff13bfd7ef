/**
 * docs/conventions.md: every ```ts block runs as written against the built
 * package (import from 'pixelprep' resolves to this repository through its
 * package.json exports), and prints what its comments say.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireBuild } from '../cli/run_cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('docs/conventions.md', () => {
  it('its code blocks run and print the values their comments state', async () => {
    requireBuild();
    const text = await readFile(`${ROOT}docs/conventions.md`, 'utf8');
    const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThan(0);
    for (const [k, code] of blocks.entries()) {
      // The blocks use no type annotations, so they run as JavaScript modules.
      const file = `${ROOT}test/conventions/.docs-block-${process.pid}-${k}.mjs`;
      await writeFile(file, code);
      try {
        const stdout = await new Promise<string>((resolve, reject) =>
          execFile(process.execPath, [file], { cwd: ROOT, timeout: 60_000 }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out))),
        );
        const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
        const printed = stdout.trim().split('\n');
        expect(printed.length).toBe(expected.length);
        // Node prints arrays and strings in its own style: compare without spaces and quotes.
        const plain = (s: string) => s.replace(/[\s'"]/g, '');
        printed.forEach((line, i) => expect(plain(line)).toBe(plain(expected[i])));
      } finally {
        await rm(file, { force: true });
      }
    }
  });
});
