// Golden translations from transformers.js (@huggingface/transformers), an implementation of
// Hugging Face tokenization and seq2seq generation independent of ours, over the committed tiny
// Marian model (models/tiny/marian-tiny-en-de).
//
//   cd models/reference && npm ci --ignore-scripts      # or ./check_goldens.sh, which does it
//   node models/reference/make_translation_goldens.mjs [--out models/goldens/marian-tiny-en-de.json]
//
// transformers.js loads onnx/encoder_model.onnx + onnx/decoder_model_merged.onnx (it has no
// option for the split decoders), so the goldens come from the merged layout; the Java test checks
// both of our layouts against them. Greedy decoding with the model's generation_config.json
// (num_beams 1, max_length 64). Paths are relative to the repository root whatever the working
// directory; the output is deterministic (keys sorted, "\n" line ends, no paths or timings).
// See models/reference/README.md.

import fs from "node:fs";
import path from "node:path";
import { AutoModelForSeq2SeqLM, AutoTokenizer, pipeline } from "@huggingface/transformers";
import {
  fail, modelHashes, parseArgs, pinnedTransformersVersion, repo, run, serializer, useLocalModel, writeGolden,
} from "./golden_support.mjs";

const MODEL_REL = "models/tiny/marian-tiny-en-de";
const INPUTS_REL = "models/reference/inputs/translation.jsonl";
const PIPELINE_KWARGS = { max_new_tokens: null };
const MODEL_FILES = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
  "special_tokens_map.json", "onnx/encoder_model.onnx", "onnx/decoder_model_merged.onnx",
  "onnx/decoder_model.onnx", "onnx/decoder_with_past_model.onnx"];

// Deterministic JSON: sorted keys; objects and arrays holding only scalars on one line.
function isScalar(v) {
  return v === null || typeof v !== "object";
}

function scalar(v) {
  if (typeof v === "number" && !Number.isInteger(v)) fail(`non-integer number ${v}`);
  return JSON.stringify(v);
}

const serialize = serializer(isScalar, scalar);

function sameArray(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Rows of a generate() result: the decoder start token first, cut after the first eos. */
function rows(sequences, start, eos) {
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

async function main() {
  const args = parseArgs(process.argv.slice(2), "marian-tiny-en-de.json");
  const modelDir = path.join(repo, MODEL_REL);
  const { modelId, modelOptions } = useLocalModel(modelDir);
  const version = pinnedTransformersVersion();

  const translator = await pipeline("translation", modelId, modelOptions);
  const tokenizer = await AutoTokenizer.from_pretrained(modelId);
  const model = await AutoModelForSeq2SeqLM.from_pretrained(modelId, modelOptions);
  if (!model.sessions.decoder_model_merged) fail("transformers.js did not load the merged decoder");
  const gen = model.generation_config;
  if (gen.num_beams !== 1 || gen.do_sample) fail(`generation_config is not greedy: ${JSON.stringify(gen)}`);
  const start = model.config.decoder_start_token_id;
  const eos = gen.eos_token_id ?? model.config.eos_token_id;
  if (typeof start !== "number" || typeof eos !== "number") fail("cannot tell the decoder start and eos tokens");

  const lines = fs.readFileSync(path.join(repo, INPUTS_REL), "utf8").split("\n").filter((l) => l.trim());
  const records = lines.map((l) => JSON.parse(l));
  const seen = new Set();
  for (const { id } of records) {
    if (seen.has(id)) fail(`duplicate input id ${id}`);
    seen.add(id);
  }
  const texts = records.map((r) => r.text);

  // One at a time (what users of the pipeline do), then all in one padded batch: must agree.
  const single = [];
  for (const text of texts) {
    single.push(rows(await model.generate({ ...tokenizer([text]) }), start, eos)[0]);
  }
  const batched = rows(await model.generate({ ...tokenizer(texts, { padding: true }) }), start, eos);

  const inputs = [];
  for (let i = 0; i < records.length; i += 1) {
    const { id, group, text } = records[i];
    const sourceIds = Array.from(tokenizer(text).input_ids.data, Number);
    if (sourceIds.at(-1) !== eos) fail(`${id}: source ids do not end with </s>`);
    if (!sameArray(single[i], batched[i])) {
      fail(`${id}: batched ids ${JSON.stringify(batched[i])} differ from one-at-a-time ${JSON.stringify(single[i])}`);
    }
    const decoded = tokenizer.decode(single[i], { skip_special_tokens: true });
    // The transformers.js pipeline sets max_new_tokens 256 by default, which overrides the model's
    // max_length 64 (the Python pipeline uses the model's generation_config); null restores it.
    const [{ translation_text: piped }] = await translator(text, PIPELINE_KWARGS);
    if (piped !== decoded) fail(`${id}: pipeline text ${JSON.stringify(piped)} != decoded ids ${JSON.stringify(decoded)}`);
    inputs.push({
      id, group, text,
      source_ids: sourceIds,
      generated_ids: single[i],
      ends_with_eos: single[i].at(-1) === eos,
      translation: piped,
    });
  }

  const golden = {
    about: "Generated by models/reference/make_translation_goldens.mjs; do not edit. Greedy translations of the "
      + "transformers.js translation pipeline (merged decoder) for the committed model.",
    generator: {
      library: "@huggingface/transformers",
      version,
      task: "translation",
      calls: [
        "translator(text, {max_new_tokens: null})  -> translation (the pipeline's own default max_new_tokens 256 "
          + "would override the model's max_length)",
        "model.generate(tokenizer([text]))  -> generated_ids (also checked equal to one padded batch of all inputs)",
        "tokenizer(text).input_ids  -> source_ids",
      ],
      decoder: "onnx/decoder_model_merged.onnx (transformers.js loads no other decoder layout)",
      generation: `model generation_config.json: num_beams ${gen.num_beams}, max_length ${gen.max_length}`,
      generated_ids: `without the decoder start token ${start}; cut after the first eos ${eos}, which is included `
        + "(ends_with_eos false: max_length reached)",
      source_ids: `with the trailing eos ${eos}`,
      translation: "decode(generated_ids, skip_special_tokens) == the pipeline's translation_text (checked)",
      model_options: "device cpu, dtype fp32, one intra-op and one inter-op thread",
    },
    model: {
      path: MODEL_REL,
      decoder_start_token_id: start,
      eos_token_id: eos,
      sha256: modelHashes(modelDir, MODEL_FILES),
    },
    inputs,
  };
  const shown = writeGolden(args.out, serialize(golden));
  console.log(`transformers.js ${version}: ${inputs.length} translations, `
    + `${inputs.filter((x) => !x.ends_with_eos).length} without eos -> ${shown}`);
}

run(main);
