"""BERT text preparation as the Hugging Face tokenizers library (Rust) defines it.

Two stages, each written from the library's documented behaviour:

* ``BertNormalizer``: clean_text drops NUL, U+FFFD and "other" characters (Unicode
  categories Cc, Cf, Co, except tab/newline/CR) and maps every White_Space
  character to a plain space; handle_chinese_chars puts spaces around CJK
  ideographs; lowercase/strip_accents are off for the cased models built here.
* ``BertPreTokenizer``: split on White_Space (removed) and on punctuation (ASCII
  punctuation or Unicode category P*), each punctuation character a word of its own.

Both stages keep, for every character of the output, the index of the character
of the original text it came from, so that tokens carry character offsets
(code points) into the caller's string.
"""

import unicodedata

# Unicode White_Space property (what Rust's char::is_whitespace tests). Python's
# str.isspace() differs on a few control characters, so the set is spelled out.
_WHITE_SPACE = frozenset(
    [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680]
    + list(range(0x2000, 0x200B))
    + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
)

# CJK ideograph blocks that BERT isolates (same ranges as the original BERT code
# and the tokenizers library). Hiragana, Katakana and Hangul are not in them.
_CJK_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B820, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)


def is_whitespace(ch):
    return ord(ch) in _WHITE_SPACE


def is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")


def is_cjk(ch):
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def is_bert_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


class BertNormalizer:
    """Cased BERT normalisation; returns (normalized_chars, original_index_per_char)."""

    def __init__(self, clean_text=True, handle_chinese_chars=True, lowercase=False, strip_accents=None):
        if lowercase or strip_accents:
            # Lower-casing and accent stripping change lengths (NFD) and need an
            # alignment model this generator does not need for cased models.
            raise NotImplementedError("only cased BERT normalisation is implemented")
        self.clean_text = clean_text
        self.handle_chinese_chars = handle_chinese_chars

    def to_json(self):
        return {
            "type": "BertNormalizer",
            "clean_text": self.clean_text,
            "handle_chinese_chars": self.handle_chinese_chars,
            "strip_accents": None,
            "lowercase": False,
        }

    def normalize(self, text, base=0):
        chars, origin = [], []
        for i, ch in enumerate(text):
            if self.clean_text:
                if ch == "\0" or ch == "\ufffd" or is_control(ch):
                    continue
                if is_whitespace(ch):
                    ch = " "
            if self.handle_chinese_chars and is_cjk(ch):
                chars.extend((" ", ch, " "))
                origin.extend((base + i, base + i, base + i))
            else:
                chars.append(ch)
                origin.append(base + i)
        return chars, origin


class BertPreTokenizer:
    """Splits normalized characters into words: list of (word, start, end) offsets."""

    def to_json(self):
        return {"type": "BertPreTokenizer"}

    def split(self, chars, origin):
        words = []
        current = []

        def flush():
            if current:
                word = "".join(chars[j] for j in current)
                words.append((word, origin[current[0]], origin[current[-1]] + 1))
                current.clear()

        for j, ch in enumerate(chars):
            if is_whitespace(ch):
                flush()
            elif is_bert_punctuation(ch):
                flush()
                words.append((ch, origin[j], origin[j] + 1))
            else:
                current.append(j)
        flush()
        return words
