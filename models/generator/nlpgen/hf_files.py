"""The JSON side files of a Hugging Face / Optimum model directory."""

import os

from .reproducible import write_json, write_text


def token_classification_config(architecture, model_fields, labels):
    """config.json of a ``*ForTokenClassification`` model (keys sorted, as transformers writes)."""
    config = dict(model_fields)
    config["architectures"] = [architecture]
    config["id2label"] = {str(i): label for i, label in enumerate(labels)}
    config["label2id"] = {label: i for i, label in enumerate(labels)}
    return config


def added_tokens_decoder(vocab, specials):
    """tokenizer_config.json's ``added_tokens_decoder``: the special tokens by id."""
    return {
        str(vocab[tok]): {
            "content": tok, "lstrip": False, "normalized": False, "rstrip": False,
            "single_word": False, "special": True,
        }
        for tok in sorted(specials.values(), key=lambda t: vocab[t])
    }


def write_tokenizer_files(out_dir, tokenizer, tokenizer_config, special_map):
    """tokenizer.json, tokenizer_config.json and special_tokens_map.json."""
    write_json(os.path.join(out_dir, "tokenizer.json"), tokenizer.to_json())
    write_json(os.path.join(out_dir, "tokenizer_config.json"), tokenizer_config, sort_keys=True)
    write_json(os.path.join(out_dir, "special_tokens_map.json"), special_map, sort_keys=True)


def bert_tokenizer_files(tokenizer, model_max_length):
    """tokenizer_config.json and special_tokens_map.json for a cased BERT WordPiece tokenizer."""
    specials = {"cls_token": "[CLS]", "mask_token": "[MASK]", "pad_token": "[PAD]",
                "sep_token": "[SEP]", "unk_token": "[UNK]"}
    tokenizer_config = {
        "added_tokens_decoder": added_tokens_decoder(tokenizer.vocab, specials),
        "clean_up_tokenization_spaces": True,
        "do_basic_tokenize": True,
        "do_lower_case": False,
        "model_max_length": model_max_length,
        "never_split": None,
        "strip_accents": None,
        "tokenize_chinese_chars": True,
        "tokenizer_class": "BertTokenizer",
        **specials,
    }
    return tokenizer_config, dict(specials)


def write_bert_tokenizer(out_dir, tokenizer, model_max_length):
    tokenizer_config, special_map = bert_tokenizer_files(tokenizer, model_max_length)
    write_tokenizer_files(out_dir, tokenizer, tokenizer_config, special_map)
    # vocab.txt lets the slow (pure Python) BertTokenizer load the directory too.
    write_text(os.path.join(out_dir, "vocab.txt"), tokenizer.vocab_txt())
