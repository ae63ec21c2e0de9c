"""The tokenizer side files of a byte-level BPE (RoBERTa / BART) model directory."""

import os

from .bpe import BOS, EOS, MASK, PAD, UNK
from .hf_files import added_tokens_decoder, write_tokenizer_files
from .reproducible import write_text


def bpe_tokenizer_files(tokenizer, model_max_length, tokenizer_class, clean_up_tokenization_spaces):
    """tokenizer_config.json and special_tokens_map.json as transformers writes them for
    ``RobertaTokenizer`` / ``BartTokenizer``: ``<mask>`` strips the white space before it."""
    specials = {"bos_token": BOS, "cls_token": BOS, "eos_token": EOS, "mask_token": MASK, "pad_token": PAD,
                "sep_token": EOS, "unk_token": UNK}
    decoder = added_tokens_decoder(tokenizer.vocab, specials)
    decoder[str(tokenizer.vocab[MASK])]["lstrip"] = True
    tokenizer_config = {
        "add_prefix_space": False,
        "added_tokens_decoder": decoder,
        "clean_up_tokenization_spaces": clean_up_tokenization_spaces,
        "errors": "replace",
        "model_max_length": model_max_length,
        "tokenizer_class": tokenizer_class,
        "trim_offsets": True,
        **specials,
    }
    special_map = dict(specials)
    special_map["mask_token"] = {"content": MASK, "lstrip": True, "normalized": False, "rstrip": False,
                                 "single_word": False}
    return tokenizer_config, special_map


def write_bpe_tokenizer(out_dir, tokenizer, model_max_length, tokenizer_class, clean_up_tokenization_spaces):
    """tokenizer.json, tokenizer_config.json, special_tokens_map.json, and vocab.json + merges.txt
    (the slow tokenizer's files, which real RoBERTa and BART exports carry too)."""
    tokenizer_config, special_map = bpe_tokenizer_files(tokenizer, model_max_length, tokenizer_class,
                                                        clean_up_tokenization_spaces)
    write_tokenizer_files(out_dir, tokenizer, tokenizer_config, special_map)
    write_text(os.path.join(out_dir, "vocab.json"), tokenizer.vocab_json())
    write_text(os.path.join(out_dir, "merges.txt"), tokenizer.merges_txt())
