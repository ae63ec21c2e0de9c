"""A BERT encoder with a token-classification head, written for export.

The computation is that of ``BertForTokenClassification`` (post-LayerNorm blocks,
absolute position embeddings, token type embeddings, exact-erf GELU), so that the
``config.json`` written beside the ONNX file describes the graph truthfully.
"""

import contextlib
import math
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class BertShape:
    vocab_size: int
    hidden_size: int = 128
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    intermediate_size: int = 512
    max_position_embeddings: int = 128
    type_vocab_size: int = 2
    pad_token_id: int = 0
    layer_norm_eps: float = 1e-12
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1
    initializer_range: float = 0.02

    def bert_config_fields(self):
        """The BertConfig fields for config.json."""
        return {
            "attention_probs_dropout_prob": self.attention_probs_dropout_prob,
            "classifier_dropout": None,
            "hidden_act": "gelu",
            "hidden_dropout_prob": self.hidden_dropout_prob,
            "hidden_size": self.hidden_size,
            "initializer_range": self.initializer_range,
            "intermediate_size": self.intermediate_size,
            "layer_norm_eps": self.layer_norm_eps,
            "max_position_embeddings": self.max_position_embeddings,
            "model_type": "bert",
            "num_attention_heads": self.num_attention_heads,
            "num_hidden_layers": self.num_hidden_layers,
            "pad_token_id": self.pad_token_id,
            "position_embedding_type": "absolute",
            "type_vocab_size": self.type_vocab_size,
            "use_cache": True,
            "vocab_size": self.vocab_size,
        }


class Dense(nn.Linear):
    """``nn.Linear`` that, while ``via_conv`` is set, computes the same product as a
    1x1 convolution. Debian's torch does its matrix products with the reference BLAS,
    about ten times slower here than oneDNN's convolution kernels, so training and
    evaluation run through the convolution, and export (``via_conv`` off) writes the
    ordinary MatMul + Add that a real BERT export has. Weights keep the Linear layout."""

    via_conv = True

    def forward(self, x):
        if not Dense.via_conv or x.dim() != 3:
            return super().forward(x)
        y = nn.functional.conv1d(x.transpose(1, 2), self.weight.unsqueeze(-1), self.bias)
        return y.transpose(1, 2)


@contextlib.contextmanager
def plain_dense():
    """Within the block, ``Dense`` layers compute plain MatMul + Add (for export)."""
    Dense.via_conv = False
    try:
        yield
    finally:
        Dense.via_conv = True


class _Embeddings(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.word = nn.Embedding(s.vocab_size, s.hidden_size, padding_idx=s.pad_token_id)
        self.position = nn.Embedding(s.max_position_embeddings, s.hidden_size)
        self.token_type = nn.Embedding(s.type_vocab_size, s.hidden_size)
        self.norm = nn.LayerNorm(s.hidden_size, eps=s.layer_norm_eps)
        self.dropout = nn.Dropout(s.hidden_dropout_prob)
        self.register_buffer("position_ids", torch.arange(s.max_position_embeddings).unsqueeze(0), persistent=False)

    def forward(self, input_ids, token_type_ids):
        positions = self.position_ids[:, : input_ids.size(1)]
        x = self.word(input_ids) + self.position(positions) + self.token_type(token_type_ids)
        return self.dropout(self.norm(x))


class _SelfAttention(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.heads = s.num_attention_heads
        self.head_dim = s.hidden_size // s.num_attention_heads
        self.query = Dense(s.hidden_size, s.hidden_size)
        self.key = Dense(s.hidden_size, s.hidden_size)
        self.value = Dense(s.hidden_size, s.hidden_size)
        self.out = Dense(s.hidden_size, s.hidden_size)
        self.attn_dropout = nn.Dropout(s.attention_probs_dropout_prob)
        self.out_dropout = nn.Dropout(s.hidden_dropout_prob)
        self.norm = nn.LayerNorm(s.hidden_size, eps=s.layer_norm_eps)

    def _split(self, x):
        return x.view(x.size(0), x.size(1), self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, additive_mask):
        q, k, v = self._split(self.query(x)), self._split(self.key(x)), self._split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + additive_mask
        probs = self.attn_dropout(torch.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(x.size(0), x.size(1), self.heads * self.head_dim)
        return self.norm(x + self.out_dropout(self.out(ctx)))


class _Layer(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.attention = _SelfAttention(s)
        self.intermediate = Dense(s.hidden_size, s.intermediate_size)
        self.output = Dense(s.intermediate_size, s.hidden_size)
        self.dropout = nn.Dropout(s.hidden_dropout_prob)
        self.norm = nn.LayerNorm(s.hidden_size, eps=s.layer_norm_eps)

    def forward(self, x, additive_mask):
        x = self.attention(x, additive_mask)
        h = self.output(nn.functional.gelu(self.intermediate(x)))
        return self.norm(x + self.dropout(h))


class TinyBertForTokenClassification(nn.Module):
    def __init__(self, shape, num_labels):
        super().__init__()
        self.shape = shape
        self.embeddings = _Embeddings(shape)
        self.layers = nn.ModuleList(_Layer(shape) for _ in range(shape.num_hidden_layers))
        self.dropout = nn.Dropout(shape.hidden_dropout_prob)
        self.classifier = Dense(shape.hidden_size, num_labels)
        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=self.shape.initializer_range)
            if isinstance(module, nn.Linear):
                nn.init.zeros_(module.bias)
            elif module.padding_idx is not None:
                with torch.no_grad():
                    module.weight[module.padding_idx].zero_()
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.embeddings(input_ids, token_type_ids)
        # [batch, 1, 1, seq]: 0 where attended, the most negative float where masked.
        mask = attention_mask[:, None, None, :].to(x.dtype)
        additive = (1.0 - mask) * torch.finfo(x.dtype).min
        for layer in self.layers:
            x = layer(x, additive)
        return self.classifier(self.dropout(x))
