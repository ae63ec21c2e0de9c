"""A T5 encoder-decoder (``T5ForConditionalGeneration``, t5-small style) in PyTorch, written for export.

The computation is that of Hugging Face's T5: token embeddings without scaling and no
absolute positions; a relative position bias (T5's buckets: exact for short distances,
logarithmic up to ``relative_attention_max_distance``; bidirectional in the encoder, causal
in the decoder) computed by the first layer of each stack and added to the attention scores
of every layer; no 1/sqrt(d) scaling of the scores; pre-norm blocks with T5's layer norm
(root mean square, weight only, no bias, no mean subtraction); ReLU feed-forward without
biases; a final layer norm on each stack; the LM head tied to the shared embeddings, with
the decoder output scaled by d_model ** -0.5 before it (as T5 does when the embeddings are
tied). The decoder's bias in a cached step is computed from the past length (query
positions past_len .. past_len + new - 1 against keys 0 .. past_len + new - 1).

It has the interface ``seq2seq_export.export_all`` and ``seq2seq_training`` use
(``shape.d_model``, ``shape.pad_token_id``, ``decoder_layers``, ``encode``, ``encoder_kv``,
``decode``, ``forward``), so the Optimum files come out with the same names and layouts
as the Marian model's.
"""

import math
from dataclasses import dataclass

import torch
from torch import nn

from .tiny_bert import Dense


@dataclass(frozen=True)
class T5Shape:
    vocab_size: int                  # embedding rows (config vocab_size; may exceed the tokenizer's size)
    pad_token_id: int = 0
    eos_token_id: int = 1
    d_model: int = 64
    d_kv: int = 16
    d_ff: int = 256
    num_layers: int = 2
    num_decoder_layers: int = 2
    num_heads: int = 4
    relative_attention_num_buckets: int = 32
    relative_attention_max_distance: int = 128
    dropout_rate: float = 0.1
    layer_norm_epsilon: float = 1e-6
    initializer_factor: float = 1.0
    n_positions: int = 512

    def t5_config_fields(self):
        """The T5Config fields for config.json (t5-small's set, ``num_decoder_layers`` written out)."""
        return {
            "architectures": ["T5ForConditionalGeneration"],
            "classifier_dropout": 0.0,
            "d_ff": self.d_ff,
            "d_kv": self.d_kv,
            "d_model": self.d_model,
            "decoder_start_token_id": self.pad_token_id,
            "dense_act_fn": "relu",
            "dropout_rate": self.dropout_rate,
            "eos_token_id": self.eos_token_id,
            "feed_forward_proj": "relu",
            "initializer_factor": self.initializer_factor,
            "is_encoder_decoder": True,
            "is_gated_act": False,
            "layer_norm_epsilon": self.layer_norm_epsilon,
            "model_type": "t5",
            "n_positions": self.n_positions,
            "num_decoder_layers": self.num_decoder_layers,
            "num_heads": self.num_heads,
            "num_layers": self.num_layers,
            "output_past": True,
            "pad_token_id": self.pad_token_id,
            "relative_attention_max_distance": self.relative_attention_max_distance,
            "relative_attention_num_buckets": self.relative_attention_num_buckets,
            "tie_word_embeddings": True,
            "use_cache": True,
            "vocab_size": self.vocab_size,
        }


def relative_position_bucket(relative_position, bidirectional, num_buckets, max_distance):
    """T5's bucket of ``key position - query position`` (Hugging Face
    ``T5Attention._relative_position_bucket``). The logarithm's argument is clamped to at
    least ``max_exact``: only the exact branch uses smaller distances, and log(0) stays out
    of the graph."""
    buckets = torch.zeros_like(relative_position)
    if bidirectional:
        num_buckets //= 2
        buckets = buckets + (relative_position > 0).to(torch.long) * num_buckets
        distance = torch.abs(relative_position)
    else:
        distance = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = distance < max_exact
    large = max_exact + (
        torch.log(torch.clamp(distance, min=max_exact).float() / max_exact)
        / math.log(max_distance / max_exact) * (num_buckets - max_exact)
    ).to(torch.long)
    large = torch.min(large, torch.full_like(large, num_buckets - 1))
    return buckets + torch.where(is_small, distance, large)


class T5LayerNorm(nn.Module):
    """Root-mean-square layer norm with a weight and no bias (T5LayerNorm)."""

    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        variance = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(variance + self.eps))


class _Attention(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.heads, self.d_kv = s.num_heads, s.d_kv
        inner = s.num_heads * s.d_kv
        self.q = Dense(s.d_model, inner, bias=False)
        self.k = Dense(s.d_model, inner, bias=False)
        self.v = Dense(s.d_model, inner, bias=False)
        self.o = Dense(inner, s.d_model, bias=False)

    def shape(self, x):
        return x.reshape(x.size(0), x.size(1), self.heads, self.d_kv).transpose(1, 2)

    def project_kv(self, x):
        return self.shape(self.k(x)), self.shape(self.v(x))

    def forward(self, x, k, v, bias):
        """``bias``: position bias plus additive mask, broadcastable to [batch, heads, q, k]."""
        scores = torch.matmul(self.shape(self.q(x)), k.transpose(-1, -2)) + bias
        probs = torch.softmax(scores, dim=-1)  # no dropout on the probabilities: cheaper, and enough here
        ctx = torch.matmul(probs, v).transpose(1, 2)
        return self.o(ctx.reshape(ctx.size(0), ctx.size(1), self.heads * self.d_kv))


class _FeedForward(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.layer_norm = T5LayerNorm(s.d_model, s.layer_norm_epsilon)
        self.wi = Dense(s.d_model, s.d_ff, bias=False)
        self.wo = Dense(s.d_ff, s.d_model, bias=False)
        self.dropout = nn.Dropout(s.dropout_rate)

    def forward(self, x):
        h = self.wo(self.dropout(torch.relu(self.wi(self.layer_norm(x)))))
        return x + self.dropout(h)


class _EncoderBlock(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.self_attn = _Attention(s)
        self.self_attn_norm = T5LayerNorm(s.d_model, s.layer_norm_epsilon)
        self.ff = _FeedForward(s)
        self.dropout = nn.Dropout(s.dropout_rate)

    def forward(self, x, bias):
        h = self.self_attn_norm(x)
        k, v = self.self_attn.project_kv(h)
        x = x + self.dropout(self.self_attn(h, k, v, bias))
        return self.ff(x)


class _DecoderBlock(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.self_attn = _Attention(s)
        self.self_attn_norm = T5LayerNorm(s.d_model, s.layer_norm_epsilon)
        self.cross_attn = _Attention(s)
        self.cross_attn_norm = T5LayerNorm(s.d_model, s.layer_norm_epsilon)
        self.ff = _FeedForward(s)
        self.dropout = nn.Dropout(s.dropout_rate)

    def forward(self, x, self_bias, cross_bias, past_self, enc_kv):
        h = self.self_attn_norm(x)
        k, v = self.self_attn.project_kv(h)
        if past_self is not None:
            k = torch.cat([past_self[0], k], dim=2)
            v = torch.cat([past_self[1], v], dim=2)
        x = x + self.dropout(self.self_attn(h, k, v, self_bias))
        x = x + self.dropout(self.cross_attn(self.cross_attn_norm(x), enc_kv[0], enc_kv[1], cross_bias))
        return self.ff(x), (k, v)


def _additive(mask, dtype):
    """[batch, src] 1/0 -> [batch, 1, 1, src] additive mask (0 or the most negative float)."""
    return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


class TinyT5(nn.Module):
    def __init__(self, shape):
        super().__init__()
        self.shape = shape
        s = shape
        self.shared = nn.Embedding(s.vocab_size, s.d_model)
        self.encoder_relative_bias = nn.Embedding(s.relative_attention_num_buckets, s.num_heads)
        self.decoder_relative_bias = nn.Embedding(s.relative_attention_num_buckets, s.num_heads)
        self.encoder_layers = nn.ModuleList(_EncoderBlock(s) for _ in range(s.num_layers))
        self.encoder_final_norm = T5LayerNorm(s.d_model, s.layer_norm_epsilon)
        self.decoder_layers = nn.ModuleList(_DecoderBlock(s) for _ in range(s.num_decoder_layers))
        self.decoder_final_norm = T5LayerNorm(s.d_model, s.layer_norm_epsilon)
        self.dropout = nn.Dropout(s.dropout_rate)
        self._init_weights()

    def _init_weights(self):
        """T5PreTrainedModel._init_weights with ``initializer_factor``."""
        s, f = self.shape, self.shape.initializer_factor
        with torch.no_grad():
            self.shared.weight.normal_(0.0, f * 1.0)
            for emb in (self.encoder_relative_bias, self.decoder_relative_bias):
                emb.weight.normal_(0.0, f * s.d_model ** -0.5)
            for module in self.modules():
                if isinstance(module, _Attention):
                    module.q.weight.normal_(0.0, f * (s.d_model * s.d_kv) ** -0.5)
                    module.k.weight.normal_(0.0, f * s.d_model ** -0.5)
                    module.v.weight.normal_(0.0, f * s.d_model ** -0.5)
                    module.o.weight.normal_(0.0, f * (s.num_heads * s.d_kv) ** -0.5)
                elif isinstance(module, _FeedForward):
                    module.wi.weight.normal_(0.0, f * s.d_model ** -0.5)
                    module.wo.weight.normal_(0.0, f * s.d_ff ** -0.5)

    def _position_bias(self, table, q_len, k_len, past_len, bidirectional):
        """[1, heads, q_len, k_len] from the bucket table; queries start at ``past_len``."""
        context = torch.arange(q_len, dtype=torch.long) + past_len
        memory = torch.arange(k_len, dtype=torch.long)
        relative = memory[None, :] - context[:, None]
        buckets = relative_position_bucket(relative, bidirectional, self.shape.relative_attention_num_buckets,
                                           self.shape.relative_attention_max_distance)
        return table(buckets).permute(2, 0, 1).unsqueeze(0)

    def encode(self, input_ids, attention_mask):
        x = self.dropout(self.shared(input_ids))
        n = input_ids.size(1)
        bias = self._position_bias(self.encoder_relative_bias, n, n, 0, True) + _additive(attention_mask, x.dtype)
        for layer in self.encoder_layers:
            x = layer(x, bias)
        return self.dropout(self.encoder_final_norm(x))

    def encoder_kv(self, encoder_hidden_states):
        return [layer.cross_attn.project_kv(encoder_hidden_states) for layer in self.decoder_layers]

    def lm_head(self, x):
        x = x * (self.shape.d_model ** -0.5)  # tied embeddings: T5 rescales before the shared projection
        if Dense.via_conv and x.dim() == 3:
            return nn.functional.conv1d(x.transpose(1, 2), self.shared.weight.unsqueeze(-1)).transpose(1, 2)
        return nn.functional.linear(x, self.shared.weight)

    def decode(self, input_ids, encoder_attention_mask, enc_kv, past_self=None):
        """Returns logits and per-layer (self key, self value) including the new positions."""
        past_len = past_self[0][0].size(2) if past_self is not None else 0
        x = self.dropout(self.shared(input_ids))
        t = input_ids.size(1)
        q_pos = torch.arange(t, dtype=torch.long) + past_len
        k_pos = torch.arange(t + past_len, dtype=torch.long)
        causal = (k_pos[None, :] > q_pos[:, None]).to(x.dtype) * torch.finfo(x.dtype).min
        self_bias = self._position_bias(self.decoder_relative_bias, t, t + past_len, past_len, False) \
            + causal[None, None, :, :]
        cross_bias = _additive(encoder_attention_mask, x.dtype)
        presents = []
        for i, layer in enumerate(self.decoder_layers):
            x, kv = layer(x, self_bias, cross_bias, past_self[i] if past_self is not None else None, enc_kv[i])
            presents.append(kv)
        x = self.dropout(self.decoder_final_norm(x))
        return self.lm_head(x), presents

    def forward(self, input_ids, attention_mask, decoder_input_ids):
        enc = self.encode(input_ids, attention_mask)
        logits, _ = self.decode(decoder_input_ids, attention_mask, self.encoder_kv(enc))
        return logits
