"""The JSON side files of a BART model directory (config, generation config, tokenizer files)."""

import os

from .bpe_files import write_bpe_tokenizer
from .reproducible import write_json

TRANSFORMERS_VERSION = "4.46.3"


def bart_generation_config(shape, max_length, num_beams=1, min_length=0, length_penalty=1.0,
                           no_repeat_ngram_size=0, early_stopping=True):
    """generation_config.json as transformers writes it for bart-large-cnn style models (keys
    sorted): decoder start = eos, ``<s>`` forced first, eos forced at ``max_length``."""
    return {
        "bos_token_id": shape.bos_token_id,
        "decoder_start_token_id": shape.decoder_start_token_id,
        "early_stopping": early_stopping,
        "eos_token_id": shape.eos_token_id,
        "forced_bos_token_id": shape.bos_token_id,
        "forced_eos_token_id": shape.eos_token_id,
        "length_penalty": length_penalty,
        "max_length": max_length,
        "min_length": min_length,
        "no_repeat_ngram_size": no_repeat_ngram_size,
        "num_beams": num_beams,
        "pad_token_id": shape.pad_token_id,
        "transformers_version": TRANSFORMERS_VERSION,
    }


def write_bart_files(out_dir, shape, tokenizer, model_max_length, generation, config_extra=None,
                     clean_up_tokenization_spaces=True):
    """config.json (the model fields, the generation settings as old BART configs carry them, and
    ``config_extra``), generation_config.json, and the byte-level BPE tokenizer files."""
    config = shape.bart_config_fields()
    for key in ("early_stopping", "length_penalty", "max_length", "min_length", "no_repeat_ngram_size",
                "num_beams"):
        config[key] = generation[key]
    config.update(config_extra or {})
    config["transformers_version"] = TRANSFORMERS_VERSION
    write_json(os.path.join(out_dir, "config.json"), config, sort_keys=True)
    write_json(os.path.join(out_dir, "generation_config.json"), generation, sort_keys=True)
    write_bpe_tokenizer(out_dir, tokenizer, model_max_length, "BartTokenizer", clean_up_tokenization_spaces)
