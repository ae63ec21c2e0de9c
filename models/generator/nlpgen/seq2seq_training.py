"""Deterministic teacher-forced training of an encoder-decoder, and batched greedy decoding."""

import time

import torch

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


def _batches(lengths, batch_size, rng, bucket_batches=50):
    order = list(range(len(lengths)))
    rng.shuffle(order)
    out, span = [], batch_size * bucket_batches
    for i in range(0, len(order), span):
        chunk = sorted(order[i: i + span], key=lambda k: (lengths[k], k))
        out.extend(chunk[j: j + batch_size] for j in range(0, len(chunk), batch_size))
    rng.shuffle(out)
    return out


def train_seq2seq(model, examples, rng, steps, batch_size, lr, pad_id, start_id, warmup_fraction=0.06,
                  weight_decay=0.01, label_smoothing=0.0, log=print, log_every=100):
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    warmup = max(1, int(steps * warmup_fraction))

    def schedule(step):
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (steps - step) / max(1, steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE, label_smoothing=label_smoothing)
    lengths = [len(s) + len(t) for s, t in examples]
    batches, history, running = [], [], 0.0
    started = time.monotonic()
    model.train()
    for step in range(steps):
        if not batches:
            batches = _batches(lengths, batch_size, rng)
        src, mask, dec_in, labels = make_batch([examples[i] for i in batches.pop()], pad_id, start_id)
        logits = model(src, mask, dec_in)
        loss = loss_fn(logits.reshape(-1, logits.size(-1)), labels.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        running += loss.item()
        if (step + 1) % log_every == 0 or step + 1 == steps:
            n = (step % log_every) + 1
            history.append({"step": step + 1, "loss": round(running / n, 4)})
            log(f"  step {step + 1:5d}/{steps}  loss {running / n:.4f}  ({time.monotonic() - started:.0f}s)")
            running = 0.0
    model.eval()
    return {"seconds": time.monotonic() - started, "loss_history": history}


def greedy_batched(model, sources, pad_id, start_id, eos_id, max_length, batch_size=128):
    """Greedy outputs (full id rows from the start token, without trailing padding)."""
    out = []
    for i in range(0, len(sources), batch_size):
        chunk = sources[i: i + batch_size]
        src = _pad(chunk, pad_id)
        mask = torch.zeros_like(src)
        for r, s in enumerate(chunk):
            mask[r, : len(s)] = 1
        seqs = model.greedy(src, mask, start_id, eos_id, max_length, bad_ids=(pad_id,))
        for row in seqs.tolist():
            ids = [row[0]]
            for t in row[1:]:
                ids.append(t)
                if t == eos_id:
                    break
            out.append(ids)
    return out
