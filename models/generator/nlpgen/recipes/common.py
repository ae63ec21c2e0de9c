"""Pieces every recipe shares: the standard options and the summary of what was written."""

import time

from ..reproducible import file_digests


def add_out_and_seed(p, default_out):
    p.add_argument("--out", default=default_out, help="output model directory (default: %(default)s)")
    p.add_argument("--seed", type=int, default=13)


def add_threads_and_report(p, report_help):
    p.add_argument("--threads", type=int, default=1, help="torch threads (1 keeps results machine-independent)")
    p.add_argument("--report", help=report_help)


def add_bert_shape(p, hidden, layers, heads, intermediate, max_length):
    p.add_argument("--hidden", type=int, default=hidden)
    p.add_argument("--layers", type=int, default=layers)
    p.add_argument("--heads", type=int, default=heads)
    p.add_argument("--intermediate", type=int, default=intermediate)
    p.add_argument("--max-length", type=int, default=max_length, help="max_position_embeddings and model_max_length")


def add_marian_shape(p, d_model, layers, heads, ffn, max_positions, max_length):
    p.add_argument("--d-model", type=int, default=d_model)
    p.add_argument("--layers", type=int, default=layers, help="encoder layers and decoder layers")
    p.add_argument("--heads", type=int, default=heads)
    p.add_argument("--ffn", type=int, default=ffn)
    p.add_argument("--max-positions", type=int, default=max_positions, help="max_position_embeddings (sinusoidal table)")
    p.add_argument("--max-length", type=int, default=max_length, help="generation max_length")


def finish(out, t0, timings, log, path_width, bytes_width):
    """Digests of every file in ``out``, logged; sets ``timings["total_seconds"]``."""
    digests = file_digests(out)
    timings["total_seconds"] = round(time.monotonic() - t0, 1)
    log(f"wrote {out}:")
    for path, d in digests.items():
        log(f"  {path:{path_width}s} {d['bytes']:>{bytes_width}d} bytes  sha256 {d['sha256'][:16]}")
    return digests
