/**
 * Every code block in README.md and docs/*.md runs as written:
 * - ```js / ```ts blocks run as ES modules against the built package (they
 *   import 'pixelprep', which names this package from inside it), with the
 *   working directory a temporary folder holding a link to samples/;
 * - ```sh blocks run line by line in the same kind of folder when a line is a
 *   pixelprep command (`npx pixelprep …`, `node dist/cli/main.js …`) or `npm run demo`;
 *   other lines (installs, `npm test` itself) are listed as not run, with why.
 * A block preceded by `<!-- not-run: reason -->` is shown but not run; the
 * test prints every such block with its reason. A block followed by one line
 * "It prints…:" and a ```text block must print exactly that text on stdout
 * (a sh block: its commands' stdout in turn); after "An excerpt of what it
 * prints…:" every line shown must be a line of its stdout. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside the package (so 'pixelprep' resolves to it, which it does not under node_modules) and git-ignored.
const MODULES = join(ROOT, '.code-blocks');
const DOCUMENTS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const RUNNABLE = new Set(['js', 'ts', 'sh']);

interface Block {
  document: string;
  line: number;
  lang: string;
  code: string;
  notRun: string | null;
  /** What it must print: all of stdout ('exact') or some of its lines ('excerpt'). */
  prints: { kind: 'exact' | 'excerpt'; text: string } | null;
}

/** The expected output a block announces between its closing fence and the next block, if any. */
function printsOf(between: string[], next: Block | undefined): Block['prints'] {
  const words = between.map((l) => l.trim()).filter((l) => l !== '');
  if (words.length !== 1 || next?.lang !== 'text') return null;
  if (/^It prints\b.*:$/.test(words[0])) return { kind: 'exact', text: next.code };
  if (/^An excerpt of what it prints\b.*:$/.test(words[0])) return { kind: 'excerpt', text: next.code };
  return null;
}

/** The fenced blocks of a Markdown file, with the not-run marker just before each, if any. */
function blocksOf(document: string, text: string): Block[] {
  const blocks: Block[] = [];
  const ends: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    let before = start - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marker = before >= 0 ? /^<!--\s*not-run:\s*(.+?)\s*-->$/.exec(lines[before].trim()) : null;
    blocks.push({ document, line: start + 1, lang: open[1], code: body.join('\n'), notRun: marker ? marker[1] : null, prints: null });
    ends.push(i);
  }
  blocks.forEach((block, k) => {
    const next = blocks[k + 1];
    if (next) block.prints = printsOf(lines.slice(ends[k] + 1, next.line - 1), next);
  });
  return blocks;
}

/** Checks what a block printed against what its document shows. */
function expectPrinted(block: Block, stdout: string): void {
  if (!block.prints) return;
  const shown = block.prints.text.split('\n').map((l) => l.trimEnd());
  const printed = stdout.split('\n').map((l) => l.trimEnd());
  while (printed.length > 0 && printed[printed.length - 1] === '') printed.pop();
  if (block.prints.kind === 'exact') expect(printed.join('\n'), 'stdout against the text after "It prints:"').toBe(shown.join('\n'));
  else for (const line of shown.filter((l) => l.trim() !== '')) expect(printed, 'stdout against the excerpt shown').toContain(line);
}

/** A fresh working folder with samples/ linked in. */
function workFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pixelprep-docs-'));
  symlinkSync(join(ROOT, 'samples'), join(dir, 'samples'));
  return dir;
}

/** A block as a module file: ts blocks in the docs use no type syntax, so they run as JavaScript. */
const asModule = (block: Block): string => block.code;

/** What a shell line runs, or why it is not run. */
function shellCommand(line: string): { argv: string[]; cwd: 'work' | 'root' } | { skip: string } {
  const words = line.replace(/\s+#.*$/, '').trim();
  if (words === '' || words.startsWith('#')) return { skip: 'comment' };
  if (/^npm (ci && )?(install|i) /.test(words) || words === 'npm ci') return { skip: 'installs packages' };
  if (/^npm ci && npm test$/.test(words)) return { skip: 'the test suite itself' };
  if (/^npm ci && npm run demo$/.test(words)) return { argv: ['npm', 'run', 'demo', '--silent'], cwd: 'root' };
  const cli = /^(?:npx pixelprep|node dist\/cli\/main\.js)\s+(.*)$/.exec(words);
  if (cli && /^bench\b/.test(cli[1])) return { skip: 'the benchmark writes benchmarks/results/ of the repository and takes minutes' };
  if (cli) {
    // Through sh, so globs such as samples/*.jpg expand as they do for a user.
    return { argv: ['sh', '-c', `node ${JSON.stringify(join(ROOT, 'dist/cli/main.js'))} ${cli[1]}`], cwd: 'work' };
  }
  if (/^npm run (demo|build)$/.test(words)) return { argv: ['sh', '-c', words], cwd: 'root' };
  if (/^npm run bench\b/.test(words)) return { skip: 'the benchmark writes benchmarks/results/ of the repository and takes from 20 s to minutes' };
  if (/^node benchmarks\/\w+\.mjs\b/.test(words)) return { skip: 'a benchmark script: it takes minutes' };
  if (words === 'npm run gpu-kit') return { skip: 'builds the GPU kit archive (about 44 MiB, up to two minutes)' };
  return { skip: 'not a pixelprep or npm run command' };
}

const blocks = DOCUMENTS.flatMap((document) => blocksOf(document, readFileSync(join(ROOT, document), 'utf8')));
const skipped: string[] = [];
mkdirSync(MODULES, { recursive: true });
afterAll(() => {
  rmSync(MODULES, { recursive: true, force: true });
  if (skipped.length > 0) console.log(`not run:\n${skipped.join('\n')}`);
});

describe('documentation code blocks', () => {
  it('finds the blocks of README.md and every docs/*.md', () => {
    expect(DOCUMENTS).toContain('README.md');
    expect(DOCUMENTS.length).toBeGreaterThan(5);
    expect(blocks.filter((b) => b.lang === 'js' || b.lang === 'ts').length).toBeGreaterThan(3);
  });

  for (const block of blocks.filter((b) => RUNNABLE.has(b.lang))) {
    const name = `${block.document}:${block.line} (${block.lang})`;
    if (block.notRun) {
      skipped.push(`${name}: ${block.notRun}`);
      continue;
    }
    it(`${name} runs`, () => {
      const work = workFolder();
      try {
        if (block.lang === 'sh') {
          let stdout = '';
          for (const line of block.code.split('\n')) {
            const command = shellCommand(line);
            if ('skip' in command) {
              if (command.skip !== 'comment') skipped.push(`${name}: '${line.trim()}': ${command.skip}`);
              continue;
            }
            const [program, ...args] = command.argv;
            const run = spawnSync(program, args, { cwd: command.cwd === 'root' ? ROOT : work, encoding: 'utf8', timeout: 300_000 });
            expect(run.status, `${line}\n${run.stderr}`).toBe(0);
            stdout += run.stdout;
          }
          expectPrinted(block, stdout);
          return;
        }
        const file = join(MODULES, `${block.document.replace(/\W/g, '_')}_${block.line}.mjs`);
        writeFileSync(file, asModule(block));
        const run = spawnSync(process.execPath, ['--no-warnings', file], { cwd: work, encoding: 'utf8', timeout: 300_000 });
        expect(run.status, run.stderr).toBe(0);
        expectPrinted(block, run.stdout);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }, 600_000);
  }
});
