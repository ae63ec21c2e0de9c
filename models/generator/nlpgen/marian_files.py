"""The JSON side files of a Marian (opus-mt style) model directory."""

import os

from .hf_files import added_tokens_decoder, write_tokenizer_files
from .reproducible import write_json


def marian_generation_config(shape, max_length):
    """generation_config.json as transformers writes it for opus-mt models (keys sorted)."""
    return {
        "bad_words_ids": [[shape.pad_token_id]],
        "bos_token_id": 0,
        "decoder_start_token_id": shape.pad_token_id,
        "eos_token_id": shape.eos_token_id,
        "forced_eos_token_id": shape.eos_token_id,
        "max_length": max_length,
        "num_beams": 1,
        "pad_token_id": shape.pad_token_id,
        "renormalize_logits": True,
        "transformers_version": "4.46.3",
    }


def marian_tokenizer_files(tokenizer, model_max_length, source_lang, target_lang):
    """tokenizer_config.json and special_tokens_map.json of a MarianTokenizer with one
    shared vocabulary (``separate_vocabs`` false)."""
    specials = {"eos_token": tokenizer.eos_token, "pad_token": tokenizer.pad_token, "unk_token": tokenizer.unk_token}
    tokenizer_config = {
        "added_tokens_decoder": added_tokens_decoder(tokenizer.vocab, specials),
        "clean_up_tokenization_spaces": False,
        "model_max_length": model_max_length,
        "separate_vocabs": False,
        "source_lang": source_lang,
        "sp_model_kwargs": {},
        "target_lang": target_lang,
        "tokenizer_class": "MarianTokenizer",
        **specials,
    }
    return tokenizer_config, dict(specials)


def write_marian_files(out_dir, shape, tokenizer, model_max_length, max_length, source_lang, target_lang):
    config = shape.marian_config_fields()
    config["transformers_version"] = "4.46.3"
    write_json(os.path.join(out_dir, "config.json"), config, sort_keys=True)
    write_json(os.path.join(out_dir, "generation_config.json"), marian_generation_config(shape, max_length),
               sort_keys=True)
    tok_config, special_map = marian_tokenizer_files(tokenizer, model_max_length, source_lang, target_lang)
    write_tokenizer_files(out_dir, tokenizer, tok_config, special_map)
