/**
 * What `npm pack` ships: the licence, the metadata the npm page links to,
 * every file the README, the docs and the CLI point at, and no source maps
 * pointing at sources that are not shipped. Reads `npm pack --dry-run --json`
 * (needs `npm run build`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }))[0] as { files: { path: string }[] };
const files = new Set(packed.files.map((f) => f.path));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const text = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('package contents', () => {
  it('ships the MIT licence the README names, and the npm page links', () => {
    expect(files.has('LICENSE')).toBe(true);
    expect(text('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 pixelprep contributors/);
    expect(pkg.license).toBe('MIT');
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/.+\.git$/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs.url).toMatch(/\/issues$/);
  });

  it('ships every entry point, the CLI, the docs and the samples', () => {
    for (const entry of Object.values<{ types: string; default: string } | string>(pkg.exports)) {
      const targets = typeof entry === 'string' ? [entry] : [entry.types, entry.default];
      for (const target of targets) expect(files, target).toContain(normalize(target));
    }
    expect(files).toContain(normalize(pkg.bin.pixelprep));
    expect(files).toContain('docs/cli.md');
    expect(files).toContain('samples/chelsea.jpg');
  });

  it('ships no source maps and no sources, tests or scripts', () => {
    const unwanted = [...files].filter((f) => f.endsWith('.map') || /^(src|test|scripts|benchmarks\/(?!results\/latest\.(md|svg)$))/.test(f));
    expect(unwanted).toEqual([]);
    const mapped = [...files].filter((f) => f.endsWith('.js') && text(f).includes('sourceMappingURL'));
    expect(mapped).toEqual([]);
  });

  it('every relative link in README.md and docs/*.md points at a shipped file', () => {
    const documents = [...files].filter((f) => f === 'README.md' || /^docs\/.*\.md$/.test(f));
    const broken: string[] = [];
    for (const document of documents) {
      for (const [, target] of text(document).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target) || target.startsWith('#')) continue;
        const path = normalize(join(dirname(document), target.split('#')[0]));
        if (!files.has(path)) broken.push(`${document} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every docs/ or samples/ file the CLI names is shipped', () => {
    const named = new Set<string>();
    for (const file of [...files].filter((f) => f.startsWith('dist/cli/') && f.endsWith('.js'))) {
      for (const [path] of text(file).matchAll(/\b(?:docs|samples)\/[\w.-]+\.\w+/g)) named.add(path);
    }
    expect([...named].filter((path) => !files.has(path))).toEqual([]);
    expect(named.size).toBeGreaterThan(0);
  });
});
