"""A small, deterministic training loop for token classification, and batched prediction."""

import time

import torch

from .ner_data import IGNORE


def _batch(examples, pad_id):
    width = max(len(ids) for ids, _ in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for row, (tok, lab) in enumerate(examples):
        ids[row, : len(tok)] = torch.tensor(tok, dtype=torch.long)
        mask[row, : len(tok)] = 1
        if lab is not None:
            labels[row, : len(lab)] = torch.tensor(lab, dtype=torch.long)
    return ids, mask, torch.zeros_like(ids), labels


def bucketed_batches(lengths, batch_size, rng, bucket_batches=50):
    """One epoch of batches of similar lengths (less padding), in random order."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    batches = []
    span = batch_size * bucket_batches
    for i in range(0, len(order), span):
        chunk = sorted(order[i: i + span], key=lambda k: (lengths[k], k))
        batches.extend(chunk[j: j + batch_size] for j in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def run_training(model, lengths, batch_loss, rng, steps, batch_size, lr, warmup_fraction=0.06,
                 weight_decay=0.01, log=print, log_every=100):
    """AdamW with linear warm-up and linear decay, gradient clipping at 1.0, loss logged every
    ``log_every`` steps; batches of similar ``lengths`` drawn by epochs in an order taken from
    ``rng`` (a random.Random). ``batch_loss(indices)`` returns the loss of one batch."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    warmup = max(1, int(steps * warmup_fraction))

    def schedule(step):
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (steps - step) / max(1, steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    batches = []
    started = time.monotonic()
    running = 0.0
    history = []
    model.train()
    for step in range(steps):
        if not batches:
            batches = bucketed_batches(lengths, batch_size, rng)
        loss = batch_loss(batches.pop())
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


def train_token_classifier(model, examples, rng, steps, batch_size, lr, pad_id, warmup_fraction=0.06,
                           weight_decay=0.01, log=print, log_every=100):
    """``run_training`` over (token ids, label ids) examples."""
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)

    def batch_loss(indices):
        ids, mask, types, labels = _batch([examples[i] for i in indices], pad_id)
        logits = model(ids, mask, types)
        return loss_fn(logits.reshape(-1, logits.size(-1)), labels.reshape(-1))

    return run_training(model, [len(ids) for ids, _ in examples], batch_loss, rng, steps, batch_size, lr,
                        warmup_fraction=warmup_fraction, weight_decay=weight_decay, log=log, log_every=log_every)


def predict(model, sequences, pad_id, batch_size=64):
    """Per-sequence [len, num_labels] logits for lists of token ids."""
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(sequences), batch_size):
            chunk = [(s, None) for s in sequences[i: i + batch_size]]
            ids, mask, types, _ = _batch(chunk, pad_id)
            logits = model(ids, mask, types)
            for row, (s, _) in enumerate(chunk):
                out.append(logits[row, : len(s)])
    return out
