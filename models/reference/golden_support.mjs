// Pieces shared by the transformers.js golden generators (make_goldens.mjs and
// make_translation_goldens.mjs): argument parsing, local-model setup, the pinned-version check,
// model file hashes and deterministic JSON writing. Paths are relative to the repository root.

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "@huggingface/transformers";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, "..", "..");

/** The only option: --out FILE (default: models/goldens/<goldenName>). */
export function parseArgs(argv, goldenName) {
  const args = { out: path.join(repo, "models", "goldens", goldenName) };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === "--out") args.out = path.resolve(argv[i + 1]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}

export function fail(message) {
  throw new Error(message);
}

/**
 * Command line of a generator over several models ({name, ...} entries): --model NAME (default: every
 * model) and --out FILE (only with --model; default models/goldens/NAME.json). The selected entries
 * come back with their out path.
 */
export function selectModels(argv, models) {
  let only = null;
  let out = null;
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === "--model") only = argv[i + 1];
    else if (argv[i] === "--out") out = path.resolve(argv[i + 1]);
    else fail(`unknown argument ${argv[i]}`);
  }
  const selected = models.filter((m) => only === null || m.name === only);
  if (selected.length === 0) fail(`no model named ${only}; known: ${models.map((m) => m.name).join(", ")}`);
  if (out !== null && only === null) fail("--out needs --model");
  return selected.map((m) => ({ ...m, out: out ?? parseArgs([], `${m.name}.json`).out }));
}

/** The records of JSON-lines input files (paths relative to the repository), in order; ids must be unique. */
export function readInputs(files) {
  const records = files.flatMap((f) => fs.readFileSync(path.join(repo, f), "utf8").split("\n")
    .filter((l) => l.trim()).map((l) => JSON.parse(l)));
  const seen = new Set();
  for (const { id } of records) {
    if (seen.has(id)) fail(`duplicate input id ${id}`);
    seen.add(id);
  }
  return records;
}

/** Points transformers.js at the model directory (local files only); the model id and options to load it. */
export function useLocalModel(modelDir) {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(modelDir) + path.sep;
  env.useFSCache = false;
  const modelId = path.basename(modelDir);
  const modelOptions = { device: "cpu", dtype: "fp32", session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 } };
  return { modelId, modelOptions };
}

/** The installed transformers.js version; fails unless it is the one package.json pins. */
export function pinnedTransformersVersion() {
  const version = JSON.parse(fs.readFileSync(
    path.join(here, "node_modules", "@huggingface", "transformers", "package.json"), "utf8")).version;
  const pinned = JSON.parse(fs.readFileSync(path.join(here, "package.json"), "utf8"))
    .dependencies["@huggingface/transformers"];
  if (version !== pinned) fail(`installed transformers.js ${version} is not the pinned ${pinned}; run npm ci`);
  return version;
}

export function sha256(file) {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** {file: sha256} for the given files of modelDir, in the given order. */
export function modelHashes(modelDir, files) {
  return Object.fromEntries(files.map((f) => [f, sha256(path.join(modelDir, f))]));
}

// Deterministic JSON: sorted keys; objects and arrays holding only scalars on one line.
// isScalar and scalar (how one scalar is printed) come from the caller.
export function serializer(isScalar, scalar) {
  function serialize(v, indent = "") {
    if (isScalar(v)) return scalar(v);
    const inner = indent + "  ";
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      if (v.every(isScalar)) return `[${v.map(scalar).join(", ")}]`;
      return `[\n${v.map((x) => inner + serialize(x, inner)).join(",\n")}\n${indent}]`;
    }
    const keys = Object.keys(v).sort();
    if (keys.length === 0) return "{}";
    if (keys.every((k) => isScalar(v[k]))) {
      return `{${keys.map((k) => `${JSON.stringify(k)}: ${scalar(v[k])}`).join(", ")}}`;
    }
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${serialize(v[k], inner)}`).join(",\n")}\n${indent}}`;
  }
  return serialize;
}

/** Writes text and a final "\n" to out; returns out as shown in messages (relative to the repository when inside it). */
export function writeGolden(out, text) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text + "\n");
  const rel = path.relative(repo, out);
  return rel.startsWith("..") ? out : rel;
}

export function run(main) {
  main().catch((err) => {
    console.error(err.stack || String(err));
    process.exit(1);
  });
}
