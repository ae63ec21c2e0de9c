"""Unigram (SentencePiece-style) tokenizer as a Marian ``tokenizer.json`` describes it.

Follows the Hugging Face tokenizers library (the Rust code behind Python transformers
and DJL): NFKC normalizer; ``Metaspace`` pre-tokenizer (spaces become ``▁``, a ``▁`` is
prepended unless the text starts with one, and the text is split before every ``▁``);
Unigram Viterbi per pre-token where a character no single-character piece covers is an
unknown node scored (lowest piece score - 10), and runs of unknown characters are fused
into one ``<unk>``; ties go to the first (shortest) candidate, as in
``Unigram::encode_optimized``; post-processor ``$A </s>``; ``Metaspace`` decoder.

The vocabulary always contains the lone ``▁`` piece, so unknown runs never span a word
boundary and the per-word tokenization of the Rust library equals the whole-text lattice
transformers.js builds. Special tokens (``</s>``, ``<unk>``, ``<pad>`` and any
``extra_specials``: T5's ``<extra_id_N>``, M2M-100's ``<s>`` and language tokens) are matched in
the raw text before normalization; each text section between them gets its own ``▁`` prefix.
The post-processor templates default to Marian's (``$A </s>``, pair ``$A $B </s>``); T5 and
M2M-100 pass their own (``$A </s> $B </s>``; ``__en__ $A </s>``).
"""

import json
import unicodedata
from dataclasses import dataclass

METASPACE = "\u2581"
K_UNK_PENALTY = 10.0


@dataclass
class Encoding:
    ids: list
    tokens: list


class UnigramTokenizer:
    def __init__(self, pieces, unk_token="<unk>", eos_token="</s>", pad_token="<pad>", extra_specials=(),
                 single=None, pair=None):
        """``pieces``: list of (piece, score) in id order; must contain the special tokens.
        ``extra_specials``: further added special tokens (in the vocabulary too). ``single`` /
        ``pair``: post-processor templates, items ``"$A"``, ``"$B"`` or a special token."""
        self.pieces = [(p, float(s)) for p, s in pieces]
        self.vocab = {p: i for i, (p, _s) in enumerate(self.pieces)}
        if len(self.vocab) != len(self.pieces):
            raise ValueError("duplicate pieces")
        self.unk_token, self.eos_token, self.pad_token = unk_token, eos_token, pad_token
        self.unk_id, self.eos_id, self.pad_id = self.vocab[unk_token], self.vocab[eos_token], self.vocab[pad_token]
        self.extra_specials = tuple(extra_specials)
        self.special_tokens = sorted({eos_token, unk_token, pad_token, *self.extra_specials},
                                     key=lambda t: self.vocab[t])
        self.special_ids = {self.vocab[t] for t in self.special_tokens}
        self.single = tuple(single) if single else ("$A", eos_token)
        self.pair = tuple(pair) if pair else ("$A", "$B", eos_token)
        for item in self.single + self.pair:
            if item not in ("$A", "$B") and item not in self.special_tokens:
                raise ValueError(f"template token {item!r} is not a special token")
        self.min_score = min(s for _p, s in self.pieces)
        self.unk_score = self.min_score - K_UNK_PENALTY
        self.max_piece_len = max(len(p) for p, _s in self.pieces)

    # -- encoding -------------------------------------------------------------------
    @staticmethod
    def normalize(text):
        return unicodedata.normalize("NFKC", text)

    @staticmethod
    def pre_tokenize(text):
        s = text.replace(" ", METASPACE)
        if not s.startswith(METASPACE):
            s = METASPACE + s
        words, start = [], 0
        for i in range(1, len(s)):
            if s[i] == METASPACE:
                words.append(s[start:i])
                start = i
        words.append(s[start:])
        return [w for w in words if w]

    def _viterbi(self, word):
        n = len(word)
        best = [None] * (n + 1)  # (score, start, piece_id or None for unk)
        best[0] = (0.0, -1, None)
        for start in range(n):
            if best[start] is None:
                continue
            base = best[start][0]
            has_single = False
            for end in range(start + 1, min(n, start + self.max_piece_len) + 1):
                pid = self.vocab.get(word[start:end])
                if pid is None:
                    continue
                if end - start == 1:
                    has_single = True
                cand = base + self.pieces[pid][1]
                if best[end] is None or cand > best[end][0]:
                    best[end] = (cand, start, pid)
            if not has_single:
                cand = base + self.unk_score
                if best[start + 1] is None or cand > best[start + 1][0]:
                    best[start + 1] = (cand, start, self.unk_id)
        out, end = [], n
        while end > 0:
            _score, start, pid = best[end]
            out.append((word[start:end], pid))
            end = start
        out.reverse()
        fused = []
        for piece, pid in out:  # fuse runs of unknown characters
            if pid == self.unk_id and fused and fused[-1][1] == self.unk_id:
                fused[-1] = (fused[-1][0] + piece, pid)
            else:
                fused.append((piece, pid))
        return fused

    def _split_specials(self, text):
        """Special tokens are matched in the raw text first (leftmost, longest), as the
        library's added vocabulary does; the text between them is tokenized separately."""
        specials = sorted(self.special_tokens, key=lambda t: (-len(t), t))
        parts, i, start = [], 0, 0
        while i < len(text):
            hit = next((t for t in specials if text.startswith(t, i)), None)
            if hit is None:
                i += 1
                continue
            if start < i:
                parts.append((text[start:i], False))
            parts.append((hit, True))
            i += len(hit)
            start = i
        if start < len(text):
            parts.append((text[start:], False))
        return parts

    def encode(self, text, add_special_tokens=True):
        tokens, ids = [], []
        for part, special in self._split_specials(text):
            if special:
                tokens.append(part)
                ids.append(self.vocab[part])
                continue
            normalized = self.normalize(part)
            if not normalized:  # Metaspace prepends nothing to an empty string
                continue
            for word in self.pre_tokenize(normalized):
                for piece, pid in self._viterbi(word):
                    tokens.append(piece)
                    ids.append(pid)
        if not add_special_tokens:
            return Encoding(ids, tokens)
        out = Encoding([], [])
        for item in self.single:
            if item == "$A":
                out.ids += ids
                out.tokens += tokens
            else:
                out.ids.append(self.vocab[item])
                out.tokens.append(item)
        return out

    def decode(self, ids, skip_special_tokens=True):
        parts = [self.pieces[i][0] for i in ids if not (skip_special_tokens and i in self.special_ids)]
        text = "".join(parts).replace(METASPACE, " ")
        return text[1:] if text.startswith(" ") else text

    # -- tokenizer.json ---------------------------------------------------------------
    def to_json(self):
        def added(tok):
            return {"id": self.vocab[tok], "content": tok, "single_word": False, "lstrip": False, "rstrip": False,
                    "normalized": False, "special": True}

        def template(items):
            return [{"Sequence": {"id": item[1], "type_id": 0}} if item in ("$A", "$B")
                    else {"SpecialToken": {"id": item, "type_id": 0}} for item in items]

        used = sorted({item for item in self.single + self.pair if item not in ("$A", "$B")})
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [added(t) for t in self.special_tokens],
            "normalizer": {"type": "NFKC"},
            "pre_tokenizer": {"type": "Metaspace", "replacement": METASPACE, "prepend_scheme": "always", "split": True},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": template(self.single),
                "pair": template(self.pair),
                "special_tokens": {t: {"id": t, "ids": [self.vocab[t]], "tokens": [t]} for t in used},
            },
            "decoder": {"type": "Metaspace", "replacement": METASPACE, "prepend_scheme": "always", "split": True},
            "model": {"type": "Unigram", "unk_id": self.unk_id, "vocab": [[p, s] for p, s in self.pieces],
                      "byte_fallback": False},
        }

    @classmethod
    def from_file(cls, path):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        model = data["model"]
        if model.get("type") != "Unigram":
            raise ValueError(f"{path}: not a Unigram tokenizer")
        pieces = [(p, s) for p, s in model["vocab"]]
        unk = pieces[model["unk_id"]][0]

        def template(items):
            return [("$" + i["Sequence"]["id"]) if "Sequence" in i else i["SpecialToken"]["id"] for i in items]

        single, pair = template(data["post_processor"]["single"]), template(data["post_processor"]["pair"])
        eos = single[-1]
        added = [t["content"] for t in data["added_tokens"]]
        pad = "<pad>" if "<pad>" in added else next(t for t in added if t not in (unk, eos))
        extra = [t for t in added if t not in (unk, eos, pad)]
        return cls(pieces, unk_token=unk, eos_token=eos, pad_token=pad, extra_specials=extra, single=single, pair=pair)


def word_list_pieces(words, alphabet, head, tail=()):
    """A Unigram vocabulary for a word list, scored so that the segmentation with the fewest
    pieces wins: ``head`` special tokens (score 0), the lone ``▁`` (-3.5), the pieces of every
    word (``|`` marks deliberate splits; the first piece carries ``▁``) at about -4, single
    characters of ``alphabet`` not already pieces at about -9, then ``tail`` tokens (score 0).
    Small per-piece offsets avoid ties."""
    word_pieces = set()
    for w in words:
        segs = w.split("|")
        word_pieces.add(METASPACE + segs[0])
        word_pieces.update(segs[1:])
    pieces = [(t, 0.0) for t in head] + [(METASPACE, -3.5)]
    pieces += [(p, round(-4.0 - 0.001 * i, 4)) for i, p in enumerate(sorted(word_pieces))]
    pieces += [(c, round(-9.0 - 0.001 * i, 4)) for i, c in enumerate(sorted(set(alphabet))) if c not in word_pieces]
    return pieces + [(t, 0.0) for t in tail]
