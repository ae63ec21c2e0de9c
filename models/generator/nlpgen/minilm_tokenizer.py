"""The uncased BERT WordPiece tokenizer of all-MiniLM-L6-v2 (``bert-base-uncased``'s vocabulary).

``wordpiece.BertWordPieceTokenizer`` implements the cased pipeline; MiniLM's ``tokenizer.json``
adds ``lowercase: true`` with ``strip_accents: null`` (which then means: strip them). The
tokenizers library (Rust) applies, per character: clean_text, CJK spacing, NFD followed by
dropping nonspacing marks (Mn), then lower-casing. Normalisation may change the number of
characters (NFD of a Hangul syllable is three jamo), so piece offsets are taken from the
per-character origin indices instead of the word's length.
"""

import json
import unicodedata

from .bert_text import BertNormalizer
from .wordpiece import BertWordPieceTokenizer, Encoding


class UncasedBertNormalizer(BertNormalizer):
    """BertNormalizer with lowercase and accent stripping; (chars, origin index per char)."""

    def normalize(self, text, base=0):
        chars, origin = super().normalize(text, base)
        out_chars, out_origin = [], []
        for ch, o in zip(chars, origin):
            # Per-character NFD: canonical reordering only moves combining marks, which are
            # (almost all) dropped right after, so per-character and per-string agree here.
            for d in unicodedata.normalize("NFD", ch):
                if unicodedata.category(d) == "Mn":
                    continue
                for lower in d.lower():
                    out_chars.append(lower)
                    out_origin.append(o)
        return out_chars, out_origin


class UncasedWordPieceTokenizer(BertWordPieceTokenizer):
    """Reads an uncased BERT ``tokenizer.json`` (e.g. MiniLM's) and encodes with offsets."""

    def __init__(self, vocab, max_input_chars_per_word=100):
        super().__init__(vocab, max_input_chars_per_word)
        self.normalizer = UncasedBertNormalizer()

    @classmethod
    def from_file(cls, path):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        normalizer = data.get("normalizer") or {}
        expected = {
            ("normalizer", "type"): "BertNormalizer",
            ("normalizer", "lowercase"): True,
            ("normalizer", "clean_text"): True,
            ("normalizer", "handle_chinese_chars"): True,
            ("pre_tokenizer", "type"): "BertPreTokenizer",
            ("model", "type"): "WordPiece",
            ("model", "continuing_subword_prefix"): "##",
            ("model", "unk_token"): "[UNK]",
        }
        for (section, key), value in expected.items():
            if (data.get(section) or {}).get(key) != value:
                raise ValueError(f"{path}: {section}.{key} must be {value!r} for this reader")
        if normalizer.get("strip_accents") not in (None, True):
            raise ValueError(f"{path}: strip_accents false is not implemented")
        model = data["model"]
        return cls(model["vocab"], model.get("max_input_chars_per_word", 100))

    def encode_text(self, text, type_id=0):
        enc = Encoding()
        word_index = 0
        for segment, seg_start, is_special in self._split_on_specials(text):
            if is_special:
                enc._append(Encoding([self.vocab[segment]], [segment], [(seg_start, seg_start + len(segment))],
                                     [word_index], [type_id], [1]))
                word_index += 1
                continue
            chars, origin = self.normalizer.normalize(segment, base=seg_start)
            # Pre-tokenize over indices into ``chars`` so each piece maps back through ``origin``.
            for word, j_start, _j_end in self.pre_tokenizer.split(chars, list(range(len(chars)))):
                for piece, p_start, p_end in self.model.split_word(word):
                    first, last = j_start + p_start, j_start + p_end - 1
                    enc.ids.append(self.vocab[piece])
                    enc.tokens.append(piece)
                    enc.offsets.append((origin[first], origin[last] + 1))
                    enc.word_ids.append(word_index)
                    enc.type_ids.append(type_id)
                    enc.special_tokens_mask.append(0)
                word_index += 1
        return enc
