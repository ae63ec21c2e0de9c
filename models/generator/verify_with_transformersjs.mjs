// Checks a generated BERT WordPiece NER model directory against transformers.js
// (@huggingface/transformers), an independent implementation of the Hugging Face
// tokenizer and token-classification pipeline. Not run by CI yet.
//
// Setup: the pinned transformers.js the goldens use (its node_modules is git-ignored):
//   (cd models/reference && npm ci --ignore-scripts)
// Run from the repository root:
//   node models/generator/verify_with_transformersjs.mjs \
//       --model-dir models/tiny/ner-bert-wordpiece \
//       [--node-modules models/reference/node_modules] [--report /tmp/ner-report.json] [--python /usr/bin/python3]
//
// Checks:
//  (a) tokenizer: for every probe of models/generator/nlpgen/tokenizer_probes.py, the ids,
//      type ids and decoded text of the generator's own tokenizer (run through
//      `generate_models.py encode --probes` on the model's tokenizer.json) equal those of
//      transformers.js's AutoTokenizer on the same directory. Known deviations of
//      transformers.js from the Rust tokenizers library are reported, not failed.
//  (b) pipeline: the token-classification pipeline loads the directory unmodified and,
//      with aggregation "simple", finds the expected entities in the demo sentences,
//      batched and one by one. With --report (written by `generate_models.py ner-tiny
//      --report`), per-token labels and scores of the pipeline and the raw ONNX logits
//      are also compared with what PyTorch computed at generation time.
// Exit status 0 when every check passes, 1 otherwise.

import fs from "node:fs";
import path from "node:path";
import {
  checker, loadTransformers, parseModelDirArgs, run, runPython, sameArray, toNumbers, useModelDir,
} from "./tjs_support.mjs";

// Expected entities (aggregation "simple") of the demo sentences; the pipeline's
// `word` is the decoded group, so it equals the surface text here.
const DEMO_EXPECTED = {
  "Angela Merkel met Tim Cook in Berlin.": [["PER", "Angela Merkel"], ["PER", "Tim Cook"], ["LOC", "Berlin"]],
  "Zoë Schmidt works for Deutsche Bank in Frankfurt.": [["PER", "Zoë Schmidt"], ["ORG", "Deutsche Bank"], ["LOC", "Frankfurt"]],
  "The United Nations opened an office in São Paulo.": [["ORG", "United Nations"], ["LOC", "São Paulo"]],
};

const { check, finish } = checker();

async function main() {
  const args = parseModelDirArgs(process.argv.slice(2), "models/tiny/ner-bert-wordpiece");
  const modelDir = path.resolve(args.modelDir);
  const { module: tjs, version } = await loadTransformers(args.nodeModules);
  const { env, AutoTokenizer, AutoModelForTokenClassification, pipeline } = tjs;
  const modelId = useModelDir(env, modelDir);
  console.log(`transformers.js ${version}; model ${modelDir}`);

  // (a) tokenizer ids ---------------------------------------------------------------
  const python = runPython(args.python, "generate_models.py",
    ["encode", "--tokenizer", path.join(modelDir, "tokenizer.json"), "--probes"]);
  const expected = python.trim().split("\n").map((line) => JSON.parse(line));
  const tokenizer = await AutoTokenizer.from_pretrained(modelId);
  let matched = 0;
  let compared = 0;
  const deviations = [];
  for (const probe of expected) {
    const options = probe.pair !== undefined ? { text_pair: probe.pair } : {};
    const enc = tokenizer(probe.text, options);
    const ids = toNumbers(enc.input_ids);
    const typeIds = enc.token_type_ids ? toNumbers(enc.token_type_ids) : null;
    const decoded = tokenizer.decode(ids, { skip_special_tokens: true });
    const same = sameArray(ids, probe.ids) && typeIds !== null && sameArray(typeIds, probe.type_ids)
      && decoded === probe.decoded;
    if (probe.kind === "known-deviation") {
      deviations.push({ text: probe.text, same, js: tokenizer.tokenize(probe.text), python: probe.tokens.slice(1, -1) });
      continue;
    }
    compared += 1;
    if (check(same, `tokenizer mismatch for ${JSON.stringify(probe.text)}${probe.pair !== undefined ? " + pair" : ""}:\n`
      + `    python ids ${JSON.stringify(probe.ids)} types ${JSON.stringify(probe.type_ids)} decoded ${JSON.stringify(probe.decoded)}\n`
      + `    js     ids ${JSON.stringify(ids)} types ${JSON.stringify(typeIds)} decoded ${JSON.stringify(decoded)}`)) {
      matched += 1;
    }
  }
  console.log(`(a) tokenizer: ${matched}/${compared} probes give identical ids, type ids and decoded text`);
  for (const d of deviations) {
    console.log(`    known deviation ${JSON.stringify(d.text)}: ${d.same ? "no difference seen" : "differs, as documented"}`
      + ` (python ${JSON.stringify(d.python)}, js ${JSON.stringify(d.js)})`);
  }

  // (b) pipeline ---------------------------------------------------------------------
  const ner = await pipeline("token-classification", modelId);
  const texts = Object.keys(DEMO_EXPECTED);
  const batched = await ner(texts, { aggregation_strategy: "simple" });
  for (let i = 0; i < texts.length; i += 1) {
    const single = await ner(texts[i], { aggregation_strategy: "simple" });
    const got = single.map((g) => [g.entity_group, g.word]);
    const ok = check(JSON.stringify(got) === JSON.stringify(DEMO_EXPECTED[texts[i]]),
      `pipeline entities for ${JSON.stringify(texts[i])}: expected ${JSON.stringify(DEMO_EXPECTED[texts[i]])}, got ${JSON.stringify(got)}`);
    check(JSON.stringify(batched[i].map((g) => [g.entity_group, g.word])) === JSON.stringify(got),
      `batched and single pipeline results differ for ${JSON.stringify(texts[i])}`);
    console.log(`(b) ${ok ? "ok  " : "FAIL"} ${texts[i]}`);
    for (const g of single) console.log(`        ${g.entity_group.padEnd(4)} ${JSON.stringify(g.word)} score ${g.score.toFixed(4)}`);
  }

  if (args.report) {
    const report = JSON.parse(fs.readFileSync(args.report, "utf8"));
    const model = await AutoModelForTokenClassification.from_pretrained(modelId);
    let maxLogitDiff = 0;
    for (const demo of report.demo) {
      // Per-token labels and scores of the "none" strategy against PyTorch's.
      const tokens = await ner(demo.text, { aggregation_strategy: "none" });
      const nonO = demo.tokens.map((t, k) => ({ ...t, index: k + 1 })).filter((t) => t.label !== "O");
      check(tokens.length === nonO.length, `token count differs for ${JSON.stringify(demo.text)}`);
      for (const t of tokens) {
        const ref = demo.tokens[t.index - 1];
        check(ref && ref.label === t.entity && Math.abs(ref.score - t.score) < 1e-3,
          `token ${t.index} of ${JSON.stringify(demo.text)}: js ${t.entity} ${t.score} vs torch ${ref?.label} ${ref?.score}`);
      }
      // Raw logits of the ONNX graph against PyTorch's.
      const inputs = tokenizer(demo.text);
      const { logits } = await model(inputs);
      const flat = Array.from(logits.data);
      const ref = demo.logits.flat();
      check(flat.length === ref.length, `logit shape differs for ${JSON.stringify(demo.text)}`);
      for (let k = 0; k < ref.length; k += 1) maxLogitDiff = Math.max(maxLogitDiff, Math.abs(flat[k] - ref[k]));
    }
    check(maxLogitDiff < 1e-3, `ONNX logits differ from PyTorch's by up to ${maxLogitDiff}`);
    console.log(`(b) report: per-token labels/scores match PyTorch; max |logit difference| ${maxLogitDiff.toExponential(2)}`);
  }

  finish();
}

run(main);
