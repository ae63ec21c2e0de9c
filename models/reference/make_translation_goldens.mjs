// Golden translations from transformers.js (@huggingface/transformers), an implementation of
// Hugging Face tokenization and seq2seq generation independent of ours, over the committed tiny
// translation models (MODELS below: Marian en->de, T5 with its task prefix, multilingual M2M-100).
//
//   cd models/reference && npm ci --ignore-scripts      # or ./check_goldens.sh, which does it
//   node models/reference/make_translation_goldens.mjs                  # every model -> models/goldens/NAME.json
//   node models/reference/make_translation_goldens.mjs --model NAME [--out FILE]
//
// transformers.js loads onnx/encoder_model.onnx + onnx/decoder_model_merged.onnx (it has no
// option for the split decoders), so the goldens come from the merged layout; the Java tests check
// both of our layouts against them. Greedy decoding with each model's generation_config.json
// (num_beams 1, max_length 64). Paths are relative to the repository root whatever the working
// directory; the output is deterministic (keys sorted, "\n" line ends, no paths or timings).
// See models/reference/README.md.

import path from "node:path";
import { AutoTokenizer, pipeline } from "@huggingface/transformers";
import {
  PIPELINE_KWARGS, PIPELINE_TOKENIZER_OPTIONS, SEQ2SEQ_MODEL_FILES, checkBatchedIds, fail, generatedRows,
  loadGreedySeq2Seq, modelHashes, pinnedTransformersVersion, readInputs, repo, run, selectModels, serializeIntegers,
  useLocalModel, writeGolden,
} from "./golden_support.mjs";

// name: the golden file (models/goldens/NAME.json) and --model value. prefixTask: the caller puts
// config.task_specific_params[prefixTask].prefix before every text (T5). transformers.js 4.3.1 cannot
// do it itself: pipeline("translation_en_to_de") throws "Unsupported pipeline task" (its file lookup
// does not strip the "_en_to_de" suffix that pipeline() does), and the "translation" task finds no
// task_specific_params.translation. languages: inputs carry src_lang/tgt_lang (M2M100Tokenizer; the
// target language token is forced as the first generated token).
const MODELS = [
  { name: "marian-tiny-en-de", model: "models/tiny/marian-tiny-en-de",
    inputs: "models/reference/inputs/translation.jsonl", task: "translation" },
  { name: "t5-tiny-translation", model: "models/tiny/t5-tiny",
    inputs: "models/reference/inputs/translation.jsonl", task: "translation", prefixTask: "translation_en_to_de" },
  { name: "m2m-tiny-multilingual", model: "models/tiny/m2m-tiny-multilingual",
    inputs: "models/reference/inputs/translation-multilingual.jsonl", task: "translation", languages: true },
];

/** The texts of one generate call: the source encoding and generation options of a record. */
function encoder(entry, tokenizer, prefix) {
  if (!entry.languages) {
    return (texts) => ({ inputs: tokenizer(texts.map((t) => prefix + t), PIPELINE_TOKENIZER_OPTIONS), options: {} });
  }
  return (texts, { src_lang, tgt_lang }) => {
    // What the translation pipeline does: the source language token goes into the tokenizer's
    // template, and the target language token becomes forced_bos_token_id.
    const options = { src_lang, tgt_lang };
    const inputs = tokenizer._build_translation_inputs(texts, PIPELINE_TOKENIZER_OPTIONS, options);
    return { inputs, options: { forced_bos_token_id: options.forced_bos_token_id } };
  };
}

function describe(entry, prefix, start, eos, gen) {
  const calls = entry.languages
    ? [
      "translator(text, {src_lang, tgt_lang, max_new_tokens: null})  -> translation (the pipeline's own default "
        + "max_new_tokens 256 would override the model's max_length)",
      "tokenizer._build_translation_inputs([text], {padding: true, truncation: true}, {src_lang, tgt_lang})  -> "
        + "source_ids (the pipeline's encoding: the template's language token set to src_lang) and "
        + "forced_bos_token_id (the id of __tgt_lang__)",
      "model.generate({...inputs, forced_bos_token_id})  -> generated_ids (also checked equal to one padded batch "
        + "per direction)",
    ]
    : [
      `translator(${prefix ? "prefix + " : ""}text, {max_new_tokens: null})  `
        + "-> translation (the pipeline's own default max_new_tokens 256 would override the model's max_length)",
      `model.generate(tokenizer([${prefix ? "prefix + " : ""}text]))  -> generated_ids (also checked equal to one `
        + "padded batch of all inputs)",
      `tokenizer(${prefix ? "prefix + " : ""}text).input_ids  -> source_ids`,
    ];
  const generator = {
    calls,
    decoder: "onnx/decoder_model_merged.onnx (transformers.js loads no other decoder layout)",
    generation: `model generation_config.json: num_beams ${gen.num_beams}, max_length ${gen.max_length}`,
    generated_ids: `without the decoder start token ${start}; cut after the first eos ${eos}, which is included `
      + "(ends_with_eos false: max_length reached)",
    library: "@huggingface/transformers",
    model_options: "device cpu, dtype fp32, one intra-op and one inter-op thread",
    source_ids: `with the trailing eos ${eos}`,
    task: entry.task,
    translation: "decode(generated_ids, skip_special_tokens) == the pipeline's translation_text (checked)",
  };
  if (prefix) {
    generator.prefix = prefix;
    generator.prefix_applied = `by the caller, as transformers.js users do: config.json task_specific_params.`
      + `${entry.prefixTask}.prefix + text is what the translation pipeline and the tokenizer get (text here is `
      + `without it). transformers.js 4.3.1 does not apply it: pipeline("${entry.prefixTask}") throws `
      + `"Unsupported pipeline task", and pipeline("translation") looks for task_specific_params.translation. `
      + `Python's pipeline("${entry.prefixTask}") prepends the same prefix itself`;
  }
  if (entry.languages) {
    generator.generated_ids += "; the first id is the forced target language token (checked)";
    generator.source_ids = `__src_lang__ first, then the text, with the trailing eos ${eos}`;
  }
  return generator;
}

async function makeGolden(entry) {
  const modelDir = path.join(repo, entry.model);
  const { modelId, modelOptions } = useLocalModel(modelDir);
  const version = pinnedTransformersVersion();

  const translator = await pipeline(entry.task, modelId, modelOptions);
  const tokenizer = await AutoTokenizer.from_pretrained(modelId);
  const { model, gen, start, eos } = await loadGreedySeq2Seq(modelId, modelOptions);
  const prefix = entry.prefixTask ? model.config.task_specific_params?.[entry.prefixTask]?.prefix : "";
  if (typeof prefix !== "string" || (entry.prefixTask && !prefix)) {
    fail(`${entry.name}: no task_specific_params.${entry.prefixTask}.prefix`);
  }
  const encode = encoder(entry, tokenizer, prefix);

  const records = readInputs([entry.inputs]);

  // One at a time (what users of the pipeline do), then all in one padded batch per direction: must agree.
  const single = [];
  const sources = [];
  const forced = [];
  for (const r of records) {
    const { inputs, options } = encode([r.text], r);
    sources.push(Array.from(inputs.input_ids.data, Number));
    forced.push(options.forced_bos_token_id);
    single.push(generatedRows(await model.generate({ ...inputs, ...options }), start, eos)[0]);
  }
  const batched = new Array(records.length);
  const directions = [...new Set(records.map((r) => `${r.src_lang}>${r.tgt_lang}`))];
  for (const direction of directions) {
    const members = records.map((r, i) => i)
      .filter((i) => `${records[i].src_lang}>${records[i].tgt_lang}` === direction);
    const { inputs, options } = encode(members.map((i) => records[i].text), records[members[0]]);
    const out = generatedRows(await model.generate({ ...inputs, ...options }), start, eos);
    members.forEach((i, k) => { batched[i] = out[k]; });
  }

  const inputs = [];
  for (let i = 0; i < records.length; i += 1) {
    const { id, group, text, src_lang, tgt_lang } = records[i];
    const sourceIds = sources[i];
    if (sourceIds.at(-1) !== eos) fail(`${id}: source ids do not end with </s>`);
    checkBatchedIds(id, single[i], batched[i]);
    const decoded = tokenizer.decode(single[i], { skip_special_tokens: true });
    const kwargs = entry.languages ? { ...PIPELINE_KWARGS, src_lang, tgt_lang } : PIPELINE_KWARGS;
    const [{ translation_text: piped }] = await translator(prefix + text, kwargs);
    if (piped !== decoded) fail(`${id}: pipeline text ${JSON.stringify(piped)} != decoded ids ${JSON.stringify(decoded)}`);
    const record = {
      id, group, text,
      source_ids: sourceIds,
      generated_ids: single[i],
      ends_with_eos: single[i].at(-1) === eos,
      translation: piped,
    };
    if (entry.languages) {
      if (single[i][0] !== forced[i]) fail(`${id}: first generated id ${single[i][0]} is not the forced ${forced[i]}`);
      if (sourceIds[0] !== tokenizer.convert_tokens_to_ids(`__${src_lang}__`)) {
        fail(`${id}: source ids do not begin with __${src_lang}__`);
      }
      Object.assign(record, { src_lang, tgt_lang, forced_bos_token_id: forced[i] });
    }
    inputs.push(record);
  }

  const golden = {
    about: "Generated by models/reference/make_translation_goldens.mjs; do not edit. Greedy translations of the "
      + "transformers.js translation pipeline (merged decoder) for the committed model.",
    generator: { ...describe(entry, prefix, start, eos, gen), version },
    model: {
      path: entry.model,
      decoder_start_token_id: start,
      eos_token_id: eos,
      sha256: modelHashes(modelDir, SEQ2SEQ_MODEL_FILES),
    },
    inputs,
  };
  if (entry.languages) {
    golden.model.language_token_ids = Object.fromEntries(tokenizer.language_codes.map(
      (code) => [code, tokenizer.convert_tokens_to_ids(`__${code}__`)]));
  }
  const shown = writeGolden(entry.out, serializeIntegers(golden));
  console.log(`transformers.js ${version}: ${inputs.length} translations, `
    + `${inputs.filter((x) => !x.ends_with_eos).length} without eos -> ${shown}`);
}

run(async () => {
  for (const entry of selectModels(process.argv.slice(2), MODELS)) await makeGolden(entry);
});
