"""English -> pseudo-German sentence pairs from a small bilingual word list.

The "German" side uses real German words with a made-up grammar that is easy to check:
- every word is translated through the word list (``|`` marks the vocabulary pieces of
  words that are deliberately split into several tokens);
- articles and determiners agree with the noun's gender, and masculine objects take
  the accusative form (der -> den, ein -> einen, ...);
- adjective and noun swap places: "the big dog" -> "der Hund groß";
- in subordinate clauses (after "because", "when", "that", "although") the verb moves to
  the end: "..., because the cat sees the dog." -> "..., weil die Katze den Hund sieht.".
"""

import random

# noun: (english, german, gender m/f/n)
NOUNS = [
    ("dog", "Hund", "m"), ("cat", "Katze", "f"), ("house", "Haus", "n"), ("tree", "Baum", "m"),
    ("car", "Auto", "n"), ("book", "Buch", "n"), ("child", "Kind", "n"), ("woman", "Frau", "f"),
    ("man", "Mann", "m"), ("bird", "Vogel", "m"), ("apple", "Apfel", "m"), ("garden", "Garten", "m"),
    ("city", "Stadt", "f"), ("river", "Fluss", "m"), ("mountain", "Berg", "m"), ("teacher", "Lehrer", "m"),
    ("doctor", "Ärztin", "f"), ("table", "Tisch", "m"), ("window", "Fenster", "n"), ("door", "Tür", "f"),
    ("letter", "Brief", "m"), ("friend", "Freund", "m"), ("horse", "Pferd", "n"), ("fish", "Fisch", "m"),
    ("flower", "Blume", "f"), ("school", "Schule", "f"), ("street", "Straße", "f"), ("train", "Zug", "m"),
    ("bread", "Brot", "n"), ("cheese", "Käse", "m"), ("mouse", "Maus", "f"), ("king", "König", "m"),
    ("queen", "Königin", "f"), ("ship", "Schiff", "n"), ("lake", "See", "m"), ("song", "Lied", "n"),
    # split on both sides
    ("butter|fly", "Schmetter|ling", "m"), ("fridge", "Kühl|schrank", "m"), ("rail|way station", "Bahn|hof", "m"),
    ("sun|flower", "Sonnen|blume", "f"), ("police|man", "Polizist", "m"), ("play|ground", "Spiel|platz", "m"),
    ("glove", "Hand|schuh", "m"), ("squirrel", "Eich|hörnchen", "n"), ("umbrella", "Regen|schirm", "m"),
    ("key|board", "Tastatur", "f"),
]
ADJECTIVES = [
    ("big", "groß"), ("small", "klein"), ("old", "alt"), ("young", "jung"), ("red", "rot"), ("blue", "blau"),
    ("green", "grün"), ("happy", "froh"), ("sad", "traurig"), ("fast", "schnell"), ("slow", "langsam"),
    ("new", "neu"), ("beautiful", "schön"), ("tired", "müde"), ("hungry", "hungrig"), ("quiet", "leise"),
    ("loud", "laut"), ("clever", "klug"), ("strange", "seltsam"), ("warm", "warm"), ("cold", "kalt"),
    ("dark", "dunkel"), ("bright", "hell"), ("friend|ly", "freund|lich"), ("danger|ous", "gefähr|lich"),
]
INTRANSITIVE = [
    ("runs", "läuft"), ("sleeps", "schläft"), ("sings", "singt"), ("laughs", "lacht"), ("waits", "wartet"),
    ("swims", "schwimmt"), ("falls", "fällt"), ("dances", "tanzt"), ("works", "arbeitet"), ("cries", "weint"),
    ("stays", "bleibt"), ("grows", "wächst"), ("shines", "scheint"), ("travels", "reist"), ("dreams", "träumt"),
    ("disappears", "ver|schwindet"), ("listens", "lauscht"),
]
TRANSITIVE = [
    ("sees", "sieht"), ("likes", "mag"), ("finds", "findet"), ("buys", "kauft"), ("reads", "liest"),
    ("eats", "isst"), ("paints", "malt"), ("visits", "besucht"), ("follows", "folgt"), ("hears", "hört"),
    ("carries", "trägt"), ("needs", "braucht"), ("loves", "liebt"), ("draws", "zeichnet"), ("washes", "wäscht"),
    ("catches", "fängt"), ("forgets", "vergisst"), ("repairs", "re|pariert"), ("remembers", "er|innert"),
    ("photo|graphs", "foto|grafiert"),
]
ADVERBS = [
    ("today", "heute"), ("often", "oft"), ("again", "wieder"), ("here", "hier"), ("there", "dort"),
    ("now", "jetzt"), ("always", "immer"), ("tomorrow", "morgen"), ("rarely", "selten"),
]
CONJUNCTIONS = [("because", "weil"), ("when", "wenn"), ("that", "dass"), ("although", "obwohl")]
# determiner: english -> {gender: nominative} and accusative masculine
DETERMINERS = {
    "the": ({"m": "der", "f": "die", "n": "das"}, "den"),
    "a": ({"m": "ein", "f": "eine", "n": "ein"}, "einen"),
    "my": ({"m": "mein", "f": "meine", "n": "mein"}, "meinen"),
    "this": ({"m": "dieser", "f": "diese", "n": "dieses"}, "diesen"),
    "your": ({"m": "dein", "f": "deine", "n": "dein"}, "deinen"),
}


def plain(word):
    return word.replace("|", "")


def word_list():
    """Every (english, german) word pair, with the ``|`` split marks kept."""
    pairs = [(e, g) for e, g, _ in NOUNS] + ADJECTIVES + INTRANSITIVE + TRANSITIVE + ADVERBS + CONJUNCTIONS
    for det, (forms, acc) in DETERMINERS.items():
        pairs += [(det, f) for f in sorted(set(forms.values()) | {acc})]
    return pairs


def vocabulary_words():
    """Words (with split marks) of both languages, for the vocabulary."""
    words = set()
    for e, g in word_list():
        for w in (e, g):
            words.update(w.split(" "))
    return sorted(words)


class PairFactory:
    def __init__(self, rng):
        self.rng = rng

    def _np(self, accusative):
        r = self.rng
        det = r.choice(list(DETERMINERS))
        en, de, gender = r.choice(NOUNS)
        forms, acc = DETERMINERS[det]
        de_det = acc if (accusative and gender == "m") else forms[gender]
        e, g = [det], [de_det]
        if r.random() < 0.45:
            ae, ag = r.choice(ADJECTIVES)
            e += [ae, en]
            g += [de, ag]  # adjective after the noun
        else:
            e.append(en)
            g.append(de)
        return e, g

    def _clause(self):
        """(english words, german subject+object words, german verb, english verb position)."""
        r = self.rng
        se, sg = self._np(False)
        if r.random() < 0.45:
            ve, vg = r.choice(INTRANSITIVE)
            return se + [ve], sg, [vg], []
        ve, vg = r.choice(TRANSITIVE)
        oe, og = self._np(True)
        return se + [ve] + oe, sg, [vg], og

    def pair(self):
        r = self.rng
        e, sg, vg, og = self._clause()
        g = sg + vg + og
        if r.random() < 0.3:
            ae, ag = r.choice(ADVERBS)
            e, g = e + [ae], g + [ag]
        if r.random() < 0.45:
            ce, cg = r.choice(CONJUNCTIONS)
            e2, sg2, vg2, og2 = self._clause()
            e = e[:-1] + [e[-1] + ","] + [ce] + e2
            g = g[:-1] + [g[-1] + ","] + [cg] + sg2 + og2 + vg2  # verb-final
        end = "." if r.random() < 0.8 else ""
        en = " ".join(plain(w) for w in e) + end
        de = " ".join(plain(w) for w in g) + end
        return en, de


def generate_pairs(rng, n, exclude=(), distinct=False):
    factory = PairFactory(rng)
    out, seen = [], set(exclude)
    while len(out) < n:
        en, de = factory.pair()
        if en in exclude or (distinct and en in seen):
            continue
        seen.add(en)
        out.append((en, de))
    return out


def new_rng(seed, purpose):
    return random.Random(f"{seed}/{purpose}")
