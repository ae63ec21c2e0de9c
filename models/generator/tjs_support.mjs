// Pieces shared by the verify_*_with_transformersjs.mjs scripts: argument parsing, loading
// transformers.js (and its onnxruntime-node) from a node_modules directory outside the
// repository, pointing it at a local model directory, and the pass/fail bookkeeping.

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Where transformers.js is installed unless --node-modules says otherwise. */
export const DEFAULT_NODE_MODULES = process.env.TRANSFORMERS_JS_NODE_MODULES ?? "/tmp/tjs/node_modules";

/** "--flag value" pairs into args[keys[flag]]; any other flag fails. */
export function parseFlags(argv, args, keys) {
  for (let i = 0; i < argv.length; i += 2) {
    if (!Object.hasOwn(keys, argv[i])) throw new Error(`unknown argument ${argv[i]}`);
    args[keys[argv[i]]] = argv[i + 1];
  }
  return args;
}

/**
 * Imports @huggingface/transformers from nodeModules: { module, version }, plus, with withOrt,
 * the same onnxruntime-node instance transformers.js uses (its Tensor class must match) as ort.
 */
export async function loadTransformers(nodeModules, { withOrt = false } = {}) {
  const pkgDir = path.join(nodeModules, "@huggingface", "transformers");
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
