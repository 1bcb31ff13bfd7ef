import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PixelprepError } from '../../src/core/errors.js';
import { decodeNpy, encodeNpy, readNpy, writeNpy, type NpyArray } from '../../src/node/index.js';
import { ROOT } from './fixtures.js';

const fixture = (name: string) => `${ROOT}test/fixtures/npy/${name}.npy`;

/** The arrays scripts/npy_reference.py saved with numpy, rebuilt here from the same formulas. */
const NUMPY_WRITTEN: Record<string, NpyArray> = {
  f4_2x3: { data: Float32Array.from({ length: 6 }, (_, i) => i / 4 - 0.5), shape: [2, 3] },
  u1_4x5x3: { data: Uint8Array.from({ length: 60 }, (_, i) => (i * 7) % 256), shape: [4, 5, 3] },
  u2_3: { data: new Uint16Array([0, 1, 65535]), shape: [3] },
  i4_scalar: { data: new Int32Array([-7]), shape: [] },
  f8_2x2x2x2: { data: Float64Array.from({ length: 16 }, (_, i) => -1 + (2 * i) / 15), shape: [2, 2, 2, 2] },
  u1_100000x0: { data: new Uint8Array(0), shape: [100000, 0] },
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixelprep-npy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectSameArray(actual: NpyArray, expected: NpyArray): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.data.constructor).toBe(expected.data.constructor);
  expect(Array.from(actual.data)).toEqual(Array.from(expected.data));
}

describe('.npy writer: the bytes numpy.save writes', () => {
  it('writes the header the format specification describes, byte for byte', () => {
    const bytes = encodeNpy({ data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
    // Magic "\x93NUMPY", version 1.0, header length (uint16 LE), then the dict literal.
    // numpy leaves 21 - len("2") = 20 spaces for the first axis to grow, then pads with
    // spaces and a newline so the data starts at a multiple of 64: 10 + 59 + 20 + 38 + 1 = 128.
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    expect(dict.length).toBe(59);
    const header = `${dict}${' '.repeat(58)}\n`;
    const expected = [0x93, ...Buffer.from('NUMPY'), 1, 0, header.length, 0, ...Buffer.from(header, 'latin1')];
    expect(Array.from(bytes.subarray(0, 128))).toEqual(expected);
    expect(bytes.length).toBe(128 + 6 * 4);
    expect(Array.from(new Float32Array(bytes.slice(128).buffer))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  for (const [name, array] of Object.entries(NUMPY_WRITTEN)) {
    it(`${name}: encodeNpy equals numpy's file and decodeNpy reads it back`, async () => {
      const numpyBytes = new Uint8Array(await readFile(fixture(name)));
      expect(Buffer.compare(Buffer.from(encodeNpy(array)), Buffer.from(numpyBytes))).toBe(0);
      expectSameArray(decodeNpy(numpyBytes), array);
    });
  }

  it('writes Uint8ClampedArray as uint8', () => {
    const clamped = encodeNpy({ data: new Uint8ClampedArray([1, 2, 255]), shape: [3] });
    expect(Buffer.from(clamped).toString('latin1')).toContain("'descr': '|u1'");
  });
});

describe('.npy reader: what numpy writes', () => {
  it('reads big-endian float32, bool, version 2.0 headers', async () => {
    expectSameArray(await readNpy(fixture('f4_big_endian_4')), { data: new Float32Array([0.25, 1.25, 2.25, 3.25]), shape: [4] });
    expectSameArray(await readNpy(fixture('b1_3')), { data: new Uint8Array([1, 0, 1]), shape: [3] });
    expectSameArray(await readNpy(fixture('f4_v2_2x3')), NUMPY_WRITTEN.f4_2x3);
  });

  it('refuses int64 (E_DTYPE) and Fortran order (E_SHAPE), saying what to do', async () => {
    await expect(readNpy(fixture('i8_3'))).rejects.toMatchObject({ code: 'E_DTYPE', message: expect.stringMatching(/'<i8'.*astype/) });
    await expect(readNpy(fixture('f4_fortran_2x3'))).rejects.toMatchObject({ code: 'E_SHAPE', message: expect.stringMatching(/Fortran order/) });
  });

  it('rejects truncated and foreign bytes with E_FORMAT naming the source', async () => {
    const good = await readFile(fixture('f4_2x3'));
    expect(() => decodeNpy(good.subarray(0, good.length - 1), 'cut.npy')).toThrow(/cut.npy.*truncated/);
    expect(() => decodeNpy(good.subarray(0, 40), 'cut.npy')).toThrow(/cut.npy.*inside the header/);
    expect(() => decodeNpy(new Uint8Array(Buffer.from('PK\x03\x04 a zip file')), 'a.npz')).toThrow(PixelprepError);
    await expect(readNpy(join(dir, 'missing.npy'))).rejects.toMatchObject({ code: 'E_IO' });
  });
});

describe('round trip', () => {
  const arrays = fc.oneof(
    fc.tuple(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 4 }), fc.constantFrom('u1', 'u2', 'i4', 'f4', 'f8')).map(([shape, kind]) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const make = { u1: Uint8Array, u2: Uint16Array, i4: Int32Array, f4: Float32Array, f8: Float64Array }[kind];
      const data = new make(n);
      for (let i = 0; i < n; i++) data[i] = kind.startsWith('f') ? (i * 0.37 - 1) / 3 : (i * 31) % (kind === 'u1' ? 256 : 60000);
      return { data, shape } as NpyArray;
    }),
  );

  it('decodeNpy(encodeNpy(a)) is a for every dtype and shape, and the data starts at a multiple of 64', () => {
    fc.assert(
      fc.property(arrays, (array) => {
        const bytes = encodeNpy(array);
        const headerLength = bytes[8] + bytes[9] * 256;
        expect((10 + headerLength) % 64).toBe(0);
        expect(bytes[10 + headerLength - 1]).toBe(0x0a);
        expectSameArray(decodeNpy(bytes), array);
      }),
      { numRuns: 200 },
    );
  });

  it('writeNpy writes atomically and readNpy reads it; a failed write leaves nothing', async () => {
    const path = join(dir, 'scaled.npy');
    const array = { data: Float32Array.from({ length: 24 }, (_, i) => i / 7), shape: [2, 2, 2, 3] };
    await writeNpy(path, array);
    expectSameArray(await readNpy(path), array);
    await expect(writeNpy(join(dir, 'no-such-dir', 'x.npy'), array)).rejects.toMatchObject({ code: 'E_IO' });
    expect(() => encodeNpy({ data: new Float32Array(5), shape: [2, 3] })).toThrow(/6 values/);
    expect((await readdir(dir)).sort()).toEqual(['scaled.npy']);
  });
});
