import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { BENCH_METHODS, FULL_GRID, QUICK_GRID } from '../../src/bench/grid.js';
import { DEFAULT_OUT_DIR, parseBenchOptions } from '../../src/bench/options.js';
import { PixelprepError } from '../../src/core/errors.js';
import { registerBenchCommand } from '../../src/cli/commands/bench.js';

function expectArgumentError(fn: () => unknown, ...fragments: string[]): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PixelprepError);
    expect((error as PixelprepError).code).toBe('E_ARGUMENT');
    for (const f of fragments) expect((error as PixelprepError).message).toContain(f);
    return;
  }
  throw new Error('expected a PixelprepError');
}

describe('parseBenchOptions', () => {
  it('defaults to the full grid, every backend, numpy on, results in benchmarks/results', () => {
    const c = parseBenchOptions();
    expect(c.quick).toBe(false);
    expect(c.grid).toEqual(FULL_GRID);
    expect(c.grid.batches).toEqual([1, 8, 32, 128, 256]);
    expect(c.grid.sizes).toEqual([32, 224, 512]);
    expect(c.grid.dtypes).toEqual(['uint8', 'float32']);
    expect(c.backends).toBeNull();
    expect(c.numpy).toBe(true);
    expect(c.outDir).toBe(DEFAULT_OUT_DIR);
    expect(c.chainMethods).toEqual([...BENCH_METHODS]);
    expect(c.maxBytes).toBe(256e6);
  });

  it('quick mode uses the small grid, short budgets and the op chain for normalize only', () => {
    const c = parseBenchOptions({ quick: true });
    expect(c.grid).toEqual(QUICK_GRID);
    expect(c.grid.batches).toContain(32);
    expect(c.grid.sizes).toEqual([224]);
    expect(c.chainMethods).toEqual(['normalize']);
    expect(c.maxSeconds).toBeLessThan(parseBenchOptions().maxSeconds);
  });

  it('parses comma-separated lists and numbers given as strings (as commander passes them)', () => {
    const c = parseBenchOptions({
      backends: 'cpu, wasm',
      methods: 'normalize,stats',
      batches: '1,8,8',
      sizes: '32',
      dtypes: 'float32',
      warmup: '0',
      repeats: '4',
      seconds: '0.5',
      maxMb: '64',
      numpy: false,
      out: '/tmp/x',
    });
    expect(c.backends).toEqual(['cpu', 'wasm']);
    expect(c.grid).toEqual({ methods: ['normalize', 'stats'], batches: [1, 8], sizes: [32], dtypes: ['float32'] });
    expect(c.warmup).toBe(0);
    expect(c.repeats).toBe(4);
    expect(c.maxSeconds).toBe(0.5);
    expect(c.maxBytes).toBe(64e6);
    expect(c.numpy).toBe(false);
    expect(c.outDir).toBe('/tmp/x');
  });

  it('accepts arrays from programmatic callers', () => {
    expect(parseBenchOptions({ batches: [2, '4'], methods: ['stats'] }).grid.batches).toEqual([2, 4]);
  });

  it('rejects bad values with E_ARGUMENT naming the option and the value', () => {
    expectArgumentError(() => parseBenchOptions({ methods: 'normalise' }), 'methods', "'normalise'");
    expectArgumentError(() => parseBenchOptions({ backends: 'cuda' }), 'backends', "'cuda'");
    expectArgumentError(() => parseBenchOptions({ batches: '1,0' }), 'batches', '"0"');
    expectArgumentError(() => parseBenchOptions({ batches: '2.5' }), 'batches');
    expectArgumentError(() => parseBenchOptions({ sizes: 'big' }), 'sizes', '"big"');
    expectArgumentError(() => parseBenchOptions({ dtypes: 'int8' }), 'dtypes');
    expectArgumentError(() => parseBenchOptions({ repeats: '0' }), 'repeats');
    expectArgumentError(() => parseBenchOptions({ warmup: '-1' }), 'warmup');
    expectArgumentError(() => parseBenchOptions({ seconds: 'NaN' }), 'seconds');
    expectArgumentError(() => parseBenchOptions({ maxMb: '' }), 'maxMb');
    expectArgumentError(() => parseBenchOptions({ methods: ' , ' }), 'methods', 'comma-separated list');
    expectArgumentError(() => parseBenchOptions({ out: '  ' }), 'out');
    expectArgumentError(() => parseBenchOptions({ fast: true } as never), 'fast');
  });
});

describe('bench command', () => {
  it('registers `bench` with commander and hands its flags to parseBenchOptions unchanged', () => {
    const program = new Command('pixelprep').exitOverride();
    registerBenchCommand(program);
    const bench = program.commands.find((c) => c.name() === 'bench');
    expect(bench).toBeDefined();
    if (!bench) return;
    bench.exitOverride().action(() => undefined);
    program.parse(['bench', '--quick', '--backends', 'cpu', '--max-mb', '10', '--no-numpy', '--batches', '1,2'], { from: 'user' });
    const config = parseBenchOptions(bench.opts());
    expect(config.quick).toBe(true);
    expect(config.backends).toEqual(['cpu']);
    expect(config.maxBytes).toBe(10e6);
    expect(config.numpy).toBe(false);
    expect(config.grid.batches).toEqual([1, 2]);
    expect(config.outDir).toBe('benchmarks/results');
  });
});
