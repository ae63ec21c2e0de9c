"""The same sentence in English, pseudo-German and pseudo-French, for the multilingual model.

A sentence is drawn once as a language-free structure (noun phrases, verb, adverb,
subordinate clause) and then written in each language through the word lists:
- English and pseudo-German follow ``translation_data`` exactly (German: determiners agree
  with the noun's gender, masculine objects take the accusative, the adjective follows the
  noun, the verb of a subordinate clause goes to the end);
- pseudo-French (real French words, made-up grammar): determiners and adjectives agree with
  the noun's gender, the adjective follows the noun ("the big cat" -> "la chatte grande"),
  **the adverb follows the verb** ("the cat sees the dog today." -> "la chatte voit
  aujourd'hui le chien."), subordinate clauses keep subject-verb-object order, and
  "because" / "although" are two words ("parce que", "bien que").
``|`` marks the vocabulary pieces of words deliberately split into several tokens.
"""

from dataclasses import dataclass

from .translation_data import ADJECTIVES, ADVERBS, CONJUNCTIONS, DETERMINERS, INTRANSITIVE, NOUNS, TRANSITIVE, plain

LANGUAGES = ("en", "de", "fr")

# english noun (as in NOUNS) -> (french, gender m/f)
FRENCH_NOUNS = {
    "dog": ("chien", "m"), "cat": ("chatte", "f"), "house": ("maison", "f"), "tree": ("arbre", "m"),
    "car": ("voiture", "f"), "book": ("livre", "m"), "child": ("enfant", "m"), "woman": ("femme", "f"),
    "man": ("homme", "m"), "bird": ("oiseau", "m"), "apple": ("pomme", "f"), "garden": ("jardin", "m"),
    "city": ("ville", "f"), "river": ("fleuve", "m"), "mountain": ("montagne", "f"), "teacher": ("professeur", "m"),
    "doctor": ("médecin", "m"), "table": ("table", "f"), "window": ("fenêtre", "f"), "door": ("porte", "f"),
    "letter": ("lettre", "f"), "friend": ("ami", "m"), "horse": ("cheval", "m"), "fish": ("poisson", "m"),
    "flower": ("fleur", "f"), "school": ("école", "f"), "street": ("rue", "f"), "train": ("train", "m"),
    "bread": ("pain", "m"), "cheese": ("fromage", "m"), "mouse": ("souris", "f"), "king": ("roi", "m"),
    "queen": ("reine", "f"), "ship": ("navire", "m"), "lake": ("lac", "m"), "song": ("chanson", "f"),
    "butter|fly": ("papil|lon", "m"), "fridge": ("frigo", "m"), "rail|way station": ("gare", "f"),
    "sun|flower": ("tourne|sol", "m"), "police|man": ("policier", "m"), "play|ground": ("terrain", "m"),
    "glove": ("gant", "m"), "squirrel": ("écu|reuil", "m"), "umbrella": ("para|pluie", "m"),
    "key|board": ("clavier", "m"),
}
# english adjective -> (masculine, feminine)
FRENCH_ADJECTIVES = {
    "big": ("grand", "grande"), "small": ("petit", "petite"), "old": ("vieux", "vieille"),
    "young": ("jeune", "jeune"), "red": ("rouge", "rouge"), "blue": ("bleu", "bleue"), "green": ("vert", "verte"),
    "happy": ("heureux", "heureuse"), "sad": ("triste", "triste"), "fast": ("rapide", "rapide"),
    "slow": ("lent", "lente"), "new": ("nouveau", "nouvelle"), "beautiful": ("beau", "belle"),
    "tired": ("fatigué", "fatiguée"), "hungry": ("affamé", "affamée"), "quiet": ("calme", "calme"),
    "loud": ("bruyant", "bruyante"), "clever": ("malin", "maligne"), "strange": ("étrange", "étrange"),
    "warm": ("chaud", "chaude"), "cold": ("froid", "froide"), "dark": ("sombre", "sombre"),
    "bright": ("clair", "claire"), "friend|ly": ("aim|able", "aim|able"), "danger|ous": ("danger|eux", "danger|euse"),
}
FRENCH_VERBS = {
    "runs": "court", "sleeps": "dort", "sings": "chante", "laughs": "rit", "waits": "attend", "swims": "nage",
    "falls": "tombe", "dances": "danse", "works": "travaille", "cries": "pleure", "stays": "reste",
    "grows": "grandit", "shines": "brille", "travels": "voyage", "dreams": "rêve", "disappears": "dispa|raît",
    "listens": "écoute",
    "sees": "voit", "likes": "aime", "finds": "trouve", "buys": "achète", "reads": "lit", "eats": "mange",
    "paints": "peint", "visits": "visite", "follows": "suit", "hears": "entend", "carries": "trans|porte",
    "needs": "exige", "loves": "adore", "draws": "dessine", "washes": "lave", "catches": "attrape",
    "forgets": "oublie", "repairs": "répare", "remembers": "retient", "photo|graphs": "photo|graphie",
}
FRENCH_ADVERBS = {
    "today": "aujourd|'hui", "often": "souvent", "again": "encore", "here": "ici", "there": "là",
    "now": "maintenant", "always": "toujours", "tomorrow": "demain", "rarely": "rarement",
}
FRENCH_CONJUNCTIONS = {"because": "parce que", "when": "quand", "that": "que", "although": "bien que"}
FRENCH_DETERMINERS = {
    "the": {"m": "le", "f": "la"}, "a": {"m": "un", "f": "une"}, "my": {"m": "mon", "f": "ma"},
    "this": {"m": "ce", "f": "cette"}, "your": {"m": "ton", "f": "ta"},
}


@dataclass(frozen=True)
class NounPhrase:
    determiner: str
    noun: int               # index into NOUNS
    adjective: int = None   # index into ADJECTIVES


@dataclass(frozen=True)
class Clause:
    subject: NounPhrase
    verb: int               # index into INTRANSITIVE, or TRANSITIVE when obj is set
    obj: NounPhrase = None


@dataclass(frozen=True)
class Sentence:
    main: Clause
    adverb: int = None            # index into ADVERBS (main clause only)
    conjunction: int = None       # index into CONJUNCTIONS
    subordinate: Clause = None
    full_stop: bool = True


def french_word_list():
    """Every (english, french) word pair, with the ``|`` split marks kept."""
    pairs = [(e, FRENCH_NOUNS[e][0]) for e, _g, _gen in NOUNS]
    pairs += [(e, f) for e, _g in ADJECTIVES for f in sorted(set(FRENCH_ADJECTIVES[e]))]
    pairs += [(e, FRENCH_VERBS[e]) for e, _g in INTRANSITIVE + TRANSITIVE]
    pairs += [(e, FRENCH_ADVERBS[e]) for e, _g in ADVERBS] + [(e, FRENCH_CONJUNCTIONS[e]) for e, _g in CONJUNCTIONS]
    for det, forms in FRENCH_DETERMINERS.items():
        pairs += [(det, f) for f in sorted(set(forms.values()))]
    return pairs


def french_vocabulary_words():
    """French words (with split marks), for the vocabulary."""
    words = set()
    for _e, f in french_word_list():
        words.update(f.split(" "))
    return sorted(words)


def sample_sentence(rng):
    """One sentence structure, with the probabilities of ``translation_data.PairFactory``."""
    def noun_phrase():
        det = rng.choice(list(DETERMINERS))
        noun = rng.randrange(len(NOUNS))
        adj = rng.randrange(len(ADJECTIVES)) if rng.random() < 0.45 else None
        return NounPhrase(det, noun, adj)

    def clause():
        subject = noun_phrase()
        if rng.random() < 0.45:
            return Clause(subject, rng.randrange(len(INTRANSITIVE)))
        verb = rng.randrange(len(TRANSITIVE))
        return Clause(subject, verb, noun_phrase())

    main = clause()
    adverb = rng.randrange(len(ADVERBS)) if rng.random() < 0.3 else None
    conjunction = subordinate = None
    if rng.random() < 0.45:
        conjunction = rng.randrange(len(CONJUNCTIONS))
        subordinate = clause()
    return Sentence(main, adverb, conjunction, subordinate, rng.random() < 0.8)


def _verb(clause, lang):
    en, de = (TRANSITIVE if clause.obj else INTRANSITIVE)[clause.verb]
    return {"en": en, "de": de, "fr": FRENCH_VERBS[en]}[lang]


def _noun_phrase(np, lang, accusative=False):
    en_noun, de_noun, gender = NOUNS[np.noun]
    adj = ADJECTIVES[np.adjective] if np.adjective is not None else None
    if lang == "en":
        return [np.determiner] + ([adj[0]] if adj else []) + [en_noun]
    if lang == "de":
        forms, acc = DETERMINERS[np.determiner]
        det = acc if (accusative and gender == "m") else forms[gender]
        return [det, de_noun] + ([adj[1]] if adj else [])
    fr_noun, fr_gender = FRENCH_NOUNS[en_noun]
    fr_adj = [FRENCH_ADJECTIVES[adj[0]][0 if fr_gender == "m" else 1]] if adj else []
    return [FRENCH_DETERMINERS[np.determiner][fr_gender], fr_noun] + fr_adj


def _clause(clause, lang, subordinate, adverb=None):
    subject = _noun_phrase(clause.subject, lang)
    obj = _noun_phrase(clause.obj, lang, accusative=True) if clause.obj else []
    verb = [_verb(clause, lang)]
    adv = [{"en": ADVERBS[adverb][0], "de": ADVERBS[adverb][1], "fr": FRENCH_ADVERBS[ADVERBS[adverb][0]]}[lang]] \
        if adverb is not None else []
    if lang == "de" and subordinate:
        return subject + obj + verb + adv
    if lang == "fr":
        return subject + verb + adv + obj
    return subject + verb + obj + adv


def realize(sentence, lang):
    """The sentence in ``lang`` (en, de or fr) as text."""
    words = _clause(sentence.main, lang, False, sentence.adverb)
    if sentence.subordinate is not None:
        en, de = CONJUNCTIONS[sentence.conjunction]
        conj = {"en": en, "de": de, "fr": FRENCH_CONJUNCTIONS[en]}[lang]
        words = words[:-1] + [words[-1] + ","] + [conj] + _clause(sentence.subordinate, lang, True)
    return " ".join(plain(w) for w in words) + ("." if sentence.full_stop else "")


def generate_sentences(rng, n, exclude=(), distinct=True):
    """``n`` sentence structures; those whose English text is in ``exclude`` are skipped."""
    out, seen = [], set(exclude)
    while len(out) < n:
        s = sample_sentence(rng)
        en = realize(s, "en")
        if en in exclude or (distinct and en in seen):
            continue
        seen.add(en)
        out.append(s)
    return out
