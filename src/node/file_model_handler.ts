/**
 * A tf.io handler that saves and loads a LayersModel in a directory on disk
 * with node:fs: `model.json` plus one `weights.bin`, the layout
 * `tf.loadLayersModel('file://...')` reads. tfjs' own file:// handler ships
 * with tfjs-node only; this one needs nothing but tfjs-core.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mkdir } from 'node:fs/promises';
import { constants as bufferConstants } from 'node:buffer';
import { isAbsolute, join, normalize } from 'node:path';
import { PixelprepError } from '../core/errors.js';
import { writeFileAtomic } from './atomic_write.js';
import { readRegularFile } from './read_regular.js';
import { describe, isPlainObject } from '../core/validate.js';

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/** A regular file's bytes (a FIFO or a device named model.json is refused, not read forever). */
const readOrFail = (path: string): Promise<Uint8Array> => readRegularFile(path, 'a model file', bufferConstants.MAX_LENGTH);

/** A weights path from model.json, kept inside the model's directory. */
function weightsPath(directory: string, path: unknown): string {
  if (typeof path !== 'string' || isAbsolute(path) || normalize(path).startsWith('..')) {
    throw new PixelprepError('E_FORMAT', `Expected weight file paths relative to ${directory} in ${MODEL_FILE} but received ${describe(path)}`);
  }
  return join(directory, path);
}

function isModelJSON(value: unknown): value is tf.io.ModelJSON {
  return isPlainObject(value) && isPlainObject(value.modelTopology) && Array.isArray(value.weightsManifest) && value.weightsManifest.every(isPlainObject);
}

/**
 * An IOHandler for `model.save(handler)` and `tf.loadLayersModel(handler)`
 * backed by a directory. Saving creates the directory, writes `weights.bin`
 * and then `model.json`, each atomically, so a reader never sees half a file
 * or a model.json whose weights are not there yet. Overwriting a saved model
 * replaces the two files one after the other: a reader that loads between the
 * two renames may pair the old model.json with the new weights, so save a new
 * version to a new directory when readers may be loading.
 *
 * @param directory where `model.json` and `weights.bin` live.
 * @throws PixelprepError (from save/load) E_IO when a file cannot be written or read;
 *   E_FORMAT when model.json is not a tfjs layers model or names weights outside the directory.
 * @example
 * await model.save(fileModelHandler('./out/classifier'));
 * const again = await tf.loadLayersModel(fileModelHandler('./out/classifier'));
 */
export function fileModelHandler(directory: string): tf.io.IOHandler {
  if (typeof directory !== 'string' || directory.length === 0) {
    throw new PixelprepError('E_ARGUMENT', `Expected a directory path for fileModelHandler but received ${describe(directory)}`);
  }
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (!isPlainObject(artifacts.modelTopology)) {
        throw new PixelprepError('E_FORMAT', `Expected a layers model topology (a JSON object) to save but received ${describe(artifacts.modelTopology)}`);
      }
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJSON: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.format === undefined ? {} : { format: artifacts.format }),
        ...(artifacts.generatedBy === undefined ? {} : { generatedBy: artifacts.generatedBy }),
        ...(artifacts.convertedBy === undefined ? {} : { convertedBy: artifacts.convertedBy }),
        ...(artifacts.trainingConfig === undefined ? {} : { trainingConfig: artifacts.trainingConfig }),
        ...(artifacts.userDefinedMetadata === undefined ? {} : { userDefinedMetadata: artifacts.userDefinedMetadata }),
      };
      try {
        await mkdir(directory, { recursive: true });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new PixelprepError('E_IO', `Expected to create the directory ${directory} but could not: ${reason}`, { cause: error });
      }
      await writeFileAtomic(join(directory, WEIGHTS_FILE), new Uint8Array(weights));
      await writeFileAtomic(join(directory, MODEL_FILE), JSON.stringify(modelJSON));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const path = join(directory, MODEL_FILE);
      const text = new TextDecoder().decode(await readOrFail(path));
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new PixelprepError('E_FORMAT', `Expected ${path} to hold JSON but it does not parse: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      if (!isModelJSON(json)) {
        throw new PixelprepError('E_FORMAT', `Expected ${path} to hold a tfjs model ({ modelTopology, weightsManifest }) but received ${describe(json)}`);
      }
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const paths = manifest.flatMap((group) => group.paths.map((p) => weightsPath(directory, p)));
        const buffers = await Promise.all(paths.map(readOrFail));
        const joined = new Uint8Array(Buffer.concat(buffers));
        return [specs, joined.buffer];
      });
    },
  };
}
