#!/usr/bin/python3
"""Writes the Pillow reference that test/io checks sharp's decoding against.

For every file in samples/ and every decode option listed below, this decodes
the file with Pillow (after ImageOps.exif_transpose unless the variant turns
orientation off), converts it the way the option describes, and records the
array's shape, dtype and SHA-256 of its C-order bytes in
test/fixtures/pillow/reference.json. It also saves a few arrays as .npy with
numpy, for the .npy reader tests.

Pillow cannot decode 16-bit RGB (it keeps the high byte), so the 16-bit RGB
PNG reference comes from a small PNG decoder written here with zlib and numpy,
checked against Pillow's high bytes.

Run with Debian's python3-pil and python3-numpy:  /usr/bin/python3 scripts/pillow_reference.py
"""
import hashlib
import json
import os
import struct
import zlib

import numpy as np
import PIL
from PIL import Image, ImageOps, features

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, 'samples')
FIXTURE_IMAGES = os.path.join(ROOT, 'test', 'fixtures', 'images')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'pillow')


def png16_rgb(path):
    """Decodes a non-interlaced 16-bit RGB PNG (zlib + the five PNG row filters)."""
    with open(path, 'rb') as f:
        data = f.read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    pos, idat, header = 8, b'', None
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 16 and colour == 2 and interlace == 0, header
    raw = zlib.decompress(idat)
    bpp, stride = 6, width * 6
    rows = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = np.frombuffer(raw[start + 1:start + 1 + stride], dtype=np.uint8).astype(np.int32)
        out = np.zeros(stride, dtype=np.int32)
        for x in range(stride):
            a = out[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 0:
                pred = 0
            elif kind == 1:
                pred = a
            elif kind == 2:
                pred = b
            elif kind == 3:
                pred = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            out[x] = (line[x] + pred) & 0xFF
        rows[y] = out
        prev = out
    return rows.view('>u2').reshape(height, width, 3).astype(np.uint16)


def pillow(path, orient=True):
    image = Image.open(path)
    image.load()
    return ImageOps.exif_transpose(image) if orient else image


def as_array(image):
    """numpy array of a Pillow image: 'I;16' as uint16, everything else uint8."""
    array = np.asarray(image)
    if image.mode == 'I;16':
        return array.astype(np.uint16)
    assert array.dtype == np.uint8, (image.mode, array.dtype)
    return array


def keep_channels(image):
    """channels 'keep' (alpha dropped): grey stays 1, colour 3."""
    if image.mode in ('L', 'I;16', 'RGB'):
        return image
    if image.mode == 'LA':
        return image.convert('L')
    if image.mode in ('RGBA', 'P', 'CMYK'):
        return image.convert('RGB')
    raise ValueError(image.mode)


def record(entries, name, options, array, note):
    array = np.ascontiguousarray(array)
    if array.ndim == 2:
        array = array[:, :, None]
    entries.append({
        'file': name,
        'options': options,
        'shape': list(array.shape),
        'dtype': str(array.dtype),
        'sha256': hashlib.sha256(array.tobytes()).hexdigest(),
        'mean': [float(array[:, :, c].astype(np.float64).mean()) for c in range(array.shape[2])],
        'pillow': note,
    })
    return array


def main():
    os.makedirs(OUT, exist_ok=True)
    entries = []
    files = [('samples/' + n, os.path.join(SAMPLES, n)) for n in sorted(os.listdir(SAMPLES))]
    files += [('test/fixtures/images/' + n, os.path.join(FIXTURE_IMAGES, n)) for n in sorted(os.listdir(FIXTURE_IMAGES))]
    for name, path in files:
        if os.path.basename(name).startswith('.') or name.endswith('.md'):
            continue
        image = pillow(path)
        mode = image.mode
        if name.endswith('astronaut16.png'):
            exact16 = png16_rgb(path)
            # Pillow keeps the high byte of 16-bit RGB: the decoder above must agree.
            assert np.array_equal(exact16 >> 8, as_array(image)), 'PNG decoder disagrees with Pillow'
            record(entries, name, {'depth': 'auto'}, exact16, 'zlib+numpy PNG decoder (Pillow keeps only the high byte)')
            record(entries, name, {}, as_array(image), "Image.open (mode RGB: Pillow's high byte of each 16-bit sample)")
            record(entries, name, {'channels': 1}, as_array(image.convert('L')), "convert('L') of the high bytes")
            continue
        if mode == 'I;16':
            exact16 = as_array(image)
            record(entries, name, {'depth': 'auto'}, exact16, "Image.open (mode I;16)")
            record(entries, name, {}, (exact16 >> 8).astype(np.uint8), 'I;16 >> 8 (Pillow\'s convert("L") would clip at 255 instead)')
            record(entries, name, {'depth': 'auto', 'channels': 3}, np.repeat(exact16[:, :, None], 3, axis=2), 'I;16 repeated to 3 channels')
            continue
        record(entries, name, {}, as_array(keep_channels(image)), f'exif_transpose, mode {mode} -> {keep_channels(image).mode}')
        record(entries, name, {'channels': 1}, as_array(image.convert('L')), "exif_transpose, convert('L')")
        record(entries, name, {'channels': 3}, as_array(image.convert('RGB')), "exif_transpose, convert('RGB')")
        record(entries, name, {'channels': 4}, as_array(image.convert('RGBA')), "exif_transpose, convert('RGBA')")
        if mode in ('RGBA', 'LA'):
            record(entries, name, {'alpha': 'keep'}, as_array(image), f'exif_transpose, mode {mode} as stored')
        if name.endswith('.jpg'):
            record(entries, name, {'autoOrient': False}, as_array(keep_channels(pillow(path, orient=False))), 'Image.open without exif_transpose')
    with open(os.path.join(OUT, 'reference.json'), 'w') as f:
        json.dump({
            'generator': 'scripts/pillow_reference.py',
            'pillow': PIL.__version__,
            'numpy': np.__version__,
            'libjpeg': features.version('jpg'),
            'libjpeg_turbo': features.version('libjpeg_turbo'),
            'libwebp': features.version('webp'),
            'libtiff': features.version('libtiff'),
            'entries': entries,
        }, f, indent=1)
        f.write('\n')
    # One whole decoded photograph as numpy writes it, for the .npy reader.
    np.save(os.path.join(OUT, 'camera.npy'), as_array(pillow(os.path.join(SAMPLES, 'camera.png'))))
    print(f'{len(entries)} references written to {OUT}')


if __name__ == '__main__':
    main()
