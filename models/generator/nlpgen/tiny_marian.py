"""A Marian encoder-decoder (``MarianMTModel``) in PyTorch, written for export.

The computation is that of Hugging Face's ``MarianMTModel``: shared token embeddings
scaled by sqrt(d_model) (``scale_embedding``), sinusoidal positions (first half sin, second
half cos, positions from 0, offset by the cache length), post-LayerNorm blocks, SiLU
("swish") feed-forward, no embedding LayerNorm, LM head tied to the shared embeddings
(``final_logits_bias`` is zero and left out). The ``config.json`` written beside the ONNX
files describes the graphs truthfully.

Export wrappers give the Optimum signatures: ``EncoderExport`` (input_ids,
attention_mask -> last_hidden_state), ``DecoderExport`` (no cache: input_ids,
encoder_attention_mask, encoder_hidden_states -> logits + present.*) and
``DecoderWithPastExport`` (input_ids, encoder_attention_mask, past_key_values.* ->
logits + present.*.decoder.*). Key/value tensors are [batch, heads, seq, head_dim].
"""

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .tiny_bert import Dense


@dataclass(frozen=True)
class MarianShape:
    vocab_size: int
    pad_token_id: int
    eos_token_id: int
    d_model: int = 64
    encoder_layers: int = 2
    decoder_layers: int = 2
    heads: int = 4
    ffn_dim: int = 256
    max_position_embeddings: int = 256
    dropout: float = 0.1
    init_std: float = 0.02

    @property
    def head_dim(self):
        return self.d_model // self.heads

    def marian_config_fields(self):
        """The MarianConfig fields for config.json."""
        return {
            "activation_dropout": 0.0,
            "activation_function": "swish",
            "add_bias_logits": False,
            "add_final_layer_norm": False,
            "architectures": ["MarianMTModel"],
            "attention_dropout": 0.0,
            "bad_words_ids": [[self.pad_token_id]],
            "bos_token_id": 0,
            "classif_dropout": 0.0,
            "classifier_dropout": 0.0,
            "d_model": self.d_model,
            "decoder_attention_heads": self.heads,
            "decoder_ffn_dim": self.ffn_dim,
            "decoder_layerdrop": 0.0,
            "decoder_layers": self.decoder_layers,
            "decoder_start_token_id": self.pad_token_id,
            "decoder_vocab_size": self.vocab_size,
            "dropout": self.dropout,
            "encoder_attention_heads": self.heads,
            "encoder_ffn_dim": self.ffn_dim,
            "encoder_layerdrop": 0.0,
            "encoder_layers": self.encoder_layers,
            "eos_token_id": self.eos_token_id,
            "forced_eos_token_id": self.eos_token_id,
            "init_std": self.init_std,
            "is_encoder_decoder": True,
            "max_length": 64,
            "max_position_embeddings": self.max_position_embeddings,
            "model_type": "marian",
            "normalize_before": False,
            "normalize_embedding": False,
            "num_beams": 1,
            "num_hidden_layers": self.encoder_layers,
            "pad_token_id": self.pad_token_id,
            "scale_embedding": True,
            "share_encoder_decoder_embeddings": True,
            "static_position_embeddings": True,
            "tie_word_embeddings": True,
            "use_cache": True,
            "vocab_size": self.vocab_size,
        }


def sinusoidal_table(n_pos, dim):
    """MarianSinusoidalPositionalEmbedding._init_weight: sin in the first half, cos in the second."""
    position_enc = np.array([[pos / np.power(10000, 2 * (j // 2) / dim) for j in range(dim)] for pos in range(n_pos)])
    out = torch.zeros(n_pos, dim)
    sentinel = dim // 2 if dim % 2 == 0 else (dim // 2) + 1
    out[:, 0:sentinel] = torch.FloatTensor(np.sin(position_enc[:, 0::2]))
    out[:, sentinel:] = torch.FloatTensor(np.cos(position_enc[:, 1::2]))
    return out


class _Attention(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.heads, self.head_dim = s.heads, s.head_dim
        self.scaling = s.head_dim ** -0.5
        self.q_proj = Dense(s.d_model, s.d_model)
        self.k_proj = Dense(s.d_model, s.d_model)
        self.v_proj = Dense(s.d_model, s.d_model)
        self.out_proj = Dense(s.d_model, s.d_model)

    def shape(self, x):
        return x.reshape(x.size(0), x.size(1), self.heads, self.head_dim).transpose(1, 2)

    def project_kv(self, x):
        return self.shape(self.k_proj(x)), self.shape(self.v_proj(x))

    def forward(self, x, k, v, additive_mask):
        q = self.shape(self.q_proj(x) * self.scaling)
        scores = torch.matmul(q, k.transpose(-1, -2))
        if additive_mask is not None:
            scores = scores + additive_mask
        probs = torch.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v).transpose(1, 2)
        ctx = ctx.reshape(ctx.size(0), ctx.size(1), self.heads * self.head_dim)
        return self.out_proj(ctx)


class _EncoderLayer(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.self_attn = _Attention(s)
        self.self_attn_layer_norm = nn.LayerNorm(s.d_model)
        self.fc1 = Dense(s.d_model, s.ffn_dim)
        self.fc2 = Dense(s.ffn_dim, s.d_model)
        self.final_layer_norm = nn.LayerNorm(s.d_model)
        self.dropout = nn.Dropout(s.dropout)

    def forward(self, x, mask):
        k, v = self.self_attn.project_kv(x)
        x = self.self_attn_layer_norm(x + self.dropout(self.self_attn(x, k, v, mask)))
        h = self.fc2(nn.functional.silu(self.fc1(x)))
        return self.final_layer_norm(x + self.dropout(h))


class _DecoderLayer(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.self_attn = _Attention(s)
        self.self_attn_layer_norm = nn.LayerNorm(s.d_model)
        self.encoder_attn = _Attention(s)
        self.encoder_attn_layer_norm = nn.LayerNorm(s.d_model)
        self.fc1 = Dense(s.d_model, s.ffn_dim)
        self.fc2 = Dense(s.ffn_dim, s.d_model)
        self.final_layer_norm = nn.LayerNorm(s.d_model)
        self.dropout = nn.Dropout(s.dropout)

    def forward(self, x, causal_mask, enc_mask, past_self, enc_kv):
        k, v = self.self_attn.project_kv(x)
        if past_self is not None:
            k = torch.cat([past_self[0], k], dim=2)
            v = torch.cat([past_self[1], v], dim=2)
        x = self.self_attn_layer_norm(x + self.dropout(self.self_attn(x, k, v, causal_mask)))
        x = self.encoder_attn_layer_norm(x + self.dropout(self.encoder_attn(x, enc_kv[0], enc_kv[1], enc_mask)))
        h = self.fc2(nn.functional.silu(self.fc1(x)))
        return self.final_layer_norm(x + self.dropout(h)), (k, v)


def _additive(mask, dtype):
    """[batch, src] 1/0 -> [batch, 1, 1, src] additive mask (0 or the most negative float)."""
    m = mask[:, None, None, :].to(dtype)
    return (1.0 - m) * torch.finfo(dtype).min


class TinyMarian(nn.Module):
    def __init__(self, shape):
        super().__init__()
        self.shape = shape
        self.shared = nn.Embedding(shape.vocab_size, shape.d_model, padding_idx=shape.pad_token_id)
        self.register_buffer("positions", sinusoidal_table(shape.max_position_embeddings, shape.d_model),
                             persistent=False)
        self.embed_scale = math.sqrt(shape.d_model)
        self.encoder_layers = nn.ModuleList(_EncoderLayer(shape) for _ in range(shape.encoder_layers))
        self.decoder_layers = nn.ModuleList(_DecoderLayer(shape) for _ in range(shape.decoder_layers))
        self.dropout = nn.Dropout(shape.dropout)
        self.apply(self._init_weights)

    def _init_weights(self, module):
        std = self.shape.init_std
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=std)
            if isinstance(module, nn.Linear):
                nn.init.zeros_(module.bias)
            elif module.padding_idx is not None:
                with torch.no_grad():
                    module.weight[module.padding_idx].zero_()

    def _embed(self, ids, past_len):
        x = self.shared(ids) * self.embed_scale
        pos = self.positions[past_len: past_len + ids.size(1)]
        return self.dropout(x + pos)

    def encode(self, input_ids, attention_mask):
        x = self._embed(input_ids, 0)
        mask = _additive(attention_mask, x.dtype)
        for layer in self.encoder_layers:
            x = layer(x, mask)
        return x

    def lm_head(self, x):
        if Dense.via_conv and x.dim() == 3:
            w = self.shared.weight.unsqueeze(-1)
            return nn.functional.conv1d(x.transpose(1, 2), w).transpose(1, 2)
        return nn.functional.linear(x, self.shared.weight)

    def encoder_kv(self, encoder_hidden_states):
        return [layer.encoder_attn.project_kv(encoder_hidden_states) for layer in self.decoder_layers]

    def decode(self, input_ids, encoder_attention_mask, enc_kv, past_self=None):
        """Returns logits and per-layer (self key, self value) including the new positions."""
        past_len = past_self[0][0].size(2) if past_self is not None else 0
        x = self._embed(input_ids, past_len)
        t = input_ids.size(1)
        q_pos = torch.arange(t, device=x.device) + past_len
        k_pos = torch.arange(t + past_len, device=x.device)
        causal = (k_pos[None, :] > q_pos[:, None]).to(x.dtype) * torch.finfo(x.dtype).min
        causal = causal[None, None, :, :]
        enc_mask = _additive(encoder_attention_mask, x.dtype)
        presents = []
        for i, layer in enumerate(self.decoder_layers):
            x, kv = layer(x, causal, enc_mask, past_self[i] if past_self is not None else None, enc_kv[i])
            presents.append(kv)
        return self.lm_head(x), presents

    def forward(self, input_ids, attention_mask, decoder_input_ids):
        enc = self.encode(input_ids, attention_mask)
        logits, _ = self.decode(decoder_input_ids, attention_mask, self.encoder_kv(enc))
        return logits

    @torch.no_grad()
    def greedy(self, input_ids, attention_mask, start_id, eos_id, max_length, bad_ids=()):
        """Hugging Face greedy ``generate`` with the KV cache: starts from ``start_id``,
        stops a row at ``eos_id`` (later positions padded with pad), at most
        ``max_length`` tokens including the start token; when the next token would reach
        ``max_length`` it is forced to eos (``forced_eos_token_id``)."""
        self.eval()
        enc = self.encode(input_ids, attention_mask)
        enc_kv = self.encoder_kv(enc)
        b = input_ids.size(0)
        seqs = torch.full((b, 1), start_id, dtype=torch.long)
        done = torch.zeros(b, dtype=torch.bool)
        past = None
        step_ids = seqs
        while seqs.size(1) < max_length:
            logits, past = self.decode(step_ids, attention_mask, enc_kv, past)
            scores = logits[:, -1, :].clone()
            for bad in bad_ids:
                scores[:, bad] = -float("inf")
            if seqs.size(1) == max_length - 1:
                forced = torch.full_like(scores, -float("inf"))
                forced[:, eos_id] = 0
                scores = forced
            nxt = scores.argmax(dim=-1)
            nxt = torch.where(done, torch.full_like(nxt, self.shape.pad_token_id), nxt)
            seqs = torch.cat([seqs, nxt[:, None]], dim=1)
            done = done | (nxt == eos_id)
            step_ids = nxt[:, None]
            if bool(done.all()):
                break
        return seqs


class EncoderExport(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model.encode(input_ids, attention_mask)


class DecoderExport(nn.Module):
    """First step (no cache): returns logits, then per layer decoder key/value, encoder key/value."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, encoder_attention_mask, encoder_hidden_states):
        enc_kv = self.model.encoder_kv(encoder_hidden_states)
        logits, presents = self.model.decode(input_ids, encoder_attention_mask, enc_kv)
        out = [logits]
        for (dk, dv), (ek, ev) in zip(presents, enc_kv):
            out += [dk, dv, ek, ev]
        return tuple(out)


class DecoderWithPastExport(nn.Module):
    """Later steps: past decoder and encoder key/values in, logits and decoder presents out."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, encoder_attention_mask, *past):
        n = len(self.model.decoder_layers)
        past_self = [(past[4 * i], past[4 * i + 1]) for i in range(n)]
        enc_kv = [(past[4 * i + 2], past[4 * i + 3]) for i in range(n)]
        logits, presents = self.model.decode(input_ids, encoder_attention_mask, enc_kv, past_self)
        out = [logits]
        for dk, dv in presents:
            out += [dk, dv]
        return tuple(out)


def decoder_io_names(n_layers):
    past, present_all, present_dec = [], [], []
    for i in range(n_layers):
        for kind in ("decoder", "encoder"):
            for kv in ("key", "value"):
                past.append(f"past_key_values.{i}.{kind}.{kv}")
                present_all.append(f"present.{i}.{kind}.{kv}")
                if kind == "decoder":
                    present_dec.append(f"present.{i}.{kind}.{kv}")
    return past, present_all, present_dec
