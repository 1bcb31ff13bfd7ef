/**
 * @tensorflow/tfjs-layers and @tensorflow/tfjs-data are optional peers: only
 * src/layers (the pixelprep/layers entry point) may import them, and nothing
 * outside src/layers may import src/layers, so `import 'pixelprep'` works without them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? sourceFiles(join(directory, e.name)) : [join(directory, e.name)])));
  return nested.flat().filter((f) => f.endsWith('.ts'));
}

it('only src/layers imports tfjs-layers or tfjs-data, and nothing else imports src/layers', async () => {
  const offenders: string[] = [];
  for (const file of await sourceFiles(SRC)) {
    const path = relative(SRC, file);
    if (path.startsWith('layers')) continue;
    const text = await readFile(file, 'utf8');
    const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
    for (const spec of imports) {
      if (/^@tensorflow\/tfjs-(layers|data)(\/|$)/.test(spec) || /(^|\/)layers\//.test(spec)) offenders.push(`${path} imports ${spec}`);
    }
  }
  expect(offenders).toEqual([]);
});
