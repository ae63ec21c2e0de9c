"""A byte-level BPE tokenizer (GPT-2 / RoBERTa / BART style) that reads and writes Hugging Face
``tokenizer.json`` files, and learns its merges from a corpus.

The generator tokenizes its training data with this class, so the ids a model learns from are
the ids the tokenizers library (Rust: Python transformers, DJL) and transformers.js produce from
the written file; ``verify_bpe_with_transformersjs.mjs`` checks that against transformers.js.

Pipeline, in the library's order (RoBERTa's and BART's ``tokenizer.json``):
  1. added tokens (``<s>``, ``<pad>``, ``</s>``, ``<unk>``, ``<mask>``) are matched in the raw text,
     leftmost-longest; ``<mask>`` has ``lstrip``: it also takes the white space before it;
  2. no normalizer;
  3. ``ByteLevel`` pre-tokenizer (``add_prefix_space`` false): the GPT-2 split
     ``'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+`` (``\\s`` is
     Unicode White_Space, as Oniguruma has it), then every UTF-8 byte of a piece becomes one
     printable character (GPT-2's ``bytes_to_unicode``: a space is ``Ġ``);
  4. BPE: the lowest-ranked merge of adjacent symbols first, leftmost on ties, until none applies.
     The vocabulary holds all 256 byte characters, so there is never an unknown token;
  5. ``RobertaProcessing``: ``<s> A </s>`` (pair: ``<s> A </s></s> B </s>``); ``trim_offsets``
     removes leading and trailing ``Ġ`` (and, for an lstrip token, white space) from a token's span.

Offsets are code-point offsets into the original text. A token that holds only some of the bytes
of a character spans the whole character (the library aligns every byte of a character to the
character), so several tokens can share one span.
"""

import heapq
import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

BOS, PAD, EOS, UNK, MASK = "<s>", "<pad>", "</s>", "<unk>", "<mask>"
SPECIAL_TOKENS = (BOS, PAD, EOS, UNK)  # ids 0-3; <mask> is the last id
SPACE_CHAR = "\u0120"  # Ġ, the byte character of " "

# Unicode White_Space: Rust's char::is_whitespace and Oniguruma's \s (U+0009-000D, U+0085, Zs, Zl, Zp).
WHITE_SPACE = frozenset(
    [chr(c) for c in range(0x09, 0x0E)] + ["\u0020", "\u0085", "\u00a0", "\u1680"]
    + [chr(c) for c in range(0x2000, 0x200B)] + ["\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
)
CONTRACTIONS = ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d")


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable character table, in GPT-2's order: the printable
    Latin-1 bytes map to themselves, the other 68 bytes to U+0100 upwards."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1)) \
        + list(range(ord("\u00ae"), ord("\u00ff") + 1))
    table = {b: chr(b) for b in printable}
    n = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + n)
            n += 1
    order = printable + [b for b in range(256) if b not in printable]
    return {b: table[b] for b in order}


BYTE_TO_CHAR = bytes_to_unicode()
CHAR_TO_BYTE = {c: b for b, c in BYTE_TO_CHAR.items()}


def _letter(c):
    return unicodedata.category(c)[0] == "L"


def _number(c):
    return unicodedata.category(c)[0] == "N"


def _other(c):
    return not (c in WHITE_SPACE or _letter(c) or _number(c))


def _run(text, i, test):
    while i < len(text) and test(text[i]):
        i += 1
    return i


def gpt2_split(text):
    """(start, end) code-point spans of the GPT-2 pre-tokenizer pattern's matches; they cover
    ``text`` (alternatives tried in order at each position, as a backtracking regex does)."""
    spans, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        end = None
        if c == "'":
            end = next((i + len(k) for k in CONTRACTIONS if text.startswith(k, i)), None)
        if end is None:
            j = i + 1 if c == " " and i + 1 < n else i  # the optional leading space
            for test in (_letter, _number, _other):
                if test(text[j]) and (j == i or text[j] != " "):
                    end = _run(text, j, test)
                    break
        if end is None:
            # \s+(?!\S): the longest white-space run not followed by a non-space, else \s+
            stop = _run(text, i, lambda ch: ch in WHITE_SPACE)
            end = stop if stop == n or stop - i == 1 else stop - 1
        spans.append((i, end))
        i = end
    return spans


@dataclass
class Encoding:
    ids: list = field(default_factory=list)
    tokens: list = field(default_factory=list)
    offsets: list = field(default_factory=list)  # (start, end) code points; (0, 0) for template tokens
    special_tokens_mask: list = field(default_factory=list)

    def _append(self, other):
        for name in ("ids", "tokens", "offsets", "special_tokens_mask"):
            getattr(self, name).extend(getattr(other, name))


class ByteLevelBPETokenizer:
    """``vocab``: token -> id; ``merges``: (left, right) pairs, rank = position."""

    def __init__(self, vocab, merges):
        self.vocab = dict(vocab)
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        if len(self.id_to_token) != len(self.vocab):
            raise ValueError("duplicate ids in the vocabulary")
        self.merges = [tuple(m) for m in merges]
        self.ranks = {m: r for r, m in enumerate(self.merges)}
        for tok in SPECIAL_TOKENS + (MASK,):
            if tok not in self.vocab:
                raise ValueError(f"special token {tok} missing from the vocabulary")
        for ch in BYTE_TO_CHAR.values():
            if ch not in self.vocab:
                raise ValueError(f"byte character {ch!r} missing from the vocabulary")
        for a, b in self.merges:
            if a not in self.vocab or b not in self.vocab or a + b not in self.vocab:
                raise ValueError(f"merge {a!r} {b!r} uses or makes a token outside the vocabulary")
        self.bos_id, self.pad_id, self.eos_id = self.vocab[BOS], self.vocab[PAD], self.vocab[EOS]
        self.unk_id, self.mask_id = self.vocab[UNK], self.vocab[MASK]
        self.special_ids = {self.vocab[t] for t in SPECIAL_TOKENS + (MASK,)}
        self._added_longest_first = sorted(SPECIAL_TOKENS + (MASK,), key=lambda t: (-len(t), t))
        self._cache = {}

    # ---- encoding -------------------------------------------------------------------
    def _split_on_added(self, text):
        """(start, end, token or None) sections covering ``text``: added tokens found leftmost-
        longest; ``<mask>`` (lstrip) extends its section over the white space before it, but
        never into an earlier added token."""
        sections, pos, seg_start = [], 0, 0
        while pos < len(text):
            match = None
            if text[pos] == "<":
                match = next((t for t in self._added_longest_first if text.startswith(t, pos)), None)
            if match is None:
                pos += 1
                continue
            start = pos
            if match == MASK:
                while start > seg_start and text[start - 1] in WHITE_SPACE:
                    start -= 1
            if seg_start < start:
                sections.append((seg_start, start, None))
            sections.append((start, pos + len(match), match))
            pos += len(match)
            seg_start = pos
        if seg_start < len(text):
            sections.append((seg_start, len(text), None))
        return sections

    def bpe(self, word):
        """Symbols of one byte-character word after applying the merges by rank."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        symbols = list(word)
        while len(symbols) > 1:
            best = min(((self.ranks.get((a, b), len(self.ranks)), k)
                        for k, (a, b) in enumerate(zip(symbols, symbols[1:]))), default=None)
            if best is None or best[0] == len(self.ranks):
                break
            pair = (symbols[best[1]], symbols[best[1] + 1])
            out, k = [], 0
            while k < len(symbols):  # every occurrence, left to right
                if k + 1 < len(symbols) and (symbols[k], symbols[k + 1]) == pair:
                    out.append(symbols[k] + symbols[k + 1])
                    k += 2
                else:
                    out.append(symbols[k])
                    k += 1
            symbols = out
        if len(self._cache) < 100000:
            self._cache[word] = symbols
        return symbols

    def _encode_piece(self, text, start, end, enc):
        piece = text[start:end]
        data, char_of_byte = bytearray(), []
        for k, ch in enumerate(piece):
            b = ch.encode("utf-8")
            data.extend(b)
            char_of_byte.extend([start + k] * len(b))
        word = "".join(BYTE_TO_CHAR[b] for b in data)
        pos = 0
        for tok in self.bpe(word):
            first, last = char_of_byte[pos], char_of_byte[pos + len(tok) - 1]
            enc.ids.append(self.vocab[tok])
            enc.tokens.append(tok)
            enc.offsets.append(_trimmed(tok, first, last + 1))
            enc.special_tokens_mask.append(0)
            pos += len(tok)

    def encode_text(self, text):
        """Tokens of one sequence without the template tokens."""
        enc = Encoding()
        for start, end, added in self._split_on_added(text):
            if added is not None:
                value = text[start:end]  # with the white space an lstrip token took
                enc.ids.append(self.vocab[added])
                enc.tokens.append(value)
                enc.offsets.append(_trimmed(value, start, end))
                enc.special_tokens_mask.append(1)
                continue
            for a, b in gpt2_split(text[start:end]):
                self._encode_piece(text, start + a, start + b, enc)
        return enc

    def _template(self, token):
        return Encoding([self.vocab[token]], [token], [(0, 0)], [1])

    def encode(self, text, pair=None, add_special_tokens=True):
        first = self.encode_text(text)
        if not add_special_tokens:
            if pair is not None:
                first._append(self.encode_text(pair))
            return first
        enc = self._template(BOS)
        enc._append(first)
        enc._append(self._template(EOS))
        if pair is not None:
            enc._append(self._template(EOS))
            enc._append(self.encode_text(pair))
            enc._append(self._template(EOS))
        return enc

    def decode(self, ids, skip_special_tokens=True, clean_up_tokenization_spaces=False):
        """The ByteLevel decoder (bytes of every token, invalid UTF-8 replaced by U+FFFD);
        special tokens are kept as their text unless skipped."""
        parts, data = [], bytearray()
        for i in ids:
            tok = self.id_to_token[i]
            if i in self.special_ids:
                if skip_special_tokens:
                    continue
                parts.append(data.decode("utf-8", errors="replace"))
                data = bytearray()
                parts.append(tok)
                continue
            data.extend(CHAR_TO_BYTE[c] for c in tok)
        parts.append(data.decode("utf-8", errors="replace"))
        text = "".join(parts)
        if clean_up_tokenization_spaces:
            for a, b in ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                         (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")):
                text = text.replace(a, b)
        return text

    # ---- files ----------------------------------------------------------------------
    def to_json(self):
        def added(tok):
            return {"id": self.vocab[tok], "content": tok, "single_word": False, "lstrip": tok == MASK,
                    "rstrip": False, "normalized": False, "special": True}

        byte_level = {"add_prefix_space": False, "trim_offsets": True, "use_regex": True}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [added(t) for t in sorted(SPECIAL_TOKENS + (MASK,), key=lambda t: self.vocab[t])],
            "normalizer": None,
            "pre_tokenizer": {"type": "ByteLevel", **byte_level},
            "post_processor": {"type": "RobertaProcessing", "sep": [EOS, self.eos_id], "cls": [BOS, self.bos_id],
                               "trim_offsets": True, "add_prefix_space": False},
            "decoder": {"type": "ByteLevel", **byte_level},
            "model": {
                "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                "vocab": dict(sorted(self.vocab.items(), key=lambda kv: kv[1])),
                "merges": [f"{a} {b}" for a, b in self.merges],
            },
        }

    @classmethod
    def from_file(cls, path):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        expected = {("pre_tokenizer", "type"): "ByteLevel", ("pre_tokenizer", "add_prefix_space"): False,
                    ("post_processor", "type"): "RobertaProcessing", ("model", "type"): "BPE"}
        for (section, key), value in expected.items():
            if (data.get(section) or {}).get(key) != value:
                raise ValueError(f"{path}: {section}.{key} must be {value!r} for this reader")
        if data.get("normalizer") is not None:
            raise ValueError(f"{path}: a normalizer is not supported by this reader")
        merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in data["model"]["merges"]]
        return cls(data["model"]["vocab"], merges)

    def vocab_json(self):
        """vocab.json of the slow (pure Python) tokenizer: token -> id, by id."""
        return json.dumps(dict(sorted(self.vocab.items(), key=lambda kv: kv[1])), ensure_ascii=False) + "\n"

    def merges_txt(self):
        return "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in self.merges)


def _trimmed(token, start, end):
    """RobertaProcessing's trim_offsets: drop leading and trailing Ġ / white space from a span."""
    lead = len(token) - len(token.lstrip(SPACE_CHAR + "".join(WHITE_SPACE)))
    trail = len(token) - len(token.rstrip(SPACE_CHAR + "".join(WHITE_SPACE)))
    if lead:
        start = min(start + lead, end)
    if trail and end >= trail:
        end = max(end - trail, start)
    return (start, end)


# ---- learning ---------------------------------------------------------------------------------
def byte_words(texts):
    """Counts of the byte-character words (pre-tokenized pieces) of ``texts``."""
    counts = Counter()
    for text in texts:
        for a, b in gpt2_split(text):
            counts["".join(BYTE_TO_CHAR[x] for x in text[a:b].encode("utf-8"))] += 1
    return counts


def learn_merges(word_counts, max_merges, min_frequency=2):
    """BPE merges learned the way the tokenizers library's BpeTrainer does in spirit: start from
    byte characters, repeatedly merge the most frequent adjacent pair (ties: the smaller pair),
    until ``max_merges`` or no pair occurs ``min_frequency`` times. Returns the merges in order."""
    words = sorted(word_counts.items())
    splits = [list(w) for w, _ in words]
    counts = [c for _, c in words]
    pair_counts, where = Counter(), {}
    for wi, sym in enumerate(splits):
        for pair in zip(sym, sym[1:]):
            pair_counts[pair] += counts[wi]
            where.setdefault(pair, set()).add(wi)
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    merges = []
    while len(merges) < max_merges and heap:
        neg, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -neg:
            continue  # stale entry
        if -neg < min_frequency:
            break
        new = pair[0] + pair[1]
        merges.append(pair)  # another pair may already have made the same string: one token, two merges
        touched = set()
        for wi in sorted(where.pop(pair, ())):
            sym = splits[wi]
            for p in zip(sym, sym[1:]):
                pair_counts[p] -= counts[wi]
                touched.add(p)
            out, k = [], 0
            while k < len(sym):
                if k + 1 < len(sym) and (sym[k], sym[k + 1]) == pair:
                    out.append(new)
                    k += 2
                else:
                    out.append(sym[k])
                    k += 1
            splits[wi] = out
            for p in zip(out, out[1:]):
                pair_counts[p] += counts[wi]
                where.setdefault(p, set()).add(wi)
                touched.add(p)
        pair_counts.pop(pair, None)
        for p in sorted(touched):
            c = pair_counts.get(p, 0)
            if c <= 0:
                pair_counts.pop(p, None)
            elif p != pair:
                heapq.heappush(heap, (-c, p))
    return merges


def build_tokenizer(merges):
    """Vocabulary in RoBERTa's layout: ``<s>`` 0, ``<pad>`` 1, ``</s>`` 2, ``<unk>`` 3, the 256 byte
    characters (GPT-2's order), one token per distinct merge result in merge order, ``<mask>`` last."""
    tokens = list(SPECIAL_TOKENS) + list(BYTE_TO_CHAR.values())
    seen = set(tokens)
    for a, b in merges:
        if a + b not in seen:
            seen.add(a + b)
            tokens.append(a + b)
    tokens.append(MASK)
    return ByteLevelBPETokenizer({t: i for i, t in enumerate(tokens)}, merges)


def learn_tokenizer(texts, vocab_size, min_frequency=2):
    """A tokenizer with at most ``vocab_size`` tokens learned from ``texts``."""
    budget = vocab_size - len(SPECIAL_TOKENS) - 256 - 1
    if budget < 0:
        raise ValueError(f"vocab_size {vocab_size} is below the {len(SPECIAL_TOKENS) + 257} fixed tokens")
    return build_tokenizer(learn_merges(byte_words(texts), budget, min_frequency))
