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
transformers.js builds. Special tokens (``</s>``, ``<unk>``, ``<pad>``) are matched in the
raw text before normalization; each text section between them gets its own ``▁`` prefix.
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
    def __init__(self, pieces, unk_token="<unk>", eos_token="</s>", pad_token="<pad>"):
        """``pieces``: list of (piece, score) in id order; must contain the special tokens."""
        self.pieces = [(p, float(s)) for p, s in pieces]
        self.vocab = {p: i for i, (p, _s) in enumerate(self.pieces)}
        if len(self.vocab) != len(self.pieces):
            raise ValueError("duplicate pieces")
        self.unk_token, self.eos_token, self.pad_token = unk_token, eos_token, pad_token
        self.unk_id, self.eos_id, self.pad_id = self.vocab[unk_token], self.vocab[eos_token], self.vocab[pad_token]
        self.special_ids = {self.unk_id, self.eos_id, self.pad_id}
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
        specials = sorted({self.eos_token, self.unk_token, self.pad_token}, key=lambda t: (-len(t), t))
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
        if add_special_tokens:
            tokens.append(self.eos_token)
            ids.append(self.eos_id)
        return Encoding(ids, tokens)

    def decode(self, ids, skip_special_tokens=True):
        parts = [self.pieces[i][0] for i in ids if not (skip_special_tokens and i in self.special_ids)]
        text = "".join(parts).replace(METASPACE, " ")
        return text[1:] if text.startswith(" ") else text

    # -- tokenizer.json ---------------------------------------------------------------
    def to_json(self):
        def added(tok):
            return {"id": self.vocab[tok], "content": tok, "single_word": False, "lstrip": False, "rstrip": False,
                    "normalized": False, "special": True}

        specials = sorted((self.eos_token, self.unk_token, self.pad_token), key=lambda t: self.vocab[t])
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [added(t) for t in specials],
            "normalizer": {"type": "NFKC"},
            "pre_tokenizer": {"type": "Metaspace", "replacement": METASPACE, "prepend_scheme": "always", "split": True},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [{"Sequence": {"id": "A", "type_id": 0}},
                           {"SpecialToken": {"id": self.eos_token, "type_id": 0}}],
                "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}},
                         {"SpecialToken": {"id": self.eos_token, "type_id": 0}}],
                "special_tokens": {self.eos_token: {"id": self.eos_token, "ids": [self.eos_id],
                                                    "tokens": [self.eos_token]}},
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
        eos = data["post_processor"]["single"][-1]["SpecialToken"]["id"]
        pad = next(t["content"] for t in data["added_tokens"] if t["content"] not in (unk, eos))
        return cls(pieces, unk_token=unk, eos_token=eos, pad_token=pad)
