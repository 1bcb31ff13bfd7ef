#!/usr/bin/python3
"""Writes .npy files with numpy.save into test/fixtures/npy for the .npy reader and writer tests.

Each array is a simple formula the test rebuilds on its own, so the test can
check that pixelprep writes the same bytes as numpy and reads numpy's files
back to the same values.  Run:  /usr/bin/python3 scripts/npy_reference.py
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'test', 'fixtures', 'npy')


def main():
    os.makedirs(OUT, exist_ok=True)
    arrays = {
        # Written identically by pixelprep (checked byte for byte).
        'f4_2x3': np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5,
        'u1_4x5x3': (np.arange(60) * 7 % 256).astype(np.uint8).reshape(4, 5, 3),
        'u2_3': np.array([0, 1, 65535], dtype=np.uint16),
        'i4_scalar': np.array(-7, dtype=np.int32),
        'f8_2x2x2x2': np.linspace(-1, 1, 16).reshape(2, 2, 2, 2),
        'u1_100000x0': np.zeros((100000, 0), dtype=np.uint8),
        # Read only.
        'f4_big_endian_4': np.arange(4, dtype='>f4') + 0.25,
        'b1_3': np.array([True, False, True]),
        'i8_3': np.arange(3, dtype=np.int64),
        'f4_fortran_2x3': np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)),
    }
    for name, array in arrays.items():
        np.save(os.path.join(OUT, name + '.npy'), array)
    with open(os.path.join(OUT, 'f4_v2_2x3.npy'), 'wb') as f:
        np.lib.format.write_array(f, arrays['f4_2x3'], version=(2, 0))
    print(f'{len(arrays) + 1} .npy files written to {OUT} with numpy {np.__version__}')


if __name__ == '__main__':
    main()
