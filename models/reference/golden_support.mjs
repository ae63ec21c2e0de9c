// Pieces shared by the transformers.js golden generators (make_goldens.mjs,
// make_translation_goldens.mjs, make_summary_goldens.mjs): argument parsing, input files,
// local-model setup, the pinned-version check, model file hashes, deterministic JSON writing, and
// for the seq2seq goldens the greedy model, the text2text pipeline settings and the rows of
// generate(). Paths are relative to the repository root.

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AutoModelForSeq2SeqLM, env } from "@huggingface/transformers";

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

export function sameArray(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
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

/** serializer() for goldens whose numbers are all integers (any other number fails). */
export const serializeIntegers = serializer(
  (v) => v === null || typeof v !== "object",
  (v) => {
    if (typeof v === "number" && !Number.isInteger(v)) fail(`non-integer number ${v}`);
    return JSON.stringify(v);
  },
);

// ---------------------------------------------------------------------------------------------
// Seq2seq goldens (translation, summarization).

/** The files of a seq2seq model directory hashed into its golden (configs, tokenizer, both decoder layouts). */
export const SEQ2SEQ_MODEL_FILES = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
  "special_tokens_map.json", "onnx/encoder_model.onnx", "onnx/decoder_model_merged.onnx",
  "onnx/decoder_model.onnx", "onnx/decoder_with_past_model.onnx"];

/** What the transformers.js text2text pipelines (translation, summarization) pass to the tokenizer. */
export const PIPELINE_TOKENIZER_OPTIONS = { padding: true, truncation: true };

/**
 * Options of every text2text pipeline call: those pipelines set max_new_tokens 256 by default, which
 * overrides the model's max_length (the Python pipeline uses the model's generation config); null
 * restores it.
 */
export const PIPELINE_KWARGS = { max_new_tokens: null };

/**
 * Loads the seq2seq model and fails unless transformers.js took the merged decoder and decodes
 * greedily. gen: the settings generate() runs with (GenerationConfig defaults, then config.json, then
 * generation_config.json; transformers.js 4.3.1 PreTrainedModel._prepare_generation_config);
 * start/eos: the decoder start and eos token ids.
 */
export async function loadGreedySeq2Seq(modelId, modelOptions) {
  const model = await AutoModelForSeq2SeqLM.from_pretrained(modelId, modelOptions);
  if (!model.sessions.decoder_model_merged) fail("transformers.js did not load the merged decoder");
  const gen = model._prepare_generation_config(null, {});
  if (gen.num_beams !== 1 || gen.do_sample) fail(`generation config is not greedy: ${JSON.stringify(gen)}`);
  const start = model.config.decoder_start_token_id;
  const eos = gen.eos_token_id ?? model.config.eos_token_id;
  if (typeof start !== "number" || typeof eos !== "number") fail("cannot tell the decoder start and eos tokens");
  return { model, gen, start, eos };
}

/** Rows of a generate() result without the decoder start token (checked), cut after the first eos (kept). */
export function generatedRows(sequences, start, eos) {
  const [b, n] = sequences.dims;
  const flat = Array.from(sequences.data, Number);
  const out = [];
  for (let r = 0; r < b; r += 1) {
    const row = flat.slice(r * n, (r + 1) * n);
    if (row[0] !== start) fail(`generated row does not begin with the decoder start token ${start}: ${row}`);
    const gen = row.slice(1);
    const end = gen.indexOf(eos);
    out.push(end < 0 ? gen : gen.slice(0, end + 1));
  }
  return out;
}

/** Fails unless the ids of input id from one padded batch equal its one-at-a-time ids. */
export function checkBatchedIds(id, single, batched) {
  if (!sameArray(single, batched)) {
    fail(`${id}: batched ids ${JSON.stringify(batched)} differ from one-at-a-time ${JSON.stringify(single)}`);
  }
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
