// Checks a generated Marian seq2seq model directory (marian-tiny) against transformers.js
// (@huggingface/transformers), in both Optimum decoder layouts. Not run by CI yet.
//
// Setup: the pinned transformers.js the goldens use (its node_modules is git-ignored):
//   (cd models/reference && npm ci --ignore-scripts)
// Run from the repository root:
//   node models/generator/verify_seq2seq_with_transformersjs.mjs \
//       --model-dir models/tiny/marian-tiny-en-de \
//       [--node-modules models/reference/node_modules] [--report /tmp/marian-report.json] [--python /usr/bin/python3]
//
// The Python reference (seq2seq_reference.py, run here) gives the generator's own
// tokenizer ids for the probes and greedy translations computed from the ONNX files by a
// torch-based ONNX interpreter, through the split decoders and through the merged one.
//
// Checks:
//  (a) tokenizer: ids and decoded text of transformers.js's tokenizer equal the Python
//      tokenizer's on every probe of nlpgen/seq2seq_probes.py.
//  (b) merged layout: the `translation` pipeline loads the directory unmodified (transformers.js
//      always loads onnx/encoder_model.onnx + onnx/decoder_model_merged.onnx for Marian) and,
//      with the directory's generation_config.json (greedy), gives the same text as the
//      Python reference; model.generate() gives the same ids; batched generation gives the
//      same ids as one-by-one.
//  (c) split layout: transformers.js has no option to load decoder_model.onnx +
//      decoder_with_past_model.onnx (its Seq2Seq session map is fixed to the merged file),
//      so the script gives the same MarianMTModel a decoder session that dispatches each step
//      to ONNX Runtime sessions of the two split files (first step: decoder_model; later steps:
//      decoder_with_past_model, with the encoder key/values passed through as Optimum's
//      runtime does). transformers.js's own generation loop then must give the same ids and
//      text as the Python reference's split run, and the merged run.
//  (d) with --report (written by `generate_models.py marian-tiny --report`): the demo ids
//      also equal what the PyTorch model produced at generation time.
// Exit status 0 when every check passes, 1 otherwise.

import fs from "node:fs";
import path from "node:path";
import {
  checker, generatedRows, loadTransformers, parseModelDirArgs, run, runPython, sameArray, toNumbers, useModelDir,
} from "./tjs_support.mjs";

const { check, finish } = checker();

/** A session object with the merged decoder's interface, backed by the two split files. */
async function splitDecoderSession(ort, onnxDir, merged) {
  const mergedInputNames = merged.inputNames;
  const mergedOutputNames = merged.outputNames;
  const options = { executionProviders: ["cpu"], graphOptimizationLevel: "all" };
  const first = await ort.InferenceSession.create(path.join(onnxDir, "decoder_model.onnx"), options);
  const withPast = await ort.InferenceSession.create(path.join(onnxDir, "decoder_with_past_model.onnx"), options);
  const calls = { decoder_model: 0, decoder_with_past_model: 0 };
  const pick = (feeds, names) => Object.fromEntries(names.map((n) => [n, feeds[n]]));
  return {
    calls,
    inputNames: mergedInputNames,
    outputNames: mergedOutputNames,
    inputMetadata: merged.inputMetadata,
    outputMetadata: merged.outputMetadata,
    config: merged.config,
    async run(feeds) {
      const useCache = Boolean(feeds.use_cache_branch.data[0]);
      if (!useCache) {
        calls.decoder_model += 1;
        return await first.run(pick(feeds, first.inputNames));
      }
      calls.decoder_with_past_model += 1;
      const out = await withPast.run(pick(feeds, withPast.inputNames));
      for (const name of mergedOutputNames) {
        if (name.includes(".encoder.")) out[name] = feeds[name.replace("present", "past_key_values")];
      }
      return out;
    },
  };
}

async function main() {
  const args = parseModelDirArgs(process.argv.slice(2), "models/tiny/marian-tiny-en-de",
    { "--json": ["json", null] });
  const modelDir = path.resolve(args.modelDir);
  const { module: tjs, version, ort } = await loadTransformers(args.nodeModules, { withOrt: true });
  const { env, AutoTokenizer, AutoModelForSeq2SeqLM, pipeline } = tjs;
  const modelId = useModelDir(env, modelDir);
  console.log(`transformers.js ${version}; model ${modelDir}`);
  const summary = { transformers_js: version, probes: [], translations: [] };

  const reference = JSON.parse(runPython(args.python, "seq2seq_reference.py", ["--model-dir", modelDir],
    { maxBuffer: 1 << 26 }));

  // (a) tokenizer ------------------------------------------------------------------
  const tokenizer = await AutoTokenizer.from_pretrained(modelId);
  let matched = 0;
  for (const probe of reference.probes) {
    const ids = toNumbers(tokenizer(probe.text).input_ids);
    const decoded = tokenizer.decode(ids, { skip_special_tokens: true });
    const ok = check(sameArray(ids, probe.ids) && decoded === probe.decoded,
      `tokenizer mismatch for ${JSON.stringify(probe.text)}:\n`
      + `    python ids ${JSON.stringify(probe.ids)} decoded ${JSON.stringify(probe.decoded)}\n`
      + `    js     ids ${JSON.stringify(ids)} decoded ${JSON.stringify(decoded)}`);
    if (ok) matched += 1;
    summary.probes.push({ text: probe.text, ids, same: ok });
  }
  console.log(`(a) tokenizer: ${matched}/${reference.probes.length} probes give identical ids and decoded text`);

  // (b) merged layout, directory unmodified ---------------------------------------------
  const translator = await pipeline("translation", modelId);
  const model = translator.model;
  const eos = model.generation_config?.eos_token_id ?? model.config.eos_token_id;
  const mergedSession = model.sessions.decoder_model_merged;
  check(mergedSession.inputNames.includes("use_cache_branch"), "merged decoder has no use_cache_branch input");
  const sources = reference.translations.map((t) => t.source);

  async function generateIds(texts) {
    const inputs = tokenizer(texts, { padding: true });
    return generatedRows(await model.generate({ ...inputs }), eos);
  }

  async function runLayout(layout) {
    const single = [];
    for (const text of sources) single.push((await generateIds([text]))[0]);
    const batched = await generateIds(sources);
    const texts = [];
    for (const text of sources) texts.push((await translator(text))[0].translation_text);
    let agree = 0;
    reference.translations.forEach((ref, i) => {
      const ok = check(sameArray(single[i], ref[layout].ids) && texts[i] === ref[layout].text,
        `${layout}: ${JSON.stringify(ref.source)}\n    python ${JSON.stringify(ref[layout].ids)} ${JSON.stringify(ref[layout].text)}\n`
        + `    js     ${JSON.stringify(single[i])} ${JSON.stringify(texts[i])}`);
      check(sameArray(single[i], batched[i]), `${layout}: batched ids differ from single for ${JSON.stringify(ref.source)}: `
        + `${JSON.stringify(batched[i])} vs ${JSON.stringify(single[i])}`);
      if (ok) agree += 1;
    });
    console.log(`(${layout === "merged" ? "b" : "c"}) ${layout} layout: transformers.js agrees with the Python ONNX reference on `
      + `${agree}/${sources.length} inputs (ids and text); batched == single: `
      + `${single.every((s, i) => sameArray(s, batched[i]))}`);
    return { single, texts };
  }

  const merged = await runLayout("merged");

  // (c) split layout -----------------------------------------------------------------
  const shim = await splitDecoderSession(ort, path.join(modelDir, "onnx"), mergedSession);
  model.sessions.decoder_model_merged = shim;
  const split = await runLayout("split");
  check(shim.calls.decoder_model > 0 && shim.calls.decoder_with_past_model > 0,
    `split decoders were not both used: ${JSON.stringify(shim.calls)}`);
  console.log(`    split session calls: ${JSON.stringify(shim.calls)}`);
  model.sessions.decoder_model_merged = mergedSession;

  reference.translations.forEach((ref, i) => {
    check(sameArray(merged.single[i], split.single[i]), `layouts disagree for ${JSON.stringify(ref.source)}`);
    summary.translations.push({ source: ref.source, source_ids: ref.source_ids,
      merged: { ids: merged.single[i], text: merged.texts[i] }, split: { ids: split.single[i], text: split.texts[i] },
      python_merged: ref.merged, python_split: ref.split });
  });

  // (d) PyTorch report -----------------------------------------------------------------
  if (args.report) {
    const report = JSON.parse(fs.readFileSync(args.report, "utf8"));
    let same = 0;
    for (const d of report.demo) {
      const i = sources.indexOf(d.source);
      const ok = check(i >= 0 && sameArray(merged.single[i], d.output_ids) && merged.texts[i] === d.output,
        `PyTorch demo output differs for ${JSON.stringify(d.source)}: ${JSON.stringify(d.output_ids)} vs ${JSON.stringify(merged.single[i])}`);
      if (ok) same += 1;
    }
    console.log(`(d) report: transformers.js equals the PyTorch model's greedy output on ${same}/${report.demo.length} demo sentences`);
    // Held-out sample of the report, batched, in both layouts.
    const held = report.heldout_sample ?? [];
    if (held.length) {
      for (const layout of ["merged", "split"]) {
        model.sessions.decoder_model_merged = layout === "merged" ? mergedSession : shim;
        const got = await generateIds(held.map((h) => h.source));
        let ok = 0;
        held.forEach((h, i) => {
          if (check(sameArray(got[i], h.output_ids), `${layout}: held-out ${JSON.stringify(h.source)}: `
            + `${JSON.stringify(got[i])} vs PyTorch ${JSON.stringify(h.output_ids)}`)) ok += 1;
        });
        console.log(`(d) report: ${layout} layout, batched: ${ok}/${held.length} held-out sentences give PyTorch's ids`);
      }
      model.sessions.decoder_model_merged = mergedSession;
    }
  }

  console.log("\ntranslations (transformers.js; identical in both layouts unless reported):");
  summary.translations.forEach((t) => {
    console.log(`  ${t.source}\n    -> ${t.merged.text}\n       ${JSON.stringify(t.merged.ids)}`);
  });
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(summary, null, 2) + "\n");

  finish();
}

run(main);
