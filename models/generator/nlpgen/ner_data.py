"""Synthetic NER sentences, their token labels, and packed training sequences.

A sentence is text plus entity spans ``(start, end, type)`` in code points. Labels
are given to *every* word piece (the Hugging Face ``label_all_tokens`` scheme): the
first piece of an entity is ``B-X``, every later piece of it, including the
continuation pieces of the first word, is ``I-X``; [CLS]/[SEP]/padding get -100.
"""

import random
import re
from dataclasses import dataclass

from . import ner_gazetteers as G

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
LABEL2ID = {label: i for i, label in enumerate(LABELS)}
IGNORE = -100

_SLOT_RE = re.compile(r"\{([A-Z]+)\}")
_LOWER_WORD_RE = re.compile(r"\b[a-z]{4,}\b")
_SLOT_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "LOC",
               "NAT": "MISC", "LANG": "MISC", "EVENT": "MISC", "AWARD": "MISC"}
_FILLER_POOLS = {"V": G.FILLER_VERBS, "A": G.FILLER_ADJECTIVES, "N": G.FILLER_NOUNS, "E": G.FILLER_ENDINGS}


@dataclass(frozen=True)
class Sentence:
    text: str
    spans: tuple  # ((start, end, type), ...)


@dataclass
class Pools:
    """Entity surface forms one split may draw from."""

    first: list
    last: list
    full: list
    entries: dict  # slot name -> list of surface forms (LOC, ORG, NAT, ...)


def training_pools():
    return Pools(
        list(G.FIRST_NAMES), list(G.LAST_NAMES), list(G.FULL_NAMES),
        {"LOC": list(G.LOCATIONS), "ORG": list(G.ORGANIZATIONS), "NAT": list(G.NATIONALITIES),
         "LANG": list(G.LANGUAGES), "EVENT": list(G.EVENTS), "AWARD": list(G.AWARDS)},
    )


def heldout_pools():
    return Pools(
        list(G.FIRST_NAMES_HELDOUT), list(G.LAST_NAMES_HELDOUT), list(G.FULL_NAMES_HELDOUT),
        {"LOC": list(G.LOCATIONS_HELDOUT), "ORG": list(G.ORGANIZATIONS_HELDOUT),
         "NAT": list(G.NATIONALITIES_HELDOUT), "LANG": list(G.LANGUAGES_HELDOUT),
         "EVENT": list(G.EVENTS_HELDOUT), "AWARD": list(G.AWARDS_HELDOUT)},
    )


class CharMarkov:
    """Order-2 character model of a word list: invents words that look like its words
    (name-like for names, English-like for ordinary words)."""

    def __init__(self, words):
        self.table = {}
        for w in sorted(set(words)):
            padded = "^^" + w + "$"
            for i in range(len(padded) - 2):
                self.table.setdefault(padded[i:i + 2], []).append(padded[i + 2])

    def sample(self, rng, min_len=3, max_len=12):
        while True:
            ctx, out = "^^", []
            while len(out) <= max_len:
                ch = rng.choice(self.table[ctx])
                if ch == "$":
                    break
                out.append(ch)
                ctx = ctx[1] + ch
            if min_len <= len(out) <= max_len:
                return "".join(out)


def _words(entries):
    return [w for e in entries for w in e.replace("-", " ").split() if w.isalpha() and w[0].isupper()]


class SentenceFactory:
    """Fills templates from pools. ``unseen`` pools, if given, are used for each slot
    with probability ``unseen_rate`` (and always for the first slot), so every sentence
    of an unseen-names set contains at least one held-out entity. Without ``unseen``,
    a share of the sentences are entity-free: ``filler_rate`` from the filler grammar,
    5% from the fixed ``no_entity`` list."""

    def __init__(self, rng, pools, templates, no_entity, unseen=None, unseen_rate=0.0, forbidden_pairs=None,
                 filler_rate=0.0, pseudo_rate=0.0):
        self.rng = rng
        self.filler_rate = filler_rate
        self.pseudo_rate = pseudo_rate
        self._reserved = _gazetteer_words()
        # Invented words are modelled on the *training* lists only.
        train = training_pools()
        lower = [w for t in G.TEMPLATES + G.FILLER_VERBS + G.FILLER_NOUNS + G.FILLER_ADJECTIVES
                 for w in _LOWER_WORD_RE.findall(t)]
        # One model for all name types: word pieces then say "name", while the type has
        # to come from context and from words such as "Bank" or "Prize".
        names = CharMarkov(_words(train.first + train.last + train.full + train.entries["ORG"] + train.entries["LOC"]))
        self._markov = {"PER": names, "ORG": names, "LOC": names, "lower": CharMarkov(lower)}
        self.pools = pools
        self.templates = templates
        self.no_entity = no_entity
        self.unseen = unseen
        self.unseen_rate = unseen_rate
        self.forbidden_pairs = forbidden_pairs or set()
        self.used_pairs = set()

    def _person(self, pools):
        r = self.rng.random()
        if r < 0.55:
            for _ in range(10000):
                pair = (self.rng.choice(pools.first), self.rng.choice(pools.last))
                if pair not in self.forbidden_pairs:
                    break
            else:
                raise RuntimeError("no first/last name combination left outside forbidden_pairs")
            self.used_pairs.add(pair)
            return "", f"{pair[0]} {pair[1]}"
        if r < 0.72:
            return "", self.rng.choice(pools.full)
        if r < 0.82:
            return "", self.rng.choice(pools.last)
        if r < 0.92:
            return self.rng.choice(G.TITLES) + " ", self.rng.choice(pools.last)
        return "", self.rng.choice(pools.first)

    def _fill(self, slot, use_unseen):
        if not use_unseen and self.pseudo_rate and self.rng.random() < self.pseudo_rate:
            return "", self._pseudo_entity(slot)
        pools = self.unseen if use_unseen else self.pools
        if slot == "PER":
            return self._person(pools)
        return "", self.rng.choice(pools.entries[slot])

    def _maybe_invent(self, match):
        """Now and then swap an ordinary lower-case template word for an invented one (O)."""
        if self.rng.random() < 0.12:
            return self._invent("lower")
        return match.group(0)

    def _invent(self, kind):
        """An invented word that is no gazetteer or template word."""
        model = self._markov[kind]
        while True:
            word = model.sample(self.rng)
            if word not in self._reserved:
                return word

    def _pseudo_entity(self, slot):
        r = self.rng.random()

        def w(kind=slot):
            return self._invent(kind)

        if slot == "PER":
            if r < 0.4:
                return f"{w()} {w()}"
            if r < 0.6:
                return f"{self.rng.choice(self.pools.first)} {w()}"
            if r < 0.8:
                return f"{w()} {self.rng.choice(self.pools.last)}"
            return w()
        if slot == "ORG":
            if r < 0.45:
                return f"{w()} {self.rng.choice(G.PSEUDO_ORG_SUFFIXES)}"
            if r < 0.65:
                return f"{w()} {w()}"
            if r < 0.75:
                return f"{w()} {w()} {self.rng.choice(G.PSEUDO_ORG_SUFFIXES)}"
            return w()
        if slot == "LOC":
            if r < 0.15:
                return f"{self.rng.choice(G.PSEUDO_LOC_PREFIXES)} {w()}"
            if r < 0.35:
                return f"{w()} {w()}"
            return w()
        if slot in ("NAT", "LANG"):
            return w("LOC") + self.rng.choice(G.PSEUDO_NAT_SUFFIXES)
        if slot == "EVENT":
            return f"{w('LOC')} {self.rng.choice(G.PSEUDO_EVENT_SUFFIXES)}"
        return f"{w('PER')} {self.rng.choice(G.PSEUDO_AWARD_SUFFIXES)}"

    def _filler(self):
        pattern = self.rng.choice(G.FILLER_PATTERNS)
        subject = self.rng.choice(G.FILLER_SUBJECTS)
        if self.pseudo_rate and self.rng.random() < self.pseudo_rate:
            # An unknown capitalised word that starts a sentence is not always a name.
            subject = self._invent("lower").capitalize()
        values = {"S": subject, "s": subject[0].lower() + subject[1:]}
        out = []
        i = 0
        while i < len(pattern):
            if pattern[i] == "{":
                key = pattern[i + 1]
                if key in ("S", "s"):
                    out.append(values[key])
                elif key in "AN" and self.pseudo_rate and self.rng.random() < self.pseudo_rate:
                    # Invented lower-case words are O: odd word pieces alone must not mean "entity".
                    out.append(self._invent("lower"))
                else:
                    out.append(self.rng.choice(_FILLER_POOLS[key]))
                i += 3
            else:
                out.append(pattern[i])
                i += 1
        text = "".join(out)
        return Sentence(text[0].upper() + text[1:], ())

    def make(self):
        if self.unseen is None:
            r = self.rng.random()
            if r < self.filler_rate:
                return self._filler()
            if r < self.filler_rate + 0.05:
                return Sentence(self.rng.choice(self.no_entity), ())
        template = self.rng.choice(self.templates)
        text, spans = [], []
        pos = 0
        first_slot = True
        for k, part in enumerate(_SLOT_RE.split(template)):
            if k % 2 == 0:  # literal text between slots
                if self.pseudo_rate:
                    part = _LOWER_WORD_RE.sub(self._maybe_invent, part)
                text.append(part)
                pos += len(part)
                continue
            use_unseen = self.unseen is not None and (first_slot or self.rng.random() < self.unseen_rate)
            first_slot = False
            prefix, surface = self._fill(part, use_unseen)
            text.append(prefix)
            pos += len(prefix)
            spans.append((pos, pos + len(surface), _SLOT_TYPES[part]))
            text.append(surface)
            pos += len(surface)
        return Sentence("".join(text), tuple(spans))


def _gazetteer_words():
    words = set()
    for name in dir(G):
        value = getattr(G, name)
        if isinstance(value, list):
            for entry in value:
                if isinstance(entry, str):
                    words.update(entry.replace("-", " ").split())
    return frozenset(words)


def token_labels(encoding, spans):
    """Per-token label ids for an encoding of one sentence (no template tokens)."""
    labels = []
    span_of_token = []
    for start, end in encoding.offsets:
        owner = None
        for k, (s, e, _t) in enumerate(spans):
            if s <= start and end <= e:
                owner = k
                break
            if start < e and s < end:
                raise ValueError(f"token {start}:{end} straddles entity span {s}:{e}")
        span_of_token.append(owner)
    previous = None
    for owner in span_of_token:
        if owner is None:
            labels.append(LABEL2ID["O"])
        else:
            kind = spans[owner][2]
            labels.append(LABEL2ID[("I-" if owner == previous else "B-") + kind])
        previous = owner
    return labels


@dataclass
class TokenizedSentence:
    sentence: Sentence
    ids: list
    labels: list


def tokenize_sentences(tokenizer, sentences):
    out = []
    for s in sentences:
        enc = tokenizer.encode_text(s.text)
        out.append(TokenizedSentence(s, enc.ids, token_labels(enc, s.spans)))
    return out


def pack_examples(rng, tokenized, max_tokens, cls_id, sep_id, count, max_sentences=6, crop_rate=0.25):
    """Build ``count`` training sequences of 1..max_sentences consecutive random sentences,
    so that every position up to ``max_tokens`` is trained (long texts are run in
    windows of the model's full length). Some sequences start inside a sentence, as a
    sliding window does, keeping the labels the tokens have in the full text."""
    budget = max_tokens - 2
    examples = []
    for _ in range(count):
        n = rng.randint(1, max_sentences)
        ids, labels = [], []
        for _k in range(n):
            ts = rng.choice(tokenized)
            if ids and len(ids) + len(ts.ids) > budget:
                break
            ids.extend(ts.ids)
            labels.extend(ts.labels)
        if len(ids) > 4 and rng.random() < crop_rate:
            cut = rng.randint(1, len(ids) // 2)
            ids, labels = ids[cut:], labels[cut:]
        ids, labels = ids[:budget], labels[:budget]
        examples.append(([cls_id] + ids + [sep_id], [IGNORE] + labels + [IGNORE]))
    return examples


def generate_sentences(factory, count, distinct=False, exclude=()):
    """``count`` sentences; texts in ``exclude`` are skipped, repeats too if ``distinct``."""
    seen = set(exclude)
    out = []
    attempts = 0
    while len(out) < count:
        attempts += 1
        if attempts > count * 50:
            raise RuntimeError("cannot generate enough distinct sentences")
        s = factory.make()
        if s.text in seen:
            continue
        if distinct:
            seen.add(s.text)
        out.append(s)
    return out


def new_rng(seed, stream):
    """Independent deterministic random stream per purpose (training, test sets, ...)."""
    return random.Random(f"{seed}:{stream}")
