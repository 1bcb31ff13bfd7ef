/**
 * A minimal PNG encoder written from the specification (RFC 2083), so tests
 * can make 8- and 16-bit files with known values without the decoder under test.
 */
import { deflateSync } from 'node:zlib';

/** CRC-32 of PNG chunks (ISO 3309). */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])));
  return Buffer.concat([head, body, crc]);
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG colour types by channel count: grey, grey+alpha, RGB, RGBA. */
const COLOUR_TYPE: Record<number, number> = { 1: 0, 2: 4, 3: 2, 4: 6 };

/**
 * Encodes interleaved samples (Uint8Array: 8-bit, Uint16Array: 16-bit) as a
 * PNG with no filtering. `declared` overrides the size written in the header
 * (a decompression bomb declares far more pixels than it holds).
 */
export function encodePng(data: Uint8Array | Uint16Array, width: number, height: number, channels: 1 | 2 | 3 | 4, declared?: { width: number; height: number }): Buffer {
  const depth = data instanceof Uint16Array ? 16 : 8;
  const rowBytes = width * channels * (depth / 8);
  const raw = Buffer.alloc(height * (1 + rowBytes));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + rowBytes);
    raw[row] = 0; // filter: none
    for (let i = 0; i < width * channels; i++) {
      const v = data[y * width * channels + i];
      if (depth === 16) raw.writeUInt16BE(v, row + 1 + 2 * i);
      else raw[row + 1 + i] = v;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(declared?.width ?? width, 0);
  ihdr.writeUInt32BE(declared?.height ?? height, 4);
  ihdr.set([depth, COLOUR_TYPE[channels], 0, 0, 0], 8);
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]);
}
