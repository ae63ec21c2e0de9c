"""Everything that makes a rerun of the generator write byte-identical files."""

import hashlib
import json
import os
import random


def make_torch_deterministic(seed, threads=1):
    """Seed every generator and pin torch to deterministic kernels on a fixed number
    of threads (reductions split across threads may add in a different order)."""
    import torch

    random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(threads)


def json_text(obj, sort_keys=False):
    """JSON as the Hugging Face libraries write it: 2-space indent, UTF-8, final newline.
    Key order is either sorted or the fixed construction order of ``obj``."""
    return json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=sort_keys) + "\n"


def write_text(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_json(path, obj, sort_keys=False):
    write_text(path, json_text(obj, sort_keys))


def file_digests(root):
    """sha256 and size of every file under ``root``, by relative path."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                data = f.read()
            out[os.path.relpath(path, root)] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    return out
