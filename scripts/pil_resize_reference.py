#!/usr/bin/python3
"""Writes the Pillow reference that test/resample checks `resize` against.

For every case in the catalogue below, this resizes an image with Pillow's
Image.resize(size, resample, box, reducing_gap) and records the output's
shape and the SHA-256 of its C-order bytes (numpy's tobytes, channels last)
in test/fixtures/pillow/resize_reference.json. The test recomputes every
output with pixelprep's resize and compares the digests.

Sources are either a bundled photograph (decoded as scripts/pillow_reference.py
does: exif_transpose, then convert to L, RGB or RGBA) or a generated image:
bytes from a 32-bit linear congruential generator,
    state = (state * 1664525 + 1013904223) mod 2^32,  byte = state >> 24,
started at `seed` and written row by row, channels last. In RGBA images the
alpha byte a is then pushed to the extremes (a < 48 -> 0, a >= 208 -> 255)
so fully transparent and opaque pixels are common. The test generates the
same bytes.

Run with Debian's python3-pil and python3-numpy:  /usr/bin/python3 scripts/pil_resize_reference.py
"""
import hashlib
import json
import os

import numpy as np
import PIL
from PIL import Image, ImageOps

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'pillow', 'resize_reference.json')

KERNELS = {
    'pil-nearest': Image.Resampling.NEAREST,
    'pil-box': Image.Resampling.BOX,
    'pil-bilinear': Image.Resampling.BILINEAR,
    'pil-hamming': Image.Resampling.HAMMING,
    'pil-bicubic': Image.Resampling.BICUBIC,
    'pil-lanczos': Image.Resampling.LANCZOS,
}
MODES = {1: 'L', 3: 'RGB', 4: 'RGBA'}


def generated(width, height, channels, seed):
    count = width * height * channels
    out = np.empty(count, dtype=np.uint8)
    state = seed & 0xFFFFFFFF
    for i in range(count):
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = state >> 24
    array = out.reshape(height, width, channels)
    if channels == 4:
        alpha = array[:, :, 3]
        alpha[alpha < 48] = 0
        alpha[alpha >= 208] = 255
    return array


def source_image(source):
    if source['kind'] == 'sample':
        image = ImageOps.exif_transpose(Image.open(os.path.join(ROOT, 'samples', source['file'])))
        return image.convert(MODES[source['channels']])
    array = generated(source['width'], source['height'], source['channels'], source['seed'])
    if source['channels'] == 1:
        return Image.fromarray(array[:, :, 0], 'L')
    return Image.fromarray(array, MODES[source['channels']])


def catalogue():
    """(source, options) pairs; options use the names of pixelprep's resize."""
    cases = []

    def add(source, width, height, kernels=KERNELS, **extra):
        for kernel in kernels:
            cases.append((source, dict(width=width, height=height, kernel=kernel, **extra)))

    def gen(width, height, channels, seed):
        return {'kind': 'generated', 'width': width, 'height': height, 'channels': channels, 'seed': seed}

    def photo(name, channels):
        return {'kind': 'sample', 'file': name, 'channels': channels}

    # Bundled photographs: the usual model input sizes, down and up.
    add(photo('chelsea.jpg', 3), 224, 224)
    add(photo('chelsea.jpg', 3), 500, 700)
    add(photo('rocket.jpg', 3), 256, 171, kernels=['pil-bilinear', 'pil-bicubic'])
    add(photo('camera.png', 1), 100, 75)
    add(photo('camera.png', 1), 301, 299, kernels=['pil-bicubic', 'pil-lanczos', 'pil-nearest'])
    add(photo('retina.png', 4), 97, 61)
    add(photo('coffee.png', 3), 224, 224, kernels=['pil-bicubic'], box=[40, 0, 200, 160])
    add(photo('astronaut.webp', 3), 64, 64, reducingGap=2.0)
    add(photo('astronaut.webp', 3), 50, 30, kernels=['pil-bicubic', 'pil-lanczos'], reducingGap=3.0)
    add(photo('camera.png', 1), 37, 38, kernels=['pil-bilinear', 'pil-box'], reducingGap=1.0)
    # Generated images: every channel count, odd sizes, both directions.
    for channels, seed in ((1, 1), (3, 2), (4, 3)):
        add(gen(37, 23, channels, seed), 13, 9)
        add(gen(37, 23, channels, seed), 80, 50)
        add(gen(37, 23, channels, seed), 41, 11)
    # Degenerate and extreme shapes.
    add(gen(1, 50, 3, 4), 1, 17)
    add(gen(1, 50, 1, 5), 3, 80)
    add(gen(50, 1, 3, 6), 7, 1)
    add(gen(1, 1, 3, 7), 5, 4)
    add(gen(5, 5, 4, 8), 1, 1)
    add(gen(1000, 3, 3, 9), 7, 11)
    add(gen(3, 1000, 1, 10), 11, 7)
    # One axis only (the other pass is skipped), and a box that keeps the size.
    add(gen(40, 30, 3, 11), 40, 20)
    add(gen(40, 30, 3, 11), 20, 30)
    add(gen(40, 30, 3, 11), 40, 30, box=[0.5, 0, 40, 30])
    # Boxes: fractional, integer with the output's size (a crop), upsampled.
    add(gen(37, 23, 3, 12), 17, 11, box=[2.5, 3.25, 30.75, 20.5])
    add(gen(37, 23, 4, 13), 60, 40, box=[1.1, 0.3, 20.9, 22.7])
    add(gen(37, 23, 1, 14), 10, 10, box=[3, 4, 13, 14])
    add(gen(37, 23, 3, 15), 9, 8, box=[0, 0, 1e-3, 23])
    # reducing_gap: factors on both axes, one axis, with a box; RGBA ignores it.
    add(gen(200, 150, 3, 16), 23, 17, reducingGap=1.0)
    add(gen(200, 150, 3, 16), 23, 17, reducingGap=2.0)
    add(gen(200, 150, 1, 17), 23, 17, kernels=['pil-bicubic', 'pil-lanczos'], reducingGap=2.5)
    add(gen(301, 40, 3, 18), 20, 30, kernels=['pil-bilinear', 'pil-bicubic'], reducingGap=2.0)
    add(gen(200, 150, 3, 19), 19, 13, kernels=['pil-bicubic', 'pil-box'], reducingGap=1.5, box=[10.5, 7.25, 190, 140.5])
    add(gen(200, 150, 4, 20), 23, 17, kernels=['pil-bicubic'], reducingGap=2.0)
    return cases


def digest(image):
    array = np.asarray(image)
    if array.ndim == 2:
        array = array[:, :, None]
    return list(array.shape), hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def main():
    entries = []
    for source, options in catalogue():
        image = source_image(source)
        box = options.get('box')
        resized = image.resize(
            (options['width'], options['height']),
            KERNELS[options['kernel']],
            box=tuple(box) if box is not None else None,
            reducing_gap=options.get('reducingGap'),
        )
        shape, sha = digest(resized)
        entries.append({'source': source, 'options': options, 'shape': shape, 'sha256': sha})
    header = {'generator': 'scripts/pil_resize_reference.py', 'pillow': PIL.__version__, 'numpy': np.__version__}
    with open(OUT, 'w') as f:
        # One case per line keeps the file small and its diffs readable.
        f.write(json.dumps(header)[:-1] + ', "entries": [\n')
        f.write(',\n'.join(json.dumps(entry) for entry in entries))
        f.write('\n]}\n')
    print(f'{len(entries)} references written to {OUT}')


if __name__ == '__main__':
    main()
