"""A BART encoder-decoder (``BartForConditionalGeneration``) in PyTorch, written for export.

It reuses the Marian pieces of ``tiny_marian`` (attention with a KV cache, the decoder step, the
tied LM head, the Optimum export wrappers) and changes what BART does differently:
- learned position embeddings, one table for the encoder and one for the decoder, with BART's
  offset 2 (``BartLearnedPositionalEmbedding``: position p reads row p + 2, offset by the cache
  length in the decoder), so a table has ``max_position_embeddings`` + 2 rows;
- a LayerNorm on the embeddings (``layernorm_embedding``, ``normalize_embedding``), per side;
- no embedding scaling (``scale_embedding`` false), GELU feed-forward;
- tokens: ``<s>`` 0 = bos, ``<pad>`` 1, ``</s>`` 2 = eos = ``decoder_start_token_id``; generation
  forces ``<s>`` as the first generated token (``forced_bos_token_id`` 0) and eos at ``max_length``.
``final_logits_bias`` is zero and left out, as in ``tiny_marian``.
"""

from dataclasses import dataclass

import torch
from torch import nn

from .tiny_marian import TinyMarian, _additive, _DecoderLayer, _EncoderLayer, sinusoidal_table

POSITION_OFFSET = 2


@dataclass(frozen=True)
class BartShape:
    vocab_size: int
    bos_token_id: int = 0
    pad_token_id: int = 1
    eos_token_id: int = 2
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

    @property
    def decoder_start_token_id(self):
        return self.eos_token_id

    def bart_config_fields(self):
        """The BartConfig fields for config.json (generation settings are added by the caller)."""
        return {
            "activation_dropout": 0.0,
            "activation_function": "gelu",
            "add_bias_logits": False,
            "add_final_layer_norm": False,
            "architectures": ["BartForConditionalGeneration"],
            "attention_dropout": 0.0,
            "bos_token_id": self.bos_token_id,
            "classif_dropout": 0.0,
            "classifier_dropout": 0.0,
            "d_model": self.d_model,
            "decoder_attention_heads": self.heads,
            "decoder_ffn_dim": self.ffn_dim,
            "decoder_layerdrop": 0.0,
            "decoder_layers": self.decoder_layers,
            "decoder_start_token_id": self.decoder_start_token_id,
            "dropout": self.dropout,
            "encoder_attention_heads": self.heads,
            "encoder_ffn_dim": self.ffn_dim,
            "encoder_layerdrop": 0.0,
            "encoder_layers": self.encoder_layers,
            "eos_token_id": self.eos_token_id,
            "forced_bos_token_id": self.bos_token_id,
            "forced_eos_token_id": self.eos_token_id,
            "init_std": self.init_std,
            "is_encoder_decoder": True,
            "max_position_embeddings": self.max_position_embeddings,
            "model_type": "bart",
            "normalize_before": False,
            "normalize_embedding": True,
            "num_hidden_layers": self.encoder_layers,
            "pad_token_id": self.pad_token_id,
            "scale_embedding": False,
            "static_position_embeddings": False,
            "tie_word_embeddings": True,
            "use_cache": True,
            "vocab_size": self.vocab_size,
        }


class _BartEncoderLayer(_EncoderLayer):
    def forward(self, x, mask):
        k, v = self.self_attn.project_kv(x)
        x = self.self_attn_layer_norm(x + self.dropout(self.self_attn(x, k, v, mask)))
        h = self.fc2(nn.functional.gelu(self.fc1(x)))
        return self.final_layer_norm(x + self.dropout(h))


class _BartDecoderLayer(_DecoderLayer):
    def forward(self, x, causal_mask, enc_mask, past_self, enc_kv):
        k, v = self.self_attn.project_kv(x)
        if past_self is not None:
            k = torch.cat([past_self[0], k], dim=2)
            v = torch.cat([past_self[1], v], dim=2)
        x = self.self_attn_layer_norm(x + self.dropout(self.self_attn(x, k, v, causal_mask)))
        x = self.encoder_attn_layer_norm(x + self.dropout(self.encoder_attn(x, enc_kv[0], enc_kv[1], enc_mask)))
        h = self.fc2(nn.functional.gelu(self.fc1(x)))
        return self.final_layer_norm(x + self.dropout(h)), (k, v)


class TinyBart(TinyMarian):
    """``encode``, ``decode`` (through ``_embed``, the decoder-side embedding), ``encoder_kv``,
    ``lm_head`` and ``forward`` keep TinyMarian's signatures, so the export wrappers and
    ``seq2seq_export.export_all`` work unchanged."""

    def __init__(self, shape, sinusoidal_position_init=None):
        """``sinusoidal_position_init``: if given, both learned position tables start as the
        sinusoidal table times this scale (they are still learned, and exported as plain tables).
        From two independent random tables a tiny model needs many more steps to line decoder
        positions up with encoder positions, which copying text needs."""
        nn.Module.__init__(self)
        self.shape = shape
        rows = shape.max_position_embeddings + POSITION_OFFSET
        self.shared = nn.Embedding(shape.vocab_size, shape.d_model, padding_idx=shape.pad_token_id)
        self.encoder_positions = nn.Embedding(rows, shape.d_model)
        self.decoder_positions = nn.Embedding(rows, shape.d_model)
        self.encoder_layernorm_embedding = nn.LayerNorm(shape.d_model)
        self.decoder_layernorm_embedding = nn.LayerNorm(shape.d_model)
        self.encoder_layers = nn.ModuleList(_BartEncoderLayer(shape) for _ in range(shape.encoder_layers))
        self.decoder_layers = nn.ModuleList(_BartDecoderLayer(shape) for _ in range(shape.decoder_layers))
        self.dropout = nn.Dropout(shape.dropout)
        self.apply(self._init_weights)
        if sinusoidal_position_init is not None:
            table = sinusoidal_table(shape.max_position_embeddings, shape.d_model) * sinusoidal_position_init
            with torch.no_grad():
                self.encoder_positions.weight[POSITION_OFFSET:] = table
                self.decoder_positions.weight[POSITION_OFFSET:] = table

    @staticmethod
    def _positions(table, past_len, length):
        return table.weight[past_len + POSITION_OFFSET: past_len + POSITION_OFFSET + length]

    def _embed(self, ids, past_len):
        """Decoder-side embedding (TinyMarian.decode calls it with the cache length)."""
        x = self.shared(ids) + self._positions(self.decoder_positions, past_len, ids.size(1))
        return self.dropout(self.decoder_layernorm_embedding(x))

    def encode(self, input_ids, attention_mask):
        x = self.shared(input_ids) + self._positions(self.encoder_positions, 0, input_ids.size(1))
        x = self.dropout(self.encoder_layernorm_embedding(x))
        mask = _additive(attention_mask, x.dtype)
        for layer in self.encoder_layers:
            x = layer(x, mask)
        return x

    @torch.no_grad()
    def greedy(self, input_ids, attention_mask, start_id, eos_id, max_length, forced_bos_id=None):
        """Hugging Face greedy ``generate`` with the KV cache: starts from ``start_id``; the first
        generated token is forced to ``forced_bos_id`` when given; a row stops at ``eos_id`` (later
        positions padded with pad); at most ``max_length`` tokens including the start token, the
        last one forced to eos (``forced_eos_token_id``). No other logits processor: BART has no
        ``bad_words_ids``."""
        self.eval()
        enc_kv = self.encoder_kv(self.encode(input_ids, attention_mask))
        b = input_ids.size(0)
        seqs = torch.full((b, 1), start_id, dtype=torch.long)
        done = torch.zeros(b, dtype=torch.bool)
        past, step_ids = None, seqs
        while seqs.size(1) < max_length:
            logits, past = self.decode(step_ids, attention_mask, enc_kv, past)
            scores = logits[:, -1, :].clone()
            forced = None
            if seqs.size(1) == 1 and forced_bos_id is not None:
                forced = forced_bos_id
            if seqs.size(1) == max_length - 1:
                forced = eos_id
            if forced is not None:
                scores = torch.full_like(scores, -float("inf"))
                scores[:, forced] = 0
            nxt = scores.argmax(dim=-1)
            nxt = torch.where(done, torch.full_like(nxt, self.shape.pad_token_id), nxt)
            seqs = torch.cat([seqs, nxt[:, None]], dim=1)
            done = done | (nxt == eos_id)
            step_ids = nxt[:, None]
            if bool(done.all()):
                break
        return seqs


def greedy_batched(model, sources, max_length, batch_size=128):
    """Greedy outputs with the model's own tokens (decoder start, forced bos and eos): full id
    rows from the start token, cut after the first eos (which is kept)."""
    from .seq2seq_training import _pad

    s = model.shape
    out = []
    for i in range(0, len(sources), batch_size):
        chunk = sources[i: i + batch_size]
        src = _pad(chunk, s.pad_token_id)
        mask = torch.zeros_like(src)
        for r, row in enumerate(chunk):
            mask[r, : len(row)] = 1
        seqs = model.greedy(src, mask, s.decoder_start_token_id, s.eos_token_id, max_length,
                            forced_bos_id=s.bos_token_id)
        for row in seqs.tolist():
            ids = [row[0]]
            for t in row[1:]:
                ids.append(t)
                if t == s.eos_token_id:
                    break
            out.append(ids)
    return out
