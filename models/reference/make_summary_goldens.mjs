// Golden summaries from transformers.js (@huggingface/transformers), an implementation of Hugging
// Face tokenization, seq2seq generation and the summarization pipeline independent of ours, over the
// committed tiny summarization models (MODELS below).
//
//   cd models/reference && npm ci --ignore-scripts      # or ./check_goldens.sh, which does it
//   node models/reference/make_summary_goldens.mjs                  # every model -> models/goldens/NAME.json
//   node models/reference/make_summary_goldens.mjs --model NAME [--out FILE]
//
// transformers.js loads onnx/encoder_model.onnx + onnx/decoder_model_merged.onnx (it has no option
// for the split decoders), so the goldens come from the merged layout; the Java tests check both of
// our layouts against them. Greedy decoding with each model's generation_config.json (the script
// fails unless it is greedy). Paths are relative to the repository root whatever the working
// directory; the output is deterministic (keys sorted, "\n" line ends, no paths or timings).
// See models/reference/README.md.

import path from "node:path";
import { pipeline } from "@huggingface/transformers";
import {
  PIPELINE_KWARGS, PIPELINE_TOKENIZER_OPTIONS, SEQ2SEQ_MODEL_FILES, checkBatchedIds, fail, generatedRows,
  loadGreedySeq2Seq, modelHashes, pinnedTransformersVersion, readInputs, repo, run, selectModels, serializeIntegers,
  useLocalModel, writeGolden,
} from "./golden_support.mjs";

// name: the golden file (models/goldens/NAME.json) and --model value; inputs: JSON-lines files.
const MODELS = [
  { name: "bart-tiny-summarizer", model: "models/tiny/bart-tiny-summarizer",
    inputs: ["models/reference/inputs/summarization.jsonl"] },
  // T5: the pipeline prepends config.task_specific_params.summarization.prefix "summarize: " (prefixOf).
  { name: "t5-tiny-summarization", model: "models/tiny/t5-tiny",
    inputs: ["models/reference/inputs/summarization-t5.jsonl", "models/reference/inputs/summarization.jsonl"] },
];
const TASK = "summarization";
// The settings named in the golden's generator.generation.
const GENERATION_KEYS = ["num_beams", "max_length", "min_length", "no_repeat_ngram_size", "forced_bos_token_id",
  "forced_eos_token_id"];

/**
 * The text the pipeline encodes: transformers.js prepends config.prefix and then
 * task_specific_params.summarization.prefix (T5's "summarize: "). Python's pipeline copies the
 * task_specific_params entry over the config and prepends the resulting config.prefix once; the two
 * agree unless a model has both prefixes, which the script refuses.
 */
function prefixOf(config) {
  const own = config.prefix ?? "";
  const task = config.task_specific_params?.[TASK]?.prefix ?? "";
  if (own && task) fail("config.prefix and task_specific_params.summarization.prefix both set: the pipelines differ");
  return task + own;
}

/**
 * The generation settings generate() ran with (gen: loadGreedySeq2Seq's), each marked with where it
 * comes from unless generation_config.json sets it; then the settings of
 * task_specific_params.summarization that differ from those: transformers.js does not apply them
 * (its pipeline takes only the prefix; Python's pipeline applies them all).
 */
function generationText(model, gen) {
  const file = model.generation_config ?? {};
  const origin = (k) => (k in file ? "" : k in model.config ? " (config.json)" : " (default)");
  let text = "model generation_config.json: "
    + GENERATION_KEYS.map((k) => `${k} ${gen[k]}${origin(k)}`).join(", ");
  const { prefix, ...taskParams } = model.config.task_specific_params?.[TASK] ?? {};
  const ignored = Object.keys(taskParams).sort().filter((k) => taskParams[k] !== gen[k]);
  if (ignored.length) {
    text += `; not applied (transformers.js takes only the prefix of task_specific_params.${TASK}): `
      + ignored.map((k) => `${k} ${taskParams[k]}`).join(", ");
  }
  return text;
}

async function makeGolden(entry) {
  const modelDir = path.join(repo, entry.model);
  const { modelId, modelOptions } = useLocalModel(modelDir);
  const version = pinnedTransformersVersion();
  const summarizer = await pipeline(TASK, modelId, modelOptions);
  const { tokenizer } = summarizer;
  const { model, gen, start, eos } = await loadGreedySeq2Seq(modelId, modelOptions);
  const forcedBos = gen.forced_bos_token_id ?? null;
  const prefix = prefixOf(model.config);
  const cleanUp = tokenizer._tokenizer.clean_up_tokenization_spaces;

  const records = readInputs(entry.inputs);
  const encode = (texts) => tokenizer(texts.map((t) => prefix + t), PIPELINE_TOKENIZER_OPTIONS);
  // One at a time (what users of the pipeline do), then all in one padded batch: must agree.
  const single = [];
  for (const r of records) {
    const enc = encode([r.text]);
    if (enc.input_ids.dims[1] >= tokenizer.model_max_length) {
      fail(`${r.id} has ${enc.input_ids.dims[1]} tokens; keep inputs under ${tokenizer.model_max_length} (no truncation)`);
    }
    single.push(generatedRows(await model.generate({ ...enc }), start, eos)[0]);
  }
  const batched = generatedRows(await model.generate({ ...encode(records.map((r) => r.text)) }), start, eos);

  const inputs = [];
  const deviations = [];
  for (let i = 0; i < records.length; i += 1) {
    const { id, group, text } = records[i];
    const sourceIds = Array.from(encode([text]).input_ids.data, Number);
    if (sourceIds.at(-1) !== eos) fail(`${id}: source ids do not end with the eos ${eos}`);
    checkBatchedIds(id, single[i], batched[i]);
    if (forcedBos !== null && single[i][0] !== forcedBos) fail(`${id}: first generated id is not the forced ${forcedBos}`);
    const decoded = tokenizer.decode(single[i], { skip_special_tokens: true });
    const [{ summary_text: piped }] = await summarizer(text, PIPELINE_KWARGS);
    if (piped !== decoded) fail(`${id}: pipeline text ${JSON.stringify(piped)} != decoded ids ${JSON.stringify(decoded)}`);
    // The Python pipeline decodes without clean-up (postprocess clean_up_tokenization_spaces=False);
    // transformers.js decodes with the tokenizer's flag. Where that changes the text it is listed.
    const python = tokenizer.decode(single[i], { skip_special_tokens: true, clean_up_tokenization_spaces: false });
    if (python !== piped) {
      if (!cleanUp) fail(`${id}: unexplained difference ${JSON.stringify(python)} vs ${JSON.stringify(piped)}`);
      deviations.push({ id, reasons: ["clean-up-tokenization-spaces"], python_summary: python,
        detail: "transformers.js's pipeline decodes with tokenizer_config.json clean_up_tokenization_spaces "
          + "(true: \" .\" -> \".\", \" ,\" -> \",\", \" 's\" -> \"'s\", ...); the Python pipeline's postprocess "
          + "decodes with clean_up_tokenization_spaces=False unless the caller asks for it" });
    }
    inputs.push({
      id, group, text,
      source_ids: sourceIds,
      generated_ids: single[i],
      ends_with_eos: single[i].at(-1) === eos,
      summary: piped,
    });
  }

  const golden = {
    about: `Generated by models/reference/make_summary_goldens.mjs; do not edit. Greedy summaries of the transformers.js `
      + "summarization pipeline (merged decoder) for the committed model; known_deviations: where the Hugging Face "
      + "Python pipeline gives a different text.",
    generator: {
      library: "@huggingface/transformers",
      version,
      task: TASK,
      calls: [
        "summarizer(text, {max_new_tokens: null})  -> summary (the pipeline's own default max_new_tokens 256 would "
          + "override the model's max_length)",
        "model.generate(tokenizer([prefix + text], {padding: true, truncation: true}))  -> generated_ids (also checked "
          + "equal to one padded batch of all inputs)",
        "tokenizer(prefix + text).input_ids  -> source_ids",
      ],
      decoder: "onnx/decoder_model_merged.onnx (transformers.js loads no other decoder layout)",
      generation: generationText(model, gen),
      generated_ids: `without the decoder start token ${start}; cut after the first eos ${eos}, which is included `
        + "(ends_with_eos false: max_length reached)"
        + (forcedBos !== null ? `; the first id is the forced bos ${forcedBos} (checked)` : ""),
      source_ids: `of prefix + text, with the trailing eos ${eos}; no input is truncated (checked)`,
      summary: "decode(generated_ids, skip_special_tokens) with the tokenizer's clean_up_tokenization_spaces == the "
        + "pipeline's summary_text (checked)",
      model_options: "device cpu, dtype fp32, one intra-op and one inter-op thread",
    },
    model: {
      path: entry.model,
      decoder_start_token_id: start,
      eos_token_id: eos,
      forced_bos_token_id: forcedBos,
      prefix,
      clean_up_tokenization_spaces: cleanUp,
      sha256: modelHashes(modelDir, SEQ2SEQ_MODEL_FILES),
    },
    inputs,
    known_deviations: deviations,
  };
  const shown = writeGolden(entry.out, serializeIntegers(golden));
  console.log(`transformers.js ${version}: ${inputs.length} summaries, ${inputs.filter((x) => !x.ends_with_eos).length} `
    + `without eos, ${deviations.length} known deviation(s) -> ${shown}`);
}

run(async () => {
  for (const entry of selectModels(process.argv.slice(2), MODELS)) await makeGolden(entry);
});
