// NER throughput of transformers.js (@huggingface/transformers on onnxruntime-node), the runtime a
// service would otherwise pick for ONNX, over the same model files, inputs and thread count as
// `bench ner` (see README, Benchmarks).
//
//   cd models/reference && npm ci --ignore-scripts
//   node models/reference/bench_ner.mjs --model DIR --inputs FILE.jsonl [--threads 2]
//        [--batch-size 32] [--aggregation simple|none] [--rounds 3]
//   ... --serve    driven by the Java bench (protocol: bench_driver.mjs)
//
// Its token-classification pipeline in its two natural modes: "single" (one text per call) and
// "batched" (an array of --batch-size texts per call, which it pads to the longest and runs as one
// batch; it does no length bucketing). Each pass tokenizes, runs the model and labels the tokens
// (aggregation "simple" groups B-/I- tokens into entities, like our default). The pipeline
// truncates a text at the model's maximum length where the Java side slides windows over it; the
// bench's texts are shorter than one window.
//
// The inputs file holds one text a line, {"text": ...}; the Java bench writes
// target/bench/ner-inputs.jsonl. transformers.js loads onnx/model.onnx (dtype fp32: the file as it
// is, so an int8 model's file runs as int8), CPU.

import path from "node:path";
import { env, pipeline } from "@huggingface/transformers";
import { drive, localModels, parseOptions, readTexts, versions } from "./bench_driver.mjs";

function parseArgs(argv) {
  const args = parseOptions(argv, { threads: 2, batchSize: 32, rounds: 3, aggregation: "simple" },
    { "--aggregation": ["aggregation", String] }, ["threads", "batchSize", "rounds"]);
  if (!["simple", "none"].includes(args.aggregation)) {
    throw new Error("--aggregation simple|none (the strategies transformers.js has)");
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const texts = readTexts(args.inputs);
  localModels(env, args.model);
  const classifier = await pipeline("token-classification", path.basename(args.model), {
    device: "cpu", dtype: "fp32",
    session_options: { intraOpNumThreads: args.threads, interOpNumThreads: 1 },
  });
  const options = { aggregation_strategy: args.aggregation };
  const sourceTokens = texts.reduce(
    (sum, t) => sum + classifier.tokenizer(t).input_ids.dims.at(-1), 0);

  async function pass(mode) {
    const start = performance.now();
    let entities = 0;
    if (mode === "single") {
      for (const text of texts) entities += (await classifier(text, options)).length;
    } else {
      for (let from = 0; from < texts.length; from += args.batchSize) {
        const out = await classifier(texts.slice(from, from + args.batchSize), options);
        for (const row of out) entities += row.length;
      }
    }
    return { mode, seconds: (performance.now() - start) / 1000, inputs: texts.length, entities };
  }

  const facts = { ...versions(), inputs: texts.length, sourceTokens, threads: args.threads };
  if (!args.serve) {
    console.error(`transformers.js ${facts.transformers}, onnxruntime-node ${facts.onnxruntime}, `
      + `${texts.length} texts, ${sourceTokens} tokens, ${args.threads} threads; warming up...`);
  }
  await drive({ serve: args.serve, facts, pass, rounds: args.rounds, batchSize: args.batchSize,
    unit: "texts" });
  await classifier.dispose();
}

main().catch((err) => {
  if (process.argv.includes("--serve")) console.log(JSON.stringify({ error: String(err.message || err) }));
  console.error(err.stack || String(err));
  process.exit(1);
});
