// What the transformers.js benchmark drivers (bench_seq2seq.mjs, bench_ner.mjs) share: their
// common options, the facts line, the --serve protocol the Java benches drive, and the standalone
// rounds with their table.
//
// --serve: after loading, print one JSON line of facts ({ready: true, ...}); then answer each stdin
// line "single" or "batched" with one JSON line of that pass's timings; "quit" ends.

import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The installed versions of transformers.js and onnxruntime-node. */
export function versions() {
  const version = (dir) => JSON.parse(
    fs.readFileSync(path.join(here, "node_modules", dir, "package.json"), "utf8")).version;
  return {
    transformers: version(path.join("@huggingface", "transformers")),
    onnxruntime: version("onnxruntime-node"),
  };
}

/**
 * Parses `--flag value` options (and the bare `--serve`) into a copy of `defaults`. `options` maps
 * each flag to [key, convert]; `--model` and `--inputs` are resolved paths and required, and
 * `positive` lists the keys that must be positive integers.
 */
export function parseOptions(argv, defaults, options, positive) {
  const all = {
    "--model": ["model", (v) => path.resolve(v)],
    "--inputs": ["inputs", (v) => path.resolve(v)],
    "--threads": ["threads", Number],
    "--batch-size": ["batchSize", Number],
    "--rounds": ["rounds", Number],
    ...options,
  };
  const args = { serve: false, ...defaults };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === "--serve") {
      args.serve = true;
    } else if (all[argv[i]]) {
      if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
      const [key, convert] = all[argv[i]];
      i += 1;
      args[key] = convert(argv[i]);
    } else {
      throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!args.model || !args.inputs) throw new Error("--model DIR and --inputs FILE are required");
  for (const key of positive) {
    if (!Number.isInteger(args[key]) || args[key] < 1) throw new Error(`--${key} must be a positive integer`);
  }
  return args;
}

/** Points transformers.js at the model directory's parent, offline; the model id is its name. */
export function localModels(env, modelDir) {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(modelDir) + path.sep;
  env.useFSCache = false;
}

/** Reads an inputs file: one {"text": ...} a line. */
export function readTexts(file) {
  return fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim())
    .map((l) => JSON.parse(l).text);
}

/**
 * Serves passes to the Java bench, or runs `rounds` of both modes after a warm-up and prints a
 * Markdown table. `pass(mode)` returns {seconds, ...}; `columns` adds per-mode columns to the table
 * (name -> function of the last pass and the median seconds).
 */
export async function drive({ serve, facts, pass, rounds, batchSize, unit, columns = {} }) {
  if (serve) {
    console.log(JSON.stringify({ ready: true, ...facts }));
    const lines = readline.createInterface({ input: process.stdin });
    for await (const line of lines) {
      const command = line.trim();
      if (command === "quit") break;
      if (command !== "single" && command !== "batched") throw new Error(`unknown command ${command}`);
      console.log(JSON.stringify(await pass(command)));
    }
    return;
  }
  const modes = ["single", "batched"];
  for (const mode of modes) await pass(mode);
  const results = Object.fromEntries(modes.map((m) => [m, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const mode of modes) results[mode].push(await pass(mode));
    const times = modes.map((m) => `${m} ${results[m][round].seconds.toFixed(2)} s`);
    console.error(`round ${round + 1}: ${times.join(", ")}`);
  }
  const names = Object.keys(columns);
  console.log(`| mode | median s | spread | ${unit}/s |${names.map((n) => ` ${n} |`).join("")}`);
  console.log(`|---|---|---|---|${names.map(() => "---|").join("")}`);
  for (const mode of modes) {
    const seconds = results[mode].map((r) => r.seconds).sort((a, b) => a - b);
    const n = seconds.length;
    const median = n % 2 ? seconds[(n - 1) / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2;
    const last = results[mode].at(-1);
    const extra = names.map((name) => ` ${columns[name](last, median)} |`).join("");
    console.log(`| ${mode === "single" ? `one ${unit.replace(/s$/, "")} per call` : `padded batches of ${batchSize}`} `
      + `| ${median.toFixed(2)} | ${seconds[0].toFixed(2)}-${seconds[n - 1].toFixed(2)} s `
      + `| ${(last.inputs / median).toFixed(1)} |${extra}`);
  }
}
