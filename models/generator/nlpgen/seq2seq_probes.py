"""Fixed inputs for the Marian tiny model: tokenizer probes and demo sentences.

The probes are checked against transformers.js's tokenizer (ids and decoded text); the
demo sentences are translated by PyTorch, by the ONNX files in both decoder layouts and
by transformers.js, and the outputs must agree.
"""

DEMO_SENTENCES = [
    "the dog runs.",
    "my old cat sleeps today.",
    "the teacher sees a red butterfly.",
    "this queen likes the beautiful sunflower, because the king paints a sunflower.",
    "a young woman buys your dangerous umbrella again.",
    "the policeman catches the fast squirrel, although the squirrel disappears.",
    "your friendly doctor reads a letter, when the child laughs.",
    "a big horse eats my bread, that the child repairs the car.",
    "this fridge photographs the railway station here",
    "the old king remembers my small playground, because the mouse forgets the keyboard.",
]

TOKENIZER_PROBES = [
    "the dog runs.",
    "the big dog runs today.",
    "der Hund groß läuft heute.",
    "my old cat sleeps, because the bird sings.",
    "meine Katze alt schläft, weil der Vogel singt.",
    "butterfly sunflower railway station policeman playground keyboard",
    "Schmetterling Sonnenblume Bahnhof Kühlschrank Eichhörnchen Regenschirm Handschuh",
    "the zebra runs.",                     # word outside the word list, covered by characters
    "the dog жж runs.",                    # characters the vocabulary cannot cover: one <unk>
    "жжж",
    "ж ж",
    "Zoë",
    "日本語 text",
    "emoji 🙂 here",
    "  leading and trailing spaces  ",
    "double  space",
    "",
    " ",
    "UPPER CASE WORDS",
    "numbers 12345 and 3.14",
    "punctuation!?;: (brackets) \"quotes\" 'single'",
    "ﬁne ligature and full-width ＡＢＣ",
    "Straße Größe Äpfel",
    "tab\tand\nnewline",
    "the</s>dog",
    "<unk> <pad> </s>",
    "dangerous friendly photographs repairs remembers disappears",
    "gefährlich freundlich fotografiert repariert erinnert verschwindet",
    "a" * 40,
    "the dog runs. the cat sleeps. the bird sings. the horse eats my bread.",
]

# Further inputs translated by every implementation (not in the model card): words outside
# the word list, an uncovered character, no final full stop, a long sentence.
EXTRA_SOURCES = [
    "the zebra runs.",
    "the dog жж runs.",
    "a cat",
    "my happy horse visits the queen today, because the small bird follows a blue ship.",
    "the river grows, when the sun shines.",
]
