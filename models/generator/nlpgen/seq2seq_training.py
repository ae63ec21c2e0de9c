"""Deterministic teacher-forced training of an encoder-decoder, and batched greedy decoding."""

import torch

from .training import run_training

IGNORE = -100


def _pad(rows, value):
    width = max(len(r) for r in rows)
    out = torch.full((len(rows), width), value, dtype=torch.long)
    for i, r in enumerate(rows):
        out[i, : len(r)] = torch.tensor(r, dtype=torch.long)
    return out


def make_batch(pairs, pad_id, start_id):
    """pairs: (source ids, target ids), both ending in eos. Decoder input is the start
    token followed by the target without its last token (Marian shift_tokens_right)."""
    src = _pad([s for s, _ in pairs], pad_id)
    mask = (src != pad_id).long()
    for i, (s, _) in enumerate(pairs):  # a real pad id inside a source is impossible; keep exact lengths
        mask[i, : len(s)] = 1
    dec_in = _pad([[start_id] + t[:-1] for _, t in pairs], pad_id)
    labels = _pad([t for _, t in pairs], IGNORE)
    return src, mask, dec_in, labels


def train_seq2seq(model, examples, rng, steps, batch_size, lr, pad_id, start_id, warmup_fraction=0.06,
                  weight_decay=0.01, label_smoothing=0.0, log=print, log_every=100):
    """``run_training`` (teacher forcing) over (source ids, target ids) examples."""
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE, label_smoothing=label_smoothing)

    def batch_loss(indices):
        src, mask, dec_in, labels = make_batch([examples[i] for i in indices], pad_id, start_id)
        logits = model(src, mask, dec_in)
        return loss_fn(logits.reshape(-1, logits.size(-1)), labels.reshape(-1))

    return run_training(model, [len(s) + len(t) for s, t in examples], batch_loss, rng, steps, batch_size, lr,
                        warmup_fraction=warmup_fraction, weight_decay=weight_decay, log=log, log_every=log_every)


@torch.no_grad()
def greedy_generate(model, input_ids, attention_mask, start_id, eos_id, pad_id, max_length, forced_bos_id=None):
    """Hugging Face greedy ``generate`` with the KV cache and no logits processor but
    ``forced_bos_token_id`` (the first generated token, when given): starts from ``start_id``,
    stops a row at ``eos_id`` (later positions pad), at most ``max_length`` tokens including
    the start token. For models with ``encode``, ``encoder_kv`` and ``decode`` (T5, M2M-100)."""
    model.eval()
    enc_kv = model.encoder_kv(model.encode(input_ids, attention_mask))
    b = input_ids.size(0)
    seqs = torch.full((b, 1), start_id, dtype=torch.long)
    done = torch.zeros(b, dtype=torch.bool)
    past, step_ids = None, seqs
    while seqs.size(1) < max_length:
        logits, past = model.decode(step_ids, attention_mask, enc_kv, past)
        if forced_bos_id is not None and seqs.size(1) == 1:
            nxt = torch.full((b,), forced_bos_id, dtype=torch.long)
        else:
            nxt = logits[:, -1, :].argmax(dim=-1)
        nxt = torch.where(done, torch.full_like(nxt, pad_id), nxt)
        seqs = torch.cat([seqs, nxt[:, None]], dim=1)
        done = done | (nxt == eos_id)
        step_ids = nxt[:, None]
        if bool(done.all()):
            break
    return seqs


def greedy_batched(model, sources, pad_id, start_id, eos_id, max_length, batch_size=128, generate=None):
    """Greedy outputs (full id rows from the start token, without trailing padding).
    ``generate(input_ids, attention_mask)`` gives the id rows; by default the model's own
    ``greedy`` with ``pad_id`` banned (Marian's ``bad_words_ids``)."""
    out = []
    for i in range(0, len(sources), batch_size):
        chunk = sources[i: i + batch_size]
        src = _pad(chunk, pad_id)
        mask = torch.zeros_like(src)
        for r, s in enumerate(chunk):
            mask[r, : len(s)] = 1
        if generate is not None:
            seqs = generate(src, mask)
        else:
            seqs = model.greedy(src, mask, start_id, eos_id, max_length, bad_ids=(pad_id,))
        for row in seqs.tolist():
            ids = [row[0]]
            for t in row[1:]:
                ids.append(t)
                if t == eos_id:
                    break
            out.append(ids)
    return out
