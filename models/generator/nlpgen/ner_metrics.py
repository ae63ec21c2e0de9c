"""Entity decoding and entity-level precision / recall / F1.

Decoding follows the Hugging Face Python pipeline's "simple" aggregation: tokens are
grouped while the entity type stays the same and the tag is not ``B-``; groups
labelled O are dropped; an entity's character span runs from its first token's start
to its last token's end. A predicted entity counts as correct only if type, start
and end all equal a gold entity (exact match, micro-averaged).
"""

from collections import Counter


def split_tag(label):
    if len(label) > 2 and label[1] == "-" and label[0] in "BI":
        return label[0], label[2:]
    return "I", label


def decode_entities(labels, offsets, scores=None):
    """labels: per-token label strings (template tokens already removed)."""
    groups = []
    for i, label in enumerate(labels):
        prefix, kind = split_tag(label)
        if groups and groups[-1]["type"] == kind and prefix != "B":
            groups[-1]["tokens"].append(i)
        else:
            groups.append({"type": kind, "tokens": [i]})
    entities = []
    for g in groups:
        if g["type"] == "O":
            continue
        first, last = g["tokens"][0], g["tokens"][-1]
        entity = {"type": g["type"], "start": offsets[first][0], "end": offsets[last][1]}
        if scores is not None:
            entity["score"] = sum(scores[i] for i in g["tokens"]) / len(g["tokens"])
        entities.append(entity)
    return entities


class EntityScore:
    def __init__(self):
        self.tp = Counter()
        self.pred = Counter()
        self.gold = Counter()

    def add(self, gold_spans, predicted_spans):
        gold = {(s, e, t) for s, e, t in gold_spans}
        pred = {(s, e, t) for s, e, t in predicted_spans}
        for s, e, t in gold:
            self.gold[t] += 1
        for s, e, t in pred:
            self.pred[t] += 1
            if (s, e, t) in gold:
                self.tp[t] += 1

    @staticmethod
    def _prf(tp, pred, gold):
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "predicted": pred, "gold": gold, "correct": tp}

    def summary(self):
        types = sorted(set(self.gold) | set(self.pred))
        out = {"overall": self._prf(sum(self.tp.values()), sum(self.pred.values()), sum(self.gold.values()))}
        for t in types:
            out[t] = self._prf(self.tp[t], self.pred[t], self.gold[t])
        return out
