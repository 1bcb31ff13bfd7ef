/**
 * The peer range holds at both ends: a consumer project on the oldest and on
 * the newest tfjs 4.x minor that the range admits installs the packed
 * pixelprep with one tfjs-core, no "already registered" warnings, values equal
 * to a float64 loop, a working require('pixelprep') and a clear error for a
 * missing optional peer (scripts/peer_matrix.mjs does the work; needs dist/).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as matrix from '../../scripts/peer_matrix.mjs';

const work = mkdtempSync(join(tmpdir(), 'pixelprep-peer-range-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('peer range', () => {
  it('declares tfjs peers as the range the matrix tests', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.peerDependencies['@tensorflow/tfjs-core']).toBe(`>=${matrix.OLDEST} <5`);
    expect(pkg.peerDependencies['@tensorflow/tfjs-backend-cpu']).toBe(`>=${matrix.OLDEST} <5`);
    expect(pkg.devDependencies['@tensorflow/tfjs-core']).toBe(matrix.NEWEST);
  });

  const tarball = () => matrix.pack(work);
  let packed: string | null = null;
  for (const version of [matrix.OLDEST, matrix.NEWEST]) {
    it(`installs and runs with @tensorflow/tfjs-core ${version}`, () => {
      packed ??= tarball();
      const findings = matrix.checkVersion(version, packed, work);
      console.log(`tfjs ${version}: install ${findings.installSeconds} s, node_modules beyond @tensorflow ${findings.nodeModulesBeyondTfjsMB} MB`);
      expect(matrix.problemsOf(findings)).toEqual([]);
      expect(findings.tfjsCores).toEqual([version]);
    }, 180_000);
  }
});
