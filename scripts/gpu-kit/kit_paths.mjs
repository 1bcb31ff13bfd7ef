// Where the kit's package lives, and imports from it. In the kit these scripts
// sit in gpu-kit/kit/ beside gpu-kit/dist/ and gpu-kit/node_modules/; in the
// repository (scripts/gpu-kit/) set PIXELPREP_KIT_ROOT to the repository root.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const kitRoot = resolve(process.env.PIXELPREP_KIT_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..'));

/** Imports a file of the built package, e.g. fromDist('index.js'). */
export const fromDist = (file) => import(pathToFileURL(join(kitRoot, 'dist', file)).href);

/** Imports a package as dist/ resolves it (one tfjs-core per process). */
export function fromPackage(name) {
  const require = createRequire(join(kitRoot, 'dist', 'index.js'));
  return import(pathToFileURL(require.resolve(name)).href);
}

/** `--name value` flags and bare switches from argv into an object of strings and booleans. */
export function parseFlags(argv, switches = []) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`Expected --flag arguments but received '${arg}'`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s);
    if (switches.includes(name)) flags[name] = true;
    else if (inline !== undefined) flags[name] = inline;
    else if (i + 1 < argv.length) flags[name] = argv[++i];
    else throw new Error(`Expected a value after --${name} but received nothing`);
  }
  return flags;
}

/** Seconds left before an epoch-milliseconds deadline (Infinity without one). */
export const secondsLeft = (deadline) => (Number.isFinite(deadline) ? (deadline - Date.now()) / 1000 : Infinity);
