"""A BERT WordPiece tokenizer that reads and writes Hugging Face ``tokenizer.json`` files.

The generator tokenizes its training data with this class, so the ids a model
learns from are the ids the tokenizers library (Rust, used by Python
transformers and DJL) and transformers.js produce from the written file.
``verify_with_transformersjs.mjs`` checks that claim against transformers.js.

Pipeline, in the library's order:
  1. special added tokens are matched in the raw text (leftmost, longest first);
  2. the text between them is normalized (``BertNormalizer``) and pre-tokenized
     (``BertPreTokenizer``);
  3. each word is split greedily, longest match first, into vocabulary pieces,
     continuation pieces carrying the ``##`` prefix; a word that cannot be fully
     covered, or has more than ``max_input_chars_per_word`` code points, becomes
     one ``[UNK]``;
  4. ``TemplateProcessing`` adds ``[CLS] $A [SEP]`` (pair: ``... $B [SEP]``, type id 1).

Offsets are code-point offsets into the original string.
"""

import heapq
import json
from collections import Counter
from dataclasses import dataclass, field

from .bert_text import BertNormalizer, BertPreTokenizer

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


@dataclass
class Encoding:
    ids: list = field(default_factory=list)
    tokens: list = field(default_factory=list)
    offsets: list = field(default_factory=list)  # (start, end) code points; (0, 0) for template tokens
    word_ids: list = field(default_factory=list)  # None for special tokens
    type_ids: list = field(default_factory=list)
    special_tokens_mask: list = field(default_factory=list)

    @property
    def attention_mask(self):
        return [1] * len(self.ids)

    def _append(self, other):
        for name in ("ids", "tokens", "offsets", "word_ids", "type_ids", "special_tokens_mask"):
            getattr(self, name).extend(getattr(other, name))


class WordPieceModel:
    def __init__(self, vocab, unk_token="[UNK]", prefix="##", max_input_chars_per_word=100):
        self.vocab = dict(vocab)  # token -> id
        self.unk_token = unk_token
        self.prefix = prefix
        self.max_input_chars_per_word = max_input_chars_per_word
        if unk_token not in self.vocab:
            raise ValueError(f"unk token {unk_token!r} is not in the vocabulary")
        self._max_piece_len = max(len(t) for t in self.vocab)

    def to_json(self):
        return {
            "type": "WordPiece",
            "unk_token": self.unk_token,
            "continuing_subword_prefix": self.prefix,
            "max_input_chars_per_word": self.max_input_chars_per_word,
            "vocab": dict(sorted(self.vocab.items(), key=lambda kv: kv[1])),
        }

    def split_word(self, word):
        """Pieces of one word as (piece, start, end) offsets within the word."""
        n = len(word)
        if n > self.max_input_chars_per_word:
            return [(self.unk_token, 0, n)]
        pieces = []
        start = 0
        while start < n:
            end = min(n, start + self._max_piece_len)
            found = None
            while start < end:
                candidate = word[start:end] if start == 0 else self.prefix + word[start:end]
                if candidate in self.vocab:
                    found = candidate
                    break
                end -= 1
            if found is None:
                return [(self.unk_token, 0, n)]
            pieces.append((found, start, end))
            start = end
        return pieces


class BertWordPieceTokenizer:
    def __init__(self, vocab, max_input_chars_per_word=100):
        self.normalizer = BertNormalizer()
        self.pre_tokenizer = BertPreTokenizer()
        self.model = WordPieceModel(vocab, max_input_chars_per_word=max_input_chars_per_word)
        self.vocab = self.model.vocab
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        for tok in SPECIAL_TOKENS:
            if tok not in self.vocab:
                raise ValueError(f"special token {tok} missing from vocabulary")
        # Longest first so that leftmost-longest matching is a simple scan.
        self._specials_longest_first = sorted(SPECIAL_TOKENS, key=lambda t: (-len(t), t))

    # ---- encoding -------------------------------------------------------------------
    def _split_on_specials(self, text):
        """Yield (segment, start, is_special) in text order."""
        pos = seg_start = 0
        while pos < len(text):
            match = None
            if text[pos] == "[":
                for tok in self._specials_longest_first:
                    if text.startswith(tok, pos):
                        match = tok
                        break
            if match is None:
                pos += 1
                continue
            if seg_start < pos:
                yield text[seg_start:pos], seg_start, False
            yield match, pos, True
            pos += len(match)
            seg_start = pos
        if seg_start < len(text):
            yield text[seg_start:], seg_start, False

    def encode_text(self, text, type_id=0):
        """Tokens of one sequence without template tokens."""
        enc = Encoding()
        word_index = 0
        for segment, seg_start, is_special in self._split_on_specials(text):
            if is_special:
                enc.ids.append(self.vocab[segment])
                enc.tokens.append(segment)
                enc.offsets.append((seg_start, seg_start + len(segment)))
                enc.word_ids.append(word_index)
                enc.type_ids.append(type_id)
                # Added tokens found in the text are not template tokens: the library's
                # special_tokens_mask flags them too, since they are special.
                enc.special_tokens_mask.append(1)
                word_index += 1
                continue
            chars, origin = self.normalizer.normalize(segment, base=seg_start)
            for word, w_start, w_end in self.pre_tokenizer.split(chars, origin):
                for piece, p_start, p_end in self.model.split_word(word):
                    enc.ids.append(self.vocab[piece])
                    enc.tokens.append(piece)
                    if piece == self.model.unk_token:
                        enc.offsets.append((w_start, w_end))
                    else:
                        # Words are contiguous in the original text except where
                        # clean_text removed characters; map through the word span.
                        enc.offsets.append(_piece_offsets(segment, seg_start, word, w_start, w_end, p_start, p_end))
                    enc.word_ids.append(word_index)
                    enc.type_ids.append(type_id)
                    enc.special_tokens_mask.append(0)
                word_index += 1
        return enc

    def _template_token(self, token, type_id):
        return Encoding([self.vocab[token]], [token], [(0, 0)], [None], [type_id], [1])

    def encode(self, text, pair=None, add_special_tokens=True):
        first = self.encode_text(text, 0)
        if not add_special_tokens:
            if pair is not None:
                first._append(self.encode_text(pair, 1))
            return first
        enc = self._template_token("[CLS]", 0)
        enc._append(first)
        enc._append(self._template_token("[SEP]", 0))
        if pair is not None:
            enc._append(self.encode_text(pair, 1))
            enc._append(self._template_token("[SEP]", 1))
        return enc

    def decode(self, ids, skip_special_tokens=True):
        """WordPiece decoder with cleanup, as the library's decoder does it."""
        out = []
        for i in ids:
            tok = self.id_to_token[i]
            if skip_special_tokens and tok in SPECIAL_TOKENS:
                continue
            if tok.startswith(self.model.prefix) and out:
                out[-1] += tok[len(self.model.prefix):]
            else:
                out.append(tok)
        text = " ".join(out)
        for a, b in ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                     (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")):
            text = text.replace(a, b)
        return text

    # ---- tokenizer.json -------------------------------------------------------------
    def to_json(self):
        added = [
            {
                "id": self.vocab[tok],
                "content": tok,
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": False,
                "special": True,
            }
            for tok in sorted(SPECIAL_TOKENS, key=lambda t: self.vocab[t])
        ]

        def special(tok, type_id):
            return {"SpecialToken": {"id": tok, "type_id": type_id}}

        def seq(name, type_id):
            return {"Sequence": {"id": name, "type_id": type_id}}

        post = {
            "type": "TemplateProcessing",
            "single": [special("[CLS]", 0), seq("A", 0), special("[SEP]", 0)],
            "pair": [special("[CLS]", 0), seq("A", 0), special("[SEP]", 0), seq("B", 1), special("[SEP]", 1)],
            "special_tokens": {
                tok: {"id": tok, "ids": [self.vocab[tok]], "tokens": [tok]} for tok in ("[CLS]", "[SEP]")
            },
        }
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": self.normalizer.to_json(),
            "pre_tokenizer": self.pre_tokenizer.to_json(),
            "post_processor": post,
            "decoder": {"type": "WordPiece", "prefix": self.model.prefix, "cleanup": True},
            "model": self.model.to_json(),
        }

    @classmethod
    def from_file(cls, path):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        expected = {
            ("normalizer", "type"): "BertNormalizer",
            ("normalizer", "lowercase"): False,
            ("pre_tokenizer", "type"): "BertPreTokenizer",
            ("model", "type"): "WordPiece",
            ("model", "continuing_subword_prefix"): "##",
            ("model", "unk_token"): "[UNK]",
        }
        for (section, key), value in expected.items():
            if (data.get(section) or {}).get(key) != value:
                raise ValueError(f"{path}: {section}.{key} must be {value!r} for this reader")
        model = data["model"]
        return cls(model["vocab"], model.get("max_input_chars_per_word", 100))

    def vocab_txt(self):
        return "".join(t + "\n" for t, _ in sorted(self.vocab.items(), key=lambda kv: kv[1]))


def _piece_offsets(segment, seg_start, word, w_start, w_end, p_start, p_end):
    if w_end - w_start == len(word):
        return (w_start + p_start, w_start + p_end)
    # clean_text removed characters inside this word: walk the original span and
    # skip the removed ones to find where the piece's characters came from.
    positions = []
    for k in range(w_start, w_end):
        if len(positions) < len(word) and segment[k - seg_start] == word[len(positions)]:
            positions.append(k)
    return (positions[p_start], positions[p_end - 1] + 1)


# ---- vocabulary learning ------------------------------------------------------------------
def learn_wordpiece_vocab(word_counts, alphabet, vocab_size, min_frequency=2, prefix="##"):
    """Learn a WordPiece vocabulary the way the tokenizers library's trainer does in spirit:
    start from single characters (word-initial and ``##`` forms), then add the merge of
    the most frequent adjacent pair of pieces (BPE) until ``vocab_size`` is reached.

    Ties break on the pair itself, so the result depends only on the inputs.
    Returns the ordered token list (special tokens first).
    """
    tokens = list(SPECIAL_TOKENS)
    seen = set(tokens)
    for ch in sorted(set(alphabet)):
        for t in (ch, prefix + ch):
            if t not in seen:
                seen.add(t)
                tokens.append(t)
    if len(tokens) > vocab_size:
        raise ValueError(f"alphabet alone needs {len(tokens)} tokens, more than vocab_size={vocab_size}")

    words = sorted(word_counts.items())
    splits = [[w[0]] + [prefix + c for c in w[1:]] for w, _ in words]
    counts = [c for _, c in words]

    pair_counts = Counter()
    where = {}
    for wi, pieces in enumerate(splits):
        for a, b in zip(pieces, pieces[1:]):
            pair_counts[(a, b)] += counts[wi]
            where.setdefault((a, b), set()).add(wi)
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)

    def merged(a, b):
        return a + b[len(prefix):]

    while len(tokens) < vocab_size and heap:
        neg, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -neg:
            continue  # stale heap entry
        if -neg < min_frequency:
            break
        new_tok = merged(*pair)
        if new_tok not in seen:
            seen.add(new_tok)
            tokens.append(new_tok)
        touched = Counter()
        for wi in sorted(where.pop(pair, ())):
            pieces = splits[wi]
            for a, b in zip(pieces, pieces[1:]):
                pair_counts[(a, b)] -= counts[wi]
                touched[(a, b)] += 0
            out, i = [], 0
            while i < len(pieces):
                if i + 1 < len(pieces) and (pieces[i], pieces[i + 1]) == pair:
                    out.append(new_tok)
                    i += 2
                else:
                    out.append(pieces[i])
                    i += 1
            splits[wi] = out
            for a, b in zip(out, out[1:]):
                pair_counts[(a, b)] += counts[wi]
                where.setdefault((a, b), set()).add(wi)
                touched[(a, b)] += 0
        for p in sorted(touched):
            c = pair_counts.get(p, 0)
            if c <= 0:
                pair_counts.pop(p, None)
            else:
                heapq.heappush(heap, (-c, p))
    return tokens
