// Seq2seq throughput of transformers.js (@huggingface/transformers on onnxruntime-node), the runtime
// a service would otherwise pick for ONNX, over the same model files, inputs, thread count and
// max_new_tokens as `bench translate` / `bench summarize` (see README, Benchmarks).
//
//   cd models/reference && npm ci --ignore-scripts
//   node models/reference/bench_seq2seq.mjs --task translation|summarization --model DIR
//        --inputs FILE.jsonl [--threads 2] [--max-new-tokens 32] [--batch-size 32] [--rounds 3]
//   ... --serve    driven by the Java bench (protocol: bench_driver.mjs)
//
// Two natural modes: "single" (one input per generate() call) and "batched" (its own padded
// batches of --batch-size inputs in arrival order; transformers.js does no length bucketing). Each
// pass tokenizes, generates and decodes, like the Java side.
//
// Greedy only: in the pinned 4.3.1, PreTrainedModel.generate() takes the first candidate the sampler
// returns at every step ("TODO: Support beam search" in src/models/modeling_utils.js), so
// num_beams > 1 silently runs greedy; the Java report says "not supported" instead of timing that.
//
// The inputs file holds one model input a line, {"text": ...}; the Java bench writes
// target/bench/<task>-inputs.jsonl (for translation: the sentences of its records, which the
// processor translates one by one). Generation settings: the model's generation_config.json, then
// its task_specific_params[task] (minus the prefix, which goes before each text, else
// config.prefix) the way Hugging Face pipelines and our Java side layer them, then max_new_tokens
// and num_beams 1. Generated tokens are counted per row after the decoder start token, up to and
// including the first eos. transformers.js loads onnx/encoder_model.onnx and
// onnx/decoder_model_merged.onnx (fp32, CPU).

import path from "node:path";
import { AutoModelForSeq2SeqLM, AutoTokenizer, env } from "@huggingface/transformers";
import { drive, localModels, parseOptions, readTexts, versions } from "./bench_driver.mjs";

function parseArgs(argv) {
  const args = parseOptions(argv,
    { threads: 2, maxNewTokens: 32, batchSize: 32, rounds: 3, dtype: "fp32" },
    {
      "--task": ["task", String],
      "--max-new-tokens": ["maxNewTokens", Number],
      // q8 loads onnx/*_quantized.onnx, the graphs our int8 precision loads.
      "--dtype": ["dtype", String],
    },
    ["threads", "maxNewTokens", "batchSize", "rounds"]);
  if (!["translation", "summarization"].includes(args.task)) {
    throw new Error("--task translation|summarization");
  }
  return args;
}

/**
 * The generate() settings of every pass and the text put before every input: the task entry's
 * prefix, else the model-wide config.prefix (Hugging Face's Python pipelines and our Java side; the
 * transformers.js pipeline would put both).
 */
function settings(config, task, maxNewTokens) {
  const { prefix, ...taskParams } = config.task_specific_params?.[task] ?? {};
  return {
    prefix: prefix ?? config.prefix ?? "",
    generation: { ...taskParams, max_new_tokens: maxNewTokens, num_beams: 1, do_sample: false },
  };
}

function eosIds(model) {
  const eos = model.generation_config?.eos_token_id ?? model.config.eos_token_id;
  return new Set((Array.isArray(eos) ? eos : [eos]).filter((e) => e !== null && e !== undefined).map(Number));
}

/** Generated tokens of a [rows, length] output: after the start token, up to and including the first eos. */
function countGenerated(sequences, eos) {
  const [rows, length] = sequences.dims;
  const data = sequences.data;
  let total = 0;
  for (let r = 0; r < rows; r += 1) {
    let n = 0;
    for (let t = 1; t < length; t += 1) {
      n += 1;
      if (eos.has(Number(data[r * length + t]))) break;
    }
    total += n;
  }
  return total;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const texts = readTexts(args.inputs);
  localModels(env, args.model);
  const id = path.basename(args.model);
  const tokenizer = await AutoTokenizer.from_pretrained(id);
  const model = await AutoModelForSeq2SeqLM.from_pretrained(id, {
    device: "cpu", dtype: args.dtype,
    session_options: { intraOpNumThreads: args.threads, interOpNumThreads: 1 },
  });
  const { prefix, generation } = settings(model.config, args.task, args.maxNewTokens);
  const eos = eosIds(model);
  const inputs = texts.map((t) => prefix + t);
  const sourceTokens = inputs.reduce((sum, t) => sum + tokenizer(t).input_ids.dims.at(-1), 0);

  async function run(batch) {
    const encoded = tokenizer(batch, { padding: true, truncation: true });
    const sequences = await model.generate({ ...encoded, ...generation });
    tokenizer.batch_decode(sequences, { skip_special_tokens: true });
    return countGenerated(sequences, eos);
  }

  async function pass(mode) {
    const size = mode === "single" ? 1 : args.batchSize;
    const start = performance.now();
    let generatedTokens = 0;
    for (let from = 0; from < inputs.length; from += size) {
      generatedTokens += await run(inputs.slice(from, from + size));
    }
    return { mode, seconds: (performance.now() - start) / 1000, inputs: inputs.length, generatedTokens };
  }

  const facts = { ...versions(), inputs: inputs.length, sourceTokens, threads: args.threads };
  if (!args.serve) {
    console.error(`transformers.js ${facts.transformers}, onnxruntime-node ${facts.onnxruntime}, `
      + `${inputs.length} inputs, ${sourceTokens} source tokens, ${args.threads} threads; warming up...`);
  }
  await drive({ serve: args.serve, facts, pass, rounds: args.rounds, batchSize: args.batchSize,
    unit: "inputs",
    columns: { "generated tokens/s": (last, median) => (last.generatedTokens / median).toFixed(0) } });
  await model.dispose();
}

main().catch((err) => {
  if (process.argv.includes("--serve")) console.log(JSON.stringify({ error: String(err.message || err) }));
  console.error(err.stack || String(err));
  process.exit(1);
});
