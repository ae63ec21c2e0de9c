"""An M2M-100 encoder-decoder (``M2M100ForConditionalGeneration``) in PyTorch, written for export.

The computation is that of Hugging Face's M2M-100: shared token embeddings scaled by
sqrt(d_model); fairseq sinusoidal positions (sin half then cos half, frequencies
exp(-i * ln(10000) / (d/2 - 1))) looked up at ``padding_idx + 1 + index`` of each non-pad
token, counted from the cache length in a cached decoder step, with pad tokens at the zero
row ``padding_idx``; pre-LayerNorm blocks with ReLU feed-forward; a final LayerNorm on each
stack; attention projections with biases and queries scaled by head_dim ** -0.5; the LM head
tied to the shared embeddings, without bias or rescaling.

Same interface as ``tiny_marian.TinyMarian`` for ``seq2seq_export.export_all`` and
``seq2seq_training``.
"""

import math
from dataclasses import dataclass

import torch
from torch import nn

from .tiny_bert import Dense
from .tiny_marian import _additive
from .tiny_marian import _Attention as Attention  # M2M100Attention computes the same (biases, scaled queries)


@dataclass(frozen=True)
class M2M100Shape:
    vocab_size: int
    pad_token_id: int = 1
    eos_token_id: int = 2
    bos_token_id: int = 0
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

    def m2m_config_fields(self):
        """The M2M100Config fields for config.json (those of facebook/m2m100_418M)."""
        return {
            "activation_dropout": 0.0,
            "activation_function": "relu",
            "architectures": ["M2M100ForConditionalGeneration"],
            "attention_dropout": 0.0,
            "bos_token_id": self.bos_token_id,
            "d_model": self.d_model,
            "decoder_attention_heads": self.heads,
            "decoder_ffn_dim": self.ffn_dim,
            "decoder_layerdrop": 0.0,
            "decoder_layers": self.decoder_layers,
            "decoder_start_token_id": self.eos_token_id,
            "dropout": self.dropout,
            "encoder_attention_heads": self.heads,
            "encoder_ffn_dim": self.ffn_dim,
            "encoder_layerdrop": 0.0,
            "encoder_layers": self.encoder_layers,
            "eos_token_id": self.eos_token_id,
            "init_std": self.init_std,
            "is_encoder_decoder": True,
            "max_position_embeddings": self.max_position_embeddings,
            "model_type": "m2m_100",
            "num_hidden_layers": self.encoder_layers,
            "pad_token_id": self.pad_token_id,
            "scale_embedding": True,
            "tie_word_embeddings": True,
            "use_cache": True,
            "vocab_size": self.vocab_size,
        }


def sinusoidal_table(num_positions, dim, padding_idx):
    """M2M100SinusoidalPositionalEmbedding.get_embedding: [num_positions, dim], row ``padding_idx`` zero."""
    half = dim // 2
    freq = torch.exp(torch.arange(half, dtype=torch.int64).float() * -(math.log(10000) / (half - 1)))
    angles = torch.arange(num_positions, dtype=torch.int64).float().unsqueeze(1) * freq.unsqueeze(0)
    table = torch.cat([torch.sin(angles), torch.cos(angles)], dim=1).view(num_positions, -1)
    if dim % 2 == 1:
        table = torch.cat([table, torch.zeros(num_positions, 1)], dim=1)
    table[padding_idx, :] = 0
    return table


class _EncoderLayer(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.self_attn = Attention(s)
        self.self_attn_layer_norm = nn.LayerNorm(s.d_model)
        self.fc1 = Dense(s.d_model, s.ffn_dim)
        self.fc2 = Dense(s.ffn_dim, s.d_model)
        self.final_layer_norm = nn.LayerNorm(s.d_model)
        self.dropout = nn.Dropout(s.dropout)

    def forward(self, x, mask):
        h = self.self_attn_layer_norm(x)
        k, v = self.self_attn.project_kv(h)
        x = x + self.dropout(self.self_attn(h, k, v, mask))
        h = self.fc2(torch.relu(self.fc1(self.final_layer_norm(x))))
        return x + self.dropout(h)


class _DecoderLayer(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.self_attn = Attention(s)
        self.self_attn_layer_norm = nn.LayerNorm(s.d_model)
        self.encoder_attn = Attention(s)
        self.encoder_attn_layer_norm = nn.LayerNorm(s.d_model)
        self.fc1 = Dense(s.d_model, s.ffn_dim)
        self.fc2 = Dense(s.ffn_dim, s.d_model)
        self.final_layer_norm = nn.LayerNorm(s.d_model)
        self.dropout = nn.Dropout(s.dropout)

    def forward(self, x, causal_mask, enc_mask, past_self, enc_kv):
        h = self.self_attn_layer_norm(x)
        k, v = self.self_attn.project_kv(h)
        if past_self is not None:
            k = torch.cat([past_self[0], k], dim=2)
            v = torch.cat([past_self[1], v], dim=2)
        x = x + self.dropout(self.self_attn(h, k, v, causal_mask))
        h = self.encoder_attn_layer_norm(x)
        x = x + self.dropout(self.encoder_attn(h, enc_kv[0], enc_kv[1], enc_mask))
        h = self.fc2(torch.relu(self.fc1(self.final_layer_norm(x))))
        return x + self.dropout(h), (k, v)


class TinyM2M100(nn.Module):
    def __init__(self, shape):
        super().__init__()
        self.shape = shape
        self.shared = nn.Embedding(shape.vocab_size, shape.d_model, padding_idx=shape.pad_token_id)
        # fairseq offset: positions start at padding_idx + 1, so the table has two more rows
        self.register_buffer("positions", sinusoidal_table(shape.max_position_embeddings + 2, shape.d_model,
                                                           shape.pad_token_id), persistent=False)
        self.embed_scale = math.sqrt(shape.d_model)
        self.encoder_layers = nn.ModuleList(_EncoderLayer(shape) for _ in range(shape.encoder_layers))
        self.encoder_layer_norm = nn.LayerNorm(shape.d_model)
        self.decoder_layers = nn.ModuleList(_DecoderLayer(shape) for _ in range(shape.decoder_layers))
        self.decoder_layer_norm = nn.LayerNorm(shape.d_model)
        self.dropout = nn.Dropout(shape.dropout)
        self.apply(self._init_weights)

    def _init_weights(self, module):
        std = self.shape.init_std
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=std)
            if isinstance(module, nn.Linear):
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif module.padding_idx is not None:
                with torch.no_grad():
                    module.weight[module.padding_idx].zero_()

    def _embed(self, ids, past_len):
        """create_position_ids_from_input_ids: pad tokens at padding_idx, others counted from it."""
        pad = self.shape.pad_token_id
        not_pad = (ids != pad).to(torch.long)
        position_ids = (torch.cumsum(not_pad, dim=1) + past_len) * not_pad + pad
        x = self.shared(ids) * self.embed_scale + self.positions[position_ids]
        return self.dropout(x)

    def encode(self, input_ids, attention_mask):
        x = self._embed(input_ids, 0)
        mask = _additive(attention_mask, x.dtype)
        for layer in self.encoder_layers:
            x = layer(x, mask)
        return self.encoder_layer_norm(x)

    def encoder_kv(self, encoder_hidden_states):
        return [layer.encoder_attn.project_kv(encoder_hidden_states) for layer in self.decoder_layers]

    def lm_head(self, x):
        if Dense.via_conv and x.dim() == 3:
            return nn.functional.conv1d(x.transpose(1, 2), self.shared.weight.unsqueeze(-1)).transpose(1, 2)
        return nn.functional.linear(x, self.shared.weight)

    def decode(self, input_ids, encoder_attention_mask, enc_kv, past_self=None):
        """Returns logits and per-layer (self key, self value) including the new positions."""
        past_len = past_self[0][0].size(2) if past_self is not None else 0
        x = self._embed(input_ids, past_len)
        t = input_ids.size(1)
        q_pos = torch.arange(t) + past_len
        k_pos = torch.arange(t + past_len)
        causal = (k_pos[None, :] > q_pos[:, None]).to(x.dtype) * torch.finfo(x.dtype).min
        enc_mask = _additive(encoder_attention_mask, x.dtype)
        presents = []
        for i, layer in enumerate(self.decoder_layers):
            x, kv = layer(x, causal[None, None, :, :], enc_mask, past_self[i] if past_self is not None else None,
                          enc_kv[i])
            presents.append(kv)
        return self.lm_head(self.decoder_layer_norm(x)), presents

    def forward(self, input_ids, attention_mask, decoder_input_ids):
        enc = self.encode(input_ids, attention_mask)
        logits, _ = self.decode(decoder_input_ids, attention_mask, self.encoder_kv(enc))
        return logits
