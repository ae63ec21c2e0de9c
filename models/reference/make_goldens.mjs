// Golden NER outputs from transformers.js (@huggingface/transformers), an implementation of the
// Hugging Face token-classification pipeline independent of ours, over the committed tiny models
// (MODELS below: BERT WordPiece and RoBERTa byte-level BPE).
//
//   cd models/reference && npm ci --ignore-scripts      # or ./check_goldens.sh, which does it
//   node models/reference/make_goldens.mjs                     # every model -> models/goldens/NAME.json
//   node models/reference/make_goldens.mjs --model NAME [--out FILE]
//
// Paths are relative to the repository root whatever the working directory. The output is
// deterministic: keys sorted, scores with SCORE_DECIMALS decimals, "\n" line ends, no paths or
// timings. See models/reference/README.md for what each field means and how spans and the
// known deviations are derived.

import path from "node:path";
import { AutoModelForTokenClassification, pipeline } from "@huggingface/transformers";
import {
  fail, modelHashes, pinnedTransformersVersion, readInputs, repo, run, selectModels, serializer, useLocalModel,
  writeGolden,
} from "./golden_support.mjs";

// name: the golden file (models/goldens/NAME.json) and --model value; inputs: JSON-lines files read
// in order; spans: how token spans are recovered from transformers.js's tokenizer (see below).
const MODELS = [
  { name: "ner-bert-wordpiece", model: "models/tiny/ner-bert-wordpiece",
    inputs: ["models/reference/inputs/ner.jsonl"], spans: "wordpiece" },
  { name: "ner-roberta-bpe", model: "models/tiny/ner-roberta-bpe",
    inputs: ["models/reference/inputs/ner.jsonl", "models/reference/inputs/ner-bytelevel.jsonl"],
    spans: "byte-level" },
];
const SCORE_DECIMALS = 5;
const PIPELINE_TASK = "token-classification";

// ---------------------------------------------------------------------------------------
// Deterministic JSON: sorted keys; objects and arrays holding only scalars on one line;
// numbers marked as scores printed with SCORE_DECIMALS decimals.
class Score {
  constructor(value) {
    if (!Number.isFinite(value)) fail(`score ${value} is not finite`);
    this.value = value;
  }
}

function scalar(v) {
  if (v instanceof Score) return v.value.toFixed(SCORE_DECIMALS);
  if (typeof v === "number") {
    if (!Number.isInteger(v)) fail(`non-integer number ${v} outside a score`);
    return String(v);
  }
  return JSON.stringify(v);
}

function isScalar(v) {
  return v === null || v instanceof Score || typeof v !== "object";
}

const serialize = serializer(isScalar, scalar);

// ---------------------------------------------------------------------------------------
// Token spans. transformers.js reports no offsets, and its tokenizer has no offset mapping, so
// spans are recovered from its own normalizer, pre-tokenizer and token strings:
//  1. normalize the text one code point at a time with the tokenizer's normalizer, keeping for
//     every normalized UTF-16 unit the UTF-16 span of the original code point it came from (the
//     BERT normalizer is per character: control/format characters vanish, Unicode spaces become
//     " ", CJK ideographs get spaces around them); checked equal to normalizing the whole text;
//  2. pre-tokenize the normalized text with the tokenizer's pre-tokenizer and find each word in
//     it left to right;
//  3. walk the content tokens: "[UNK]" covers a whole word, any other token covers its string
//     without the "##" prefix, which must appear verbatim at the current place in the word.
// A span is [start of its first original character, end of its last) in UTF-16 code units.
function tokenSpans(tokenizer, text, pieces) {
  const core = tokenizer._tokenizer;
  const normalize = core.normalizer ? (s) => core.normalizer(s) : (s) => s;
  let normalized = "";
  const origStart = [];
  const origEnd = [];
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i);
    const width = cp > 0xffff ? 2 : 1;
    const piece = normalize(String.fromCodePoint(cp));
    for (let k = 0; k < piece.length; k += 1) {
      origStart.push(i);
      origEnd.push(i + width);
    }
    normalized += piece;
    i += width;
  }
  if (normalized !== normalize(text)) fail(`per-character normalization differs for ${JSON.stringify(text)}`);
  const words = [];
  let cursor = 0;
  for (const word of core.pre_tokenizer ? core.pre_tokenizer(normalized) : [normalized]) {
    const at = normalized.indexOf(word, cursor);
    if (at < 0) fail(`pre-tokenized word ${JSON.stringify(word)} not found in ${JSON.stringify(normalized)}`);
    words.push([at, at + word.length]);
    cursor = at + word.length;
  }
  const spans = [];
  let w = 0;
  let pos = words.length ? words[0][0] : 0;
  for (const piece of pieces) {
    if (w >= words.length) fail(`token ${piece} of ${JSON.stringify(text)} lies past the last word`);
    const [wordStart, wordEnd] = words[w];
    let end;
    if (piece === "[UNK]") {
      if (pos !== wordStart) fail(`[UNK] in the middle of a word of ${JSON.stringify(text)}`);
      end = wordEnd;
    } else {
      const surface = piece.startsWith("##") && pos > wordStart ? piece.slice(2) : piece;
      if (normalized.slice(pos, pos + surface.length) !== surface) {
        fail(`token ${piece} does not match ${JSON.stringify(normalized.slice(pos))} in ${JSON.stringify(text)}`);
      }
      end = pos + surface.length;
    }
    spans.push([origStart[pos], origEnd[end - 1]]);
    pos = end;
    if (pos === wordEnd) {
      w += 1;
      pos = w < words.length ? words[w][0] : pos;
    }
  }
  if (w !== words.length) fail(`tokens of ${JSON.stringify(text)} do not cover every word`);
  return spans;
}

// Byte-level BPE (RoBERTa): no normalizer, and every UTF-8 byte of the text is in exactly one
// content token, so the tokens' bytes (each token character mapped back to its byte by the
// tokenizer's own ByteLevel decoder table) must spell the text's bytes in order. A token spans the
// characters its bytes belong to (one character can be split over several tokens, which then share
// its span); RobertaProcessing's trim_offsets then drops leading and trailing "Ġ" (spaces) from the
// span, as the tokenizers library does.
const SPACE_CHAR = "\u0120";

function byteLevelSpans(tokenizer, text, pieces) {
  const byteDecoder = tokenizer._tokenizer.decoder?.byte_decoder;
  if (!byteDecoder) fail("the tokenizer has no ByteLevel decoder");
  const utf8 = new TextEncoder();
  const bytes = [];
  const charStart = [];
  const charEnd = [];
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i);
    const width = cp > 0xffff ? 2 : 1;
    for (const b of utf8.encode(String.fromCodePoint(cp))) {
      bytes.push(b);
      charStart.push(i);
      charEnd.push(i + width);
    }
    i += width;
  }
  const spans = [];
  let pos = 0;
  for (const piece of pieces) {
    const chars = [...piece];
    const own = chars.map((c) => (byteDecoder[c] === undefined ? NaN : Number(byteDecoder[c])));
    if (own.some((b, k) => b !== bytes[pos + k])) {
      fail(`token ${piece} does not spell the bytes at ${pos} of ${JSON.stringify(text)}`);
    }
    let start = charStart[pos];
    let end = charEnd[pos + own.length - 1];
    const lead = chars.findIndex((c) => c !== SPACE_CHAR);
    const leading = lead < 0 ? chars.length : lead;
    const trailing = chars.length - 1 - chars.findLastIndex((c) => c !== SPACE_CHAR);
    if (leading > 0) start = Math.min(start + leading, end);
    if (trailing > 0 && end >= trailing) end = Math.max(end - trailing, start);
    spans.push([start, end]);
    pos += own.length;
  }
  if (pos !== bytes.length) fail(`tokens of ${JSON.stringify(text)} do not cover its bytes`);
  return spans;
}

const SPAN_RULES = { "wordpiece": tokenSpans, "byte-level": byteLevelSpans };

// ---------------------------------------------------------------------------------------
// The Hugging Face Python pipeline's rule (transformers TokenClassificationPipeline, the
// definition our Java code follows), applied to the per-token predictions of the same model run:
// every non-special token takes part, "[UNK]" included; NONE keeps tokens whose label is not
// "O"; SIMPLE groups consecutive tokens while the tag stays the same and the next token is not
// B-, then drops groups whose tag is "O". Group score = mean of member scores.
function bioTag(label) {
  if (label.startsWith("B-")) return ["B", label.slice(2)];
  if (label.startsWith("I-")) return ["I", label.slice(2)];
  return ["I", label];
}

function pythonNone(content) {
  return content.filter((t) => t.label !== "O")
    .map((t) => ({ entity: t.label, index: t.index, score: t.score, start: t.start, end: t.end }));
}

function pythonSimple(content) {
  const groups = [];
  for (const t of content) {
    const last = groups.at(-1);
    const [bi, tag] = bioTag(t.label);
    if (last && bi !== "B" && bioTag(last.at(-1).label)[1] === tag) last.push(t);
    else groups.push([t]);
  }
  return groups
    .map((g) => ({
      entity_group: g[0].label.split("-").slice(1).join("-") || g[0].label,
      score: g.reduce((s, t) => s + t.score, 0) / g.length,
      start: g[0].start,
      end: g.at(-1).end,
      indices: g.map((t) => t.index),
    }))
    .filter((g) => g.entity_group !== "O");
}

// ---------------------------------------------------------------------------------------
// transformers.js SIMPLE groups carry no token indices. They partition the NONE token list
// into consecutive runs; each group is matched to the unique run length k whose tokens all
// carry the group's tag, whose decoded ids equal the group's word, and whose mean score equals
// the group's score. No unique k fails the run.
function tjsGroupMembers(groups, tokens, ids, tokenizer, text) {
  const out = [];
  let cursor = 0;
  for (const g of groups) {
    const fits = [];
    for (let k = 1; cursor + k <= tokens.length; k += 1) {
      const run = tokens.slice(cursor, cursor + k);
      if (!run.every((t) => bioTag(t.entity)[1] === g.entity_group)) break;
      const word = tokenizer.decode(run.map((t) => ids[t.index]), { skip_special_tokens: true });
      const score = run.reduce((s, t) => s + t.score, 0) / k;
      if (word === g.word && score === g.score) fits.push(run);
    }
    if (fits.length !== 1) fail(`cannot place group ${JSON.stringify(g)} of ${JSON.stringify(text)} (${fits.length} fits)`);
    out.push(fits[0]);
    cursor += fits[0].length;
  }
  if (cursor !== tokens.length) fail(`groups of ${JSON.stringify(text)} do not use every token`);
  return out;
}

function sameEntities(a, b, key) {
  return a.length === b.length && a.every((x, i) => x[key] === b[i][key] && x.start === b[i].start
    && x.end === b[i].end && (x.index ?? -1) === (b[i].index ?? -1)
    && x.score.toFixed(SCORE_DECIMALS) === b[i].score.toFixed(SCORE_DECIMALS));
}

async function makeGolden(entry) {
  const modelDir = path.join(repo, entry.model);
  const { modelId, modelOptions } = useLocalModel(modelDir);
  const ner = await pipeline(PIPELINE_TASK, modelId, modelOptions);
  const model = await AutoModelForTokenClassification.from_pretrained(modelId, modelOptions);
  const tokenizer = ner.tokenizer;
  const id2label = model.config.id2label;
  const version = pinnedTransformersVersion();
  // Special tokens as the Python pipeline's special_tokens_mask sees them: the added special
  // tokens ([CLS], [SEP], [PAD], ...), except the unknown token, which stands for text.
  const specialIds = new Set([...tokenizer._tokenizer.get_added_tokens_decoder()]
    .filter(([, t]) => t.special && t.content !== tokenizer.unk_token).map(([tid]) => tid));
  if (specialIds.size === 0 || tokenizer.unk_token_id === undefined) fail("cannot tell special tokens");
  const unk = tokenizer.unk_token;
  const tokenSpansOf = SPAN_RULES[entry.spans] ?? fail(`unknown span rule ${entry.spans}`);

  const inputs = [];
  const deviations = [];
  for (const { id, group, text } of readInputs(entry.inputs)) {
    // The model run the pipeline makes (same tokenizer call), kept whole: every token's label.
    const enc = tokenizer([text], { padding: true, truncation: true });
    const ids = enc.input_ids.tolist()[0].map(Number);
    if (ids.length >= tokenizer.model_max_length) fail(`${id} has ${ids.length} tokens; keep inputs under ${tokenizer.model_max_length}`);
    const { logits } = await model(enc);
    const pieces = ids.map((x) => tokenizer._tokenizer.id_to_token(x));
    const contentIdx = ids.map((x, j) => j).filter((j) => !specialIds.has(ids[j]));
    const spans = tokenSpansOf(tokenizer, text, contentIdx.map((j) => pieces[j]));
    const tokens = ids.map((x, j) => ({ index: j, id: x, piece: pieces[j], special: specialIds.has(x) }));
    contentIdx.forEach((j, k) => {
      const row = logits[0][j].data;
      let best = 0;
      for (let c = 1; c < row.length; c += 1) if (row[c] > row[best]) best = c;
      // Softmax in the pipeline's arithmetic (exponentials and quotient stored as float32), so
      // that the scores equal the pipeline's exactly; checked below.
      let sum = 0;
      const max = row[best];
      for (const v of row) sum += Math.fround(Math.exp(v - max));
      const score = Math.fround(1 / sum);
      Object.assign(tokens[j], { start: spans[k][0], end: spans[k][1], label: id2label[best], score });
    });
    const content = contentIdx.map((j) => tokens[j]);

    // The pipeline, as users call it: one text at a time, default ignore_labels (["O"]).
    const none = await ner(text, { aggregation_strategy: "none" });
    const simple = await ner(text, { aggregation_strategy: "simple" });
    const all = await ner(text, { aggregation_strategy: "none", ignore_labels: [] });
    // Cross-check the model run against the pipeline's own per-token output.
    for (const t of all) {
      const mine = tokens[t.index];
      if (!mine || mine.special || mine.label !== t.entity || mine.score !== t.score) {
        fail(`${id}: pipeline token ${JSON.stringify(t)} disagrees with the model run ${JSON.stringify(mine)}`);
      }
    }
    const dropped = content.filter((t) => !all.some((a) => a.index === t.index));
    if (dropped.some((t) => t.piece !== unk)) fail(`${id}: the pipeline dropped a token other than ${unk}`);

    const tjsNone = none.map((t) => ({ entity: t.entity, index: t.index, score: t.score,
      start: tokens[t.index].start, end: tokens[t.index].end, word: t.word }));
    const members = tjsGroupMembers(simple, none, ids, tokenizer, text);
    const tjsSimple = simple.map((g, k) => ({ entity_group: g.entity_group, score: g.score,
      start: tokens[members[k][0].index].start, end: tokens[members[k].at(-1).index].end, word: g.word,
      indices: members[k].map((t) => t.index) }));

    // Known deviations: where the Python rule, over the same per-token predictions, differs.
    const pyNone = pythonNone(content);
    const pySimple = pythonSimple(content);
    const droppedEntities = dropped.filter((t) => t.label !== "O");
    if (!sameEntities(pyNone, tjsNone, "entity")) {
      if (droppedEntities.length === 0) fail(`${id}: unexplained NONE difference: python rule ${JSON.stringify(pyNone)}, transformers.js ${JSON.stringify(tjsNone)}`);
      deviations.push({ id, strategy: "none", reasons: ["unk-token-dropped"],
        detail: `transformers.js drops ${unk} tokens (they decode to ""); here labelled `
          + droppedEntities.map((t) => `${t.label} at ${t.index}`).join(", "),
        python: pyNone.map((e) => ({ ...e, score: new Score(e.score) })) });
    }
    if (!sameEntities(pySimple, tjsSimple, "entity_group")) {
      const reasons = [];
      const details = [];
      const contentPos = new Map(content.map((t, k) => [t.index, k]));
      for (const g of tjsSimple) {
        for (let k = 1; k < g.indices.length; k += 1) {
          const gap = content.slice(contentPos.get(g.indices[k - 1]) + 1, contentPos.get(g.indices[k]));
          if (gap.some((t) => t.label === "O")) {
            if (!reasons.includes("o-interruption")) reasons.push("o-interruption");
            details.push(`${g.entity_group} group ${JSON.stringify(g.word)} spans O token(s) `
              + gap.filter((t) => t.label === "O").map((t) => `${t.piece}@${t.index}`).join(" "));
          }
        }
      }
      if (droppedEntities.length) {
        reasons.push("unk-token-dropped");
        details.push(`${unk} labelled ${droppedEntities.map((t) => `${t.label}@${t.index}`).join(", ")} is dropped`);
      }
      if (reasons.length === 0) fail(`${id}: unexplained SIMPLE difference`);
      deviations.push({ id, strategy: "simple", reasons, detail: details.join("; "),
        python: pySimple.map((g) => ({ entity_group: g.entity_group, score: new Score(g.score), start: g.start, end: g.end })) });
    }

    inputs.push({
      id, group, text,
      token_ids: ids,
      tokens: tokens.map((t) => (t.special
        ? { index: t.index, piece: t.piece, special: true }
        : { index: t.index, piece: t.piece, start: t.start, end: t.end, label: t.label, score: new Score(t.score) })),
      none: tjsNone.map((e) => ({ ...e, score: new Score(e.score) })),
      simple: tjsSimple.map(({ indices, ...g }) => ({ ...g, token_indices: indices, score: new Score(g.score) })),
    });
  }

  const golden = {
    about: "Generated by models/reference/make_goldens.mjs; do not edit. none/simple: the transformers.js "
      + "token-classification pipeline's output with spans derived from its tokenizer; tokens: the same model "
      + "run per token; known_deviations: where the Hugging Face Python pipeline rule gives a different result.",
    generator: {
      library: "@huggingface/transformers",
      version,
      task: PIPELINE_TASK,
      calls: [
        "ner(text, {aggregation_strategy: 'none'})",
        "ner(text, {aggregation_strategy: 'simple'})",
        "ner(text, {aggregation_strategy: 'none', ignore_labels: []})  (cross-check only)",
      ],
      model_options: "device cpu, dtype fp32, one intra-op and one inter-op thread",
      offsets: "UTF-16 code units into text, [start, end)",
      score_decimals: SCORE_DECIMALS,
    },
    model: {
      path: entry.model,
      sha256: modelHashes(modelDir, ["config.json", "onnx/model.onnx", "tokenizer.json"]),
    },
    inputs,
    known_deviations: deviations,
  };
  if (entry.spans === "byte-level") {
    golden.generator.spans = "from the byte-level tokens: each token's bytes (its characters mapped back by the "
      + "tokenizer's ByteLevel decoder) spell the next bytes of the UTF-8 text; a token spans every character one of "
      + "its bytes belongs to (tokens holding parts of one character share its span); leading and trailing \"\u0120\" "
      + "(space) are trimmed off the span, as RobertaProcessing's trim_offsets does";
  }
  const shown = writeGolden(entry.out, serialize(golden));
  const entities = (key) => inputs.reduce((n, x) => n + x[key].length, 0);
  console.log(`transformers.js ${version}: ${inputs.length} inputs, ${entities("none")} NONE tokens, `
    + `${entities("simple")} SIMPLE entities, ${deviations.length} known deviation(s) -> ${shown}`);
}

run(async () => {
  for (const entry of selectModels(process.argv.slice(2), MODELS)) await makeGolden(entry);
});
