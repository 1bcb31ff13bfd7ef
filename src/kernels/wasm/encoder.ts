/**
 * A minimal WebAssembly binary encoder: just enough to emit the SIMD kernels
 * in wasm_affine_module.ts without a toolchain. Opcode numbers follow the
 * WebAssembly core and SIMD specifications (binary format, section 5).
 */

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F64 | typeof V128;

/** Core (single-byte) opcodes used by the kernels. */
export const OP = {
  loop: 0x03,
  block: 0x02,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load8U: 0x2d,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Store: 0x36,
  i32Load: 0x28,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Shl: 0x74,
  f32DemoteF64: 0xb6,
} as const;

/** SIMD opcodes (0xFD prefix, LEB128 sub-opcode). */
export const SIMD = {
  load: 0x00,
  store: 0x0b,
  shuffle: 0x0d,
  swizzle: 0x0e,
  i8x16Splat: 0x0f,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  or: 0x50,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  i8x16MinU: 0x77,
  i8x16MaxU: 0x79,
  i16x8ExtaddPairwiseI8x16U: 0x7d,
  i32x4ExtaddPairwiseI16x8U: 0x7f,
  i16x8ExtendLowI8x16U: 0x89,
  i16x8ExtendHighI8x16U: 0x8a,
  i32x4ExtendLowI16x8U: 0xa9,
  i32x4ExtendHighI16x8U: 0xaa,
  i32x4Add: 0xae,
  i32x4DotI16x8S: 0xba,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f32x4Pmin: 0xea,
  f32x4Pmax: 0xeb,
  f64x2Add: 0xf0,
  f64x2Mul: 0xf2,
  f64x2Pmin: 0xf6,
  f64x2Pmax: 0xf7,
  f32x4ConvertI32x4S: 0xfa,
  f64x2ConvertLowI32x4S: 0xfe,
} as const;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 for 32-bit values. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const name = (text: string): number[] => {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
};
const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];

/** Instruction emitter for one function body. */
export class Code {
  readonly bytes: number[] = [];

  op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }
  get(local: number): this {
    return this.op(OP.localGet, ...uleb(local));
  }
  set(local: number): this {
    return this.op(OP.localSet, ...uleb(local));
  }
  tee(local: number): this {
    return this.op(OP.localTee, ...uleb(local));
  }
  i32(value: number): this {
    return this.op(OP.i32Const, ...sleb(value));
  }
  simd(opcode: number): this {
    return this.op(0xfd, ...uleb(opcode));
  }
  /** v128.load from the address on the stack plus a constant offset. */
  load(offset = 0): this {
    return this.simd(SIMD.load).op(0, ...uleb(offset));
  }
  /** v128.store of the value on the stack at the address below it plus `offset`. */
  store(offset = 0): this {
    return this.simd(SIMD.store).op(0, ...uleb(offset));
  }
  /** i8x16.shuffle with 16 immediate lane indices (0-15 first operand, 16-31 second). */
  shuffle(lanes: readonly number[]): this {
    return this.simd(SIMD.shuffle).op(...lanes);
  }
  /** A scalar memory access opcode with its memarg (align hint 0). */
  mem(opcode: number, offset = 0): this {
    return this.op(opcode, 0, ...uleb(offset));
  }
}

export interface FunctionDef {
  name: string;
  params: readonly ValueType[];
  /** Extra locals after the params. */
  locals: readonly ValueType[];
  code: Code;
}

/**
 * Encodes a module that imports its memory (`env.memory`, at least `minPages`
 * pages of 64 KiB, so each instance can work in a memory of its own size) and
 * exports its functions.
 */
export function encodeModule(functions: readonly FunctionDef[], minPages: number): Uint8Array {
  const signatures: string[] = [];
  const typeIndex = functions.map((f) => {
    const key = f.params.join(',');
    if (!signatures.includes(key)) signatures.push(key);
    return signatures.indexOf(key);
  });
  const types = signatures.map((key) => [0x60, ...vector(key.split(',').filter(Boolean).map((t) => [Number(t)])), 0]);
  const bodies = functions.map((f) => {
    const runs: number[][] = [];
    for (const type of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === type) last[0]++;
      else runs.push([1, type]);
    }
    const body = [...vector(runs.map(([count, type]) => [...uleb(count), type])), ...f.code.bytes, OP.end];
    return [...uleb(body.length), ...body];
  });
  const imports = [[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(minPages)]];
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector(imports)),
    ...section(3, vector(typeIndex.map((i) => uleb(i)))),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}
