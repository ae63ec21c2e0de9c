"""A RoBERTa encoder with a token-classification head, written for export.

The computation is that of ``RobertaForTokenClassification``: BERT's post-LayerNorm blocks
(``tiny_bert._Layer``), but position ids derived from the input ids as RoBERTa does
(``create_position_ids_from_input_ids``: non-pad tokens count up from ``padding_idx + 1``, pad
tokens get ``padding_idx``, so ``max_position_embeddings`` is the usable length + 2), a single
token type whose embedding is always added, and no ``token_type_ids`` input (the exported graph
takes ``input_ids`` and ``attention_mask`` only, as Optimum's RoBERTa exports do).
"""

import torch
from torch import nn

from .tiny_bert import BertShape, Dense, TinyBertForTokenClassification, _Layer


def roberta_shape(vocab_size, hidden_size, num_hidden_layers, num_attention_heads, intermediate_size, max_length,
                  pad_token_id):
    """A BertShape with RoBERTa's conventions: one token type, LayerNorm eps 1e-5, and
    ``max_length`` + 2 position embeddings (``padding_idx`` + 1 is the first real position)."""
    return BertShape(vocab_size=vocab_size, hidden_size=hidden_size, num_hidden_layers=num_hidden_layers,
                     num_attention_heads=num_attention_heads, intermediate_size=intermediate_size,
                     max_position_embeddings=max_length + pad_token_id + 1, type_vocab_size=1,
                     pad_token_id=pad_token_id, layer_norm_eps=1e-5)


def roberta_config_fields(shape, bos_token_id, eos_token_id):
    """The RobertaConfig fields for config.json."""
    fields = shape.bert_config_fields()
    fields.update({"model_type": "roberta", "bos_token_id": bos_token_id, "eos_token_id": eos_token_id})
    return fields


class _RobertaEmbeddings(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.pad = s.pad_token_id
        self.word = nn.Embedding(s.vocab_size, s.hidden_size, padding_idx=s.pad_token_id)
        self.position = nn.Embedding(s.max_position_embeddings, s.hidden_size, padding_idx=s.pad_token_id)
        self.token_type = nn.Embedding(s.type_vocab_size, s.hidden_size)
        self.norm = nn.LayerNorm(s.hidden_size, eps=s.layer_norm_eps)
        self.dropout = nn.Dropout(s.hidden_dropout_prob)

    def forward(self, input_ids):
        mask = input_ids.ne(self.pad).int()
        positions = (torch.cumsum(mask, dim=1).type_as(mask) * mask).long() + self.pad
        x = self.word(input_ids) + self.position(positions) + self.token_type.weight[0]
        return self.dropout(self.norm(x))


class TinyRobertaForTokenClassification(TinyBertForTokenClassification):
    def __init__(self, shape, num_labels):
        nn.Module.__init__(self)
        self.shape = shape
        self.embeddings = _RobertaEmbeddings(shape)
        self.layers = nn.ModuleList(_Layer(shape) for _ in range(shape.num_hidden_layers))
        self.dropout = nn.Dropout(shape.hidden_dropout_prob)
        self.classifier = Dense(shape.hidden_size, num_labels)
        self.apply(self._init_weights)

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        """``token_type_ids`` is accepted (and ignored) so the shared training loop can call it."""
        x = self.embeddings(input_ids)
        mask = attention_mask[:, None, None, :].to(x.dtype)
        additive = (1.0 - mask) * torch.finfo(x.dtype).min
        for layer in self.layers:
            x = layer(x, additive)
        return self.classifier(self.dropout(x))
