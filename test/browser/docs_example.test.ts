/**
 * The bundler example of docs/browser.md, run as written: its main.ts and
 * index.html blocks are written to a folder inside the repository (so that
 * `pixelprep` resolves to this package, built in dist/), its esbuild command
 * is run there, and the page runs in Chromium. What it logs must be the
 * float64 mean of its red channel before and 0 after.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/bench/browser/chromium.js';
import { startStaticServer } from '../../src/bench/browser/static_server.js';
import { browserLaneGate, ROOT } from './harness.js';

/** The fenced blocks of a Markdown file: language and body. */
function codeBlocks(markdown: string): { lang: string; body: string }[] {
  return [...markdown.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], body: m[2] }));
}

const gate = browserLaneGate();

describe('docs/browser.md bundler example', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has the three blocks the text names', async () => {
    const blocks = codeBlocks(await readFile(`${ROOT}docs/browser.md`, 'utf8'));
    expect(blocks.find((b) => b.body.startsWith('// main.ts\n'))).toBeDefined();
    expect(blocks.find((b) => b.body.startsWith('<!-- index.html -->\n'))).toBeDefined();
    expect(blocks.find((b) => b.lang === 'sh' && b.body.startsWith('npx esbuild '))).toBeDefined();
  });

  it.skipIf(gate !== null)(`bundles with the documented command and logs the documented numbers in Chromium${gate ? ` (skipped: ${gate})` : ''}`, async () => {
    const blocks = codeBlocks(await readFile(`${ROOT}docs/browser.md`, 'utf8'));
    const main = blocks.find((b) => b.body.startsWith('// main.ts\n'))?.body ?? '';
    const html = blocks.find((b) => b.body.startsWith('<!-- index.html -->\n'))?.body ?? '';
    const command = blocks.find((b) => b.lang === 'sh' && b.body.startsWith('npx esbuild '))?.body.trim() ?? '';
    dir = await mkdtemp(join(ROOT, 'docs-example-'));
    await writeFile(join(dir, 'main.ts'), main);
    await writeFile(join(dir, 'index.html'), html);
    const [program, ...args] = command.split(/\s+/);
    execFileSync(program, args, { cwd: dir, stdio: 'pipe' });
    const server = await startStaticServer({ files: { '/index.html': html, '/app.js': await readFile(join(dir, 'app.js')) } });
    try {
      const text = await firstLogLine(server.origin);
      const rgb = Array.from({ length: 224 * 224 * 3 }, (_, i) => (i * 31 + (i >> 7)) % 256);
      let sum = 0;
      for (let i = 0; i < rgb.length; i += 3) sum += rgb[i];
      expect(text).toBe(`pixelprep on webgl: red mean ${(sum / (224 * 224)).toFixed(4)} before, ${text.endsWith('-0.000000 after') ? '-' : ''}0.000000 after`);
    } finally {
      await server.close();
    }
  }, 200_000);
});

/**
 * The example's 'pixelprep on …' line. A page that logs it takes about 5 s
 * here; now and then headless Chromium on software GL never finishes the
 * page's first WebGL work (no error, no log), so a silent page is retried in
 * a fresh browser, twice at most, and the error lists everything it logged.
 */
async function firstLogLine(origin: string): Promise<string> {
  const seen: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      let timer: NodeJS.Timeout | undefined;
      const line = new Promise<string | null>((resolve, reject) => {
        page.on('console', (m) => {
          seen.push(`attempt ${attempt}: ${m.text().slice(0, 200)}`);
          if (m.text().startsWith('pixelprep on')) resolve(m.text());
        });
        page.on('pageerror', (e) => reject(e));
        timer = setTimeout(() => resolve(null), 50_000);
      });
      await page.goto(`${origin}/index.html`);
      const text = await line;
      clearTimeout(timer);
      if (text !== null) return text;
    } finally {
      await browser.close();
    }
  }
  throw new Error(`the page logged no 'pixelprep on' line in 3 attempts of 50 s; it logged: ${seen.join(' | ') || 'nothing'}`);
}

