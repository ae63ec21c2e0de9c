// Pieces shared by the verify_*_with_transformersjs.mjs scripts (and minilm_features.mjs): argument
// parsing, running a Python helper of this directory, loading transformers.js (and its
// onnxruntime-node) from a node_modules directory, pointing it at a local model directory, rows of
// generate() results, and the pass/fail bookkeeping.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Where transformers.js is installed unless --node-modules says otherwise: the project's pinned
 * copy (cd models/reference && npm ci --ignore-scripts), the one the goldens come from.
 */
export const DEFAULT_NODE_MODULES = process.env.TRANSFORMERS_JS_NODE_MODULES
  ?? path.resolve(here, "..", "reference", "node_modules");

/** "--flag value" pairs into args[keys[flag]]; any other flag fails. */
export function parseFlags(argv, args, keys) {
  for (let i = 0; i < argv.length; i += 2) {
    if (!Object.hasOwn(keys, argv[i])) throw new Error(`unknown argument ${argv[i]}`);
    args[keys[argv[i]]] = argv[i + 1];
  }
  return args;
}

/**
 * The command line of a script checking one model directory: --model-dir (default modelDir),
 * --node-modules, --report (default none) and --python, plus extra ({"--flag": [key, default]}).
 */
export function parseModelDirArgs(argv, modelDir, extra = {}) {
  const args = { modelDir, nodeModules: DEFAULT_NODE_MODULES, report: null, python: "/usr/bin/python3" };
  const keys = { "--model-dir": "modelDir", "--node-modules": "nodeModules", "--report": "report", "--python": "python" };
  for (const [flag, [key, value]] of Object.entries(extra)) {
    args[key] = value;
    keys[flag] = key;
  }
  return parseFlags(argv, args, keys);
}

/** Runs the Python script of this directory with args; its stdout. */
export function runPython(python, script, args, options = {}) {
  return execFileSync(python, [path.join(here, script), ...args],
    { encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" }, ...options });
}

/**
 * Imports @huggingface/transformers from nodeModules: { module, version }, plus, with withOrt,
 * the same onnxruntime-node instance transformers.js uses (its Tensor class must match) as ort.
 */
export async function loadTransformers(nodeModules, { withOrt = false } = {}) {
  // Absolute: createRequire below rejects a relative path (a relative --node-modules failed there).
  const pkgDir = path.resolve(nodeModules, "@huggingface", "transformers");
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const entry = pkg.exports?.node?.import?.default ?? "./dist/transformers.node.mjs";
  const module = await import(pathToFileURL(path.join(pkgDir, entry)).href);
  if (!withOrt) return { module, version: pkg.version };
  const ort = createRequire(path.join(pkgDir, "package.json"))("onnxruntime-node");
  return { module, version: pkg.version, ort };
}

/** Points transformers.js's env at the parent of modelDir (local files only); the model id. */
export function useModelDir(env, modelDir) {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(path.resolve(modelDir)) + path.sep;
  env.useFSCache = false;
  return path.basename(modelDir);
}

export function sameArray(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function toNumbers(tensor) {
  return Array.from(tensor.data, (x) => Number(x));
}

/** Rows of a generate() result: the decoder start token first, each cut after its first later eos. */
export function generatedRows(sequences, eos) {
  const [b, n] = sequences.dims;
  const flat = toNumbers(sequences);
  const out = [];
  for (let r = 0; r < b; r += 1) {
    const row = flat.slice(r * n, (r + 1) * n);
    const end = row.indexOf(eos, 1);
    out.push(end < 0 ? row : row.slice(0, end + 1));
  }
  return out;
}

/** The upper median (the middle element of the sorted copy). */
export function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** check(ok, message) collects the failed messages; finish() prints them and exits 1, or passes. */
export function checker() {
  const failures = [];
  return {
    failures,
    check(ok, message) {
      if (!ok) failures.push(message);
      return ok;
    },
    finish() {
      if (failures.length) {
        console.log(`\n${failures.length} check(s) failed:`);
        for (const f of failures) console.log(`- ${f}`);
        process.exit(1);
      }
      console.log("\nall checks passed");
    },
  };
}

export function run(main) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
