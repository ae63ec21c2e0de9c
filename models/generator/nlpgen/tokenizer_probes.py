"""Inputs on which the generator's tokenizer is compared with transformers.js.

``PROBES`` and ``PAIR_PROBES`` must give identical ids. ``KNOWN_DEVIATIONS`` are inputs where
transformers.js is known to differ from the Hugging Face tokenizers library (whose
behaviour the generator follows); they are reported, not required to match.
"""

DEMO_SENTENCES = [
    "Angela Merkel met Tim Cook in Berlin.",
    "Zoë Schmidt works for Deutsche Bank in Frankfurt.",
    "The United Nations opened an office in São Paulo.",
]

PROBES = DEMO_SENTENCES + [
    # accents, precomposed and combining
    "José García flew from Bogotá to Montréal.",
    "Crème brûlée and a naïve café in Zürich.",
    "Ångström, Øresund, Łódź and Kraków.",
    "Cafe\u0301 with a combining accent.",
    "Renée Lefèvre, François and Søren.",
    # CJK ideographs are words of their own; kana and hangul are not CJK for BERT
    "東京 and 北京 are big cities.",
    "我爱东京。",
    "Tokyo(東京)is in Japan.",
    "李娜在上海工作",
    "こんにちは世界",
    "서울 is the capital of Korea.",
    "三菱 opened an office in 大阪.",
    # emoji and symbols
    "I love NY 😀!",
    "Family: 👨\u200d👩\u200d👧 at home.",
    "thumbs👍up and ❤️ hearts",
    "Price: 5€ or £4 or ¥600 (±2%).",
    # unknown words and length limits
    "Zyxwvut qqqq Xqz.",
    "a" * 100,
    "b" * 101 + " end",
    "Supercalifragilisticexpialidocious is long.",
    # whitespace and control characters
    "tab\there\nnew line\r\nwindows",
    "no\u00a0break\u3000ideographic\u2003em",
    "bell\u0007char and esc\u001bape",
    "zero\u200bwidth and soft\u00adhyphen",
    "\ufeffStarts with a BOM.",
    "private\ue000use and replacement\ufffdchar",
    "   leading and trailing spaces   ",
    "",
    " ",
    # punctuation, ASCII and Unicode
    "Hello, world! (test) [x] {y} <z> #tag @user $5 50% a&b ~ ^ ` | \\ / _",
    "«Quoted» — dash… ¿Qué? ¡Sí!",
    "“Smart quotes” and ‘single’ ones.",
    "O'Brien works at AT&T in the U.S.A.",
    "Procter & Gamble, Hapag-Lloyd and Jean-Claude.",
    "In 1998, 3.14 and 1,000,000 people.",
    "e-mail: someone@example.com, url: https://example.org/a?b=c",
    # special tokens inside text (matched before normalization)
    "[MASK] is a special token.",
    "[CLS]glued[SEP]",
    "[mask] in lower case is not special.",
    "an [UNK] and a [PAD] here",
    # other scripts, not in the vocabulary
    "Москва and Αθήνα.",
    "مرحبا بالعالم",
    "नमस्ते दुनिया",
    # mixed
    "São Paulo's mayor met José-Luis Núñez.",
    "Dr. Müller (Deutsche Bank) said: \"Frankfurt!\"",
    "The Nobel Prize went to Marie Curie in 1911.",
    "ALL CAPS NEW YORK and lower new york",
    "Vincent van Gogh lived in Düsseldorf?",
    "Zoë\tSchmidt\n\nDeutsche   Bank",
]

# Sentence pairs exercise the pair template ([CLS] A [SEP] B [SEP], type ids 0 then 1).
PAIR_PROBES = [
    ("Who works for Deutsche Bank?", "Zoë Schmidt works for Deutsche Bank in Frankfurt."),
    ("東京", "The United Nations opened an office in São Paulo."),
    ("", "Only the second text."),
]

KNOWN_DEVIATIONS = [
    {
        "text": "Ideographs 𠀀𠀁 beyond the BMP.",
        "why": "CJK Extension B is split into single-character words by the tokenizers library; "
               "transformers.js tests UTF-16 code units for CJK and leaves astral ideographs in one word.",
    },
    {
        "text": "a𠀀b",
        "why": "same as above: an astral ideograph between letters.",
    },
]
