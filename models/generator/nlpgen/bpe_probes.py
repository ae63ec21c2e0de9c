"""Inputs on which the byte-level BPE tokenizer (``bpe.py``) is compared with transformers.js.

``PROBES`` and ``PAIR_PROBES`` must give identical ids and decoded text. ``KNOWN_DEVIATIONS`` are
inputs where transformers.js is known to differ from the Hugging Face tokenizers library (whose
behaviour ``bpe.py`` follows); they are reported, not required to match.
"""

from .tokenizer_probes import PROBES as WORDPIECE_PROBES

PROBES = list(WORDPIECE_PROBES) + [
    # the GPT-2 split: contractions (lower case only), letters, numbers, other, white-space runs
    "It's John's car; we're sure they'll say I'd've known, you're right, I'm in.",
    "I'M SHOUTING, IT'S LOUD and 'sam' and '' and 'quoted'",
    "numbers 123 4567 ½ ² ٣٤ Ⅻ and 3.14e10",
    "multiple   spaces  between  words",
    "trailing spaces   ",
    "\n\nnewlines\n\n\nand\r\nCRLF\n",
    "tabs\t\tand\u00a0non-breaking\u2009thin spaces",
    "a\u200db zero width joiner and e\u0301 combining",
    "emoji 😀😀 family 👨\u200d👩\u200d👧 flag 🇩🇪 skin 👍🏽",
    "日本語のテキストと한국어 and Ελληνικά, עברית, العربية",
    "Zoë's café in Zürich isn't São Paulo's",
    # added tokens in the text; <mask> takes the white space before it (lstrip)
    "<mask> at the start",
    "a <mask> b",
    "two spaces  <mask> and a tab\t<mask>",
    "glued<mask>text and <mask><mask>",
    "<s>inside</s> and <pad><unk>",
    " <mask>",
    "<mask",
    "x" * 300,
]

PAIR_PROBES = [
    ("Who works for Deutsche Bank?", "Zoë Schmidt works for Deutsche Bank in Frankfurt."),
    ("", "Only the second text."),
]

KNOWN_DEVIATIONS = [
    {
        "text": "a \u0085b",
        "why": "U+0085 (NEL) is white space for the tokenizers library's regex (Oniguruma \\s) but not "
               "for JavaScript's \\s, so the GPT-2 split differs (' ' + NEL vs ' \\u0085').",
    },
    {
        "text": "x \ufeffy",
        "why": "U+FEFF is white space for JavaScript's \\s but not for Oniguruma's, so the GPT-2 split differs.",
    },
]
