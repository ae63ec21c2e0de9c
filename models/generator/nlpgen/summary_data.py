"""Synthetic summarization data: a document is 2-5 sentences, its summary the first sentence.

Sentences come from two generators the project already has: the English side of the
``translation_data`` grammar (capitalised, always with a full stop) and the NER sentences of
``ner_data`` (gazetteer names with accents and CJK, titles such as "Dr." inside a sentence,
questions, quotes). The model has to copy the first sentence exactly and stop at its end, which
is not the first full stop when the sentence has a title or an abbreviation in it.
"""

import random

from . import ner_gazetteers as G
from .ner_data import SentenceFactory, training_pools
from .translation_data import PairFactory


class DocumentFactory:
    def __init__(self, rng, ner_rate=0.4, min_sentences=2, max_sentences=5):
        self.rng = rng
        self.ner_rate = ner_rate
        self.min_sentences, self.max_sentences = min_sentences, max_sentences
        self._grammar = PairFactory(rng)
        self._ner = SentenceFactory(rng, training_pools(), G.TEMPLATES, G.NO_ENTITY_SENTENCES, filler_rate=0.15)

    def sentence(self):
        if self.rng.random() < self.ner_rate:
            return self._ner.make().text
        en, _de = self._grammar.pair()
        en = en[0].upper() + en[1:]
        return en if en.endswith(".") else en + "."

    def document(self):
        """(document text, first sentence, sentences)."""
        sentences = [self.sentence() for _ in range(self.rng.randint(self.min_sentences, self.max_sentences))]
        return " ".join(sentences), sentences[0], sentences


def generate_documents(factory, count, exclude=frozenset()):
    """``count`` documents whose first sentence is not in ``exclude``."""
    out = []
    while len(out) < count:
        doc = factory.document()
        if doc[1] not in exclude:
            out.append(doc)
    return out


def new_rng(seed, purpose):
    return random.Random(f"{seed}/summary/{purpose}")


# Documents summarized by PyTorch at generation time and by transformers.js in the check; the
# first three are in the model card.
DEMO_DOCUMENTS = [
    "The dog runs. My old cat sleeps today. The teacher sees a red butterfly.",
    "Angela Merkel met Tim Cook in Berlin. The meeting lasted two hours. Both sides praised the talks.",
    "Dr. Müller works for Deutsche Bank in Frankfurt. The young woman buys your dangerous umbrella again.",
    "Zoë Schmidt visited São Paulo last week. A big horse eats my bread.",
    "The conference will take place in 東京 next May. The king paints a sunflower, because the queen "
    "likes the beautiful sunflower. The child laughs.",
    "Why did Reuters leave Toronto? The policeman catches the fast squirrel.",
]
