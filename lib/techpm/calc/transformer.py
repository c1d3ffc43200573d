"""A transformer's size: parameters, KV cache and forward-pass FLOPs, from its shape alone.

Every function takes a ``ModelConfig`` (``calc.get_model("llama-3.1-70b")``, or one you build) or a
tabled model's id. The shapes follow ``techpm/data/models.json``: ``n_heads`` query heads and
``n_kv_heads`` key/value heads of ``head_dim`` each (grouped-query attention when fewer KV heads),
an FFN of ``ffn_matrices`` matrices of ``d_model x d_ff`` per expert (3 for SwiGLU, 2 for a GELU MLP),
``n_experts`` experts of which ``experts_per_token`` run per token, RMSNorm/LayerNorm gains.

Parameter count (checked against every released model in the table, see ``techpm/data/README.md``)::

    embeddings = vocab * d_model * (1 if tied else 2)          # input embedding (+ separate unembedding)
    attention  = d_model * head_dim * (n_heads + 2 * n_kv_heads) + n_heads * head_dim * d_model
    ffn        = n_experts * ffn_matrices * d_model * d_ff  (+ d_model * n_experts router if MoE)
    params     = embeddings + n_layers * (attention + ffn + 2 * d_model) + d_model

Biases and learned position embeddings are left out (modern models have neither; GPT-3's add ~0.1%).

Sources: Vaswani et al. 2017, "Attention Is All You Need" (https://arxiv.org/abs/1706.03762);
Kaplan et al. 2020, "Scaling Laws for Neural Language Models", Table 1 (https://arxiv.org/abs/2001.08361);
Ainslie et al. 2023, "GQA" (https://arxiv.org/abs/2305.13245); Jiang et al. 2024, "Mixtral of Experts"
(https://arxiv.org/abs/2401.04088); Chowdhery et al. 2022, "PaLM", Appendix B
(https://arxiv.org/abs/2204.02311); Austin et al. 2025, "How to Scale Your Model", Transformer math
(https://jax-ml.github.io/scaling-book/transformers/).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from techpm.calc._validate import model_config, non_negative, non_negative_int, positive, positive_int
from techpm.tables import ModelConfig

__all__ = [
    "ParamBreakdown",
    "param_breakdown",
    "param_count",
    "active_param_count",
    "non_embedding_param_count",
    "kv_cache_bytes_per_token",
    "kv_cache_bytes",
    "attention_flops_per_token",
    "forward_flops_per_token",
    "MemoryBreakdown",
    "model_memory_bytes",
]


@dataclass(frozen=True)
class ParamBreakdown:
    """Where a model's parameters live (totals over all layers)."""

    embedding: int   # input embedding + separate unembedding (once if tied)
    attention: int   # W_q, W_k, W_v, W_o over all layers
    ffn: int         # every expert's FFN over all layers
    router: int      # MoE gate, d_model x n_experts per layer (0 for dense models)
    norms: int       # two norm gains per layer + the final norm

    @property
    def total(self) -> int:
        return self.embedding + self.attention + self.ffn + self.router + self.norms


def param_breakdown(cfg: ModelConfig | str) -> ParamBreakdown:
    """Parameters by component; ``param_breakdown(cfg).total == param_count(cfg)``."""
    c = model_config(cfg)
    attention = c.d_model * c.head_dim * (c.n_heads + 2 * c.n_kv_heads) + c.n_heads * c.head_dim * c.d_model
    router = c.d_model * c.n_experts if c.n_experts > 1 else 0
    return ParamBreakdown(
        embedding=c.vocab_size * c.d_model * (1 if c.tied_embeddings else 2),
        attention=c.n_layers * attention,
        ffn=c.n_layers * c.n_experts * c.ffn_matrices * c.d_model * c.d_ff,
        router=c.n_layers * router,
        norms=c.n_layers * 2 * c.d_model + c.d_model,
    )


def param_count(cfg: ModelConfig | str) -> int:
    """Total parameters, embeddings included (the formula in this module's docstring).

    >>> param_count(get_model("llama-2-7b"))   # HF safetensors total: 6,738,415,616
    6738415616
    """
    return param_breakdown(cfg).total


def active_param_count(cfg: ModelConfig | str) -> int:
    """Parameters used per token: all shared weights + ``experts_per_token`` of ``n_experts`` FFNs.

    Equal to ``param_count`` for a dense model. Mixtral 8x7B: 46.7B total, 12.9B active (the paper's
    "13B active parameters", Jiang et al. 2024, https://arxiv.org/abs/2401.04088).
    """
    c = model_config(cfg)
    b = param_breakdown(c)
    return b.total - b.ffn + b.ffn // c.n_experts * c.experts_per_token


def non_embedding_param_count(cfg: ModelConfig | str) -> int:
    """Total parameters minus the embedding (and unembedding) matrices: Kaplan et al. 2020's N."""
    b = param_breakdown(cfg)
    return b.total - b.embedding


def kv_cache_bytes_per_token(cfg: ModelConfig | str, bytes_per_value: float = 2) -> int:
    """Bytes of KV cache one token occupies: ``2 * n_layers * n_kv_heads * head_dim * bytes_per_value``.

    The 2 counts K and V. With grouped-query attention only the ``n_kv_heads`` are stored, so Llama 3.1
    70B (8 KV heads) keeps 320 KiB per token in 16-bit, while Llama 2 7B (32) keeps 512 KiB.
    ``bytes_per_value``: 2 for fp16/bf16, 1 for an fp8/int8 cache, 0.5 for int4.
    Sliding-window attention (Mistral 7B's 4,096-token window) would cap the cache; not modelled here.
    """
    c = model_config(cfg)
    positive("bytes_per_value", bytes_per_value)
    return math.ceil(2 * c.n_layers * c.n_kv_heads * c.head_dim * bytes_per_value)


def kv_cache_bytes(cfg: ModelConfig | str, context_tokens: int, batch_size: int = 1,
                   bytes_per_value: float = 2) -> int:
    """KV cache for ``batch_size`` sequences of ``context_tokens`` each: per-token bytes x tokens x batch."""
    non_negative_int("context_tokens", context_tokens)
    positive_int("batch_size", batch_size)
    return kv_cache_bytes_per_token(cfg, bytes_per_value) * context_tokens * batch_size


def attention_flops_per_token(cfg: ModelConfig | str, context_tokens: float) -> float:
    """FLOPs one new token spends attending over ``context_tokens`` cached tokens.

    ``4 * n_layers * context_tokens * n_heads * head_dim``: the scores q.K^T are ``context x head_dim``
    multiply-adds per query head (2 FLOPs each), and the weighted sum of V is as many again. Every query
    head does this, so grouped-query attention saves memory, not attention FLOPs. This is PaLM's count
    (Chowdhery et al. 2022, Appendix B: ``6N + 12 L H Q T`` training FLOPs per token, a third of it
    forward; https://arxiv.org/abs/2204.02311). Kaplan et al. 2020, Table 1 list ``2 n_layer n_ctx
    d_attn`` for this term, half as much. Either way it is small next to ``2N`` until the context nears
    ``6 * d_model`` tokens (for a GPT-style layer of ``12 d_model**2`` weights). ``context_tokens`` is how many tokens this token sees.
    """
    c = model_config(cfg)
    non_negative("context_tokens", context_tokens)
    return 4.0 * c.n_layers * context_tokens * c.n_heads * c.head_dim


def forward_flops_per_token(cfg: ModelConfig | str, context_tokens: float) -> float:
    """FLOPs of one forward pass for one token that sees ``context_tokens`` tokens of context.

    ``2 * (active non-embedding params) + 2 * d_model * vocab + attention_flops_per_token``:
    every weight used is one multiply-add (2 FLOPs) per token; the input embedding is a lookup (no
    FLOPs), the unembedding a ``d_model x vocab`` matmul. This is Kaplan et al. 2020's
    ``C_forward ~ 2N + 2 n_layer n_ctx d_attn`` (Table 1) with the de-embedding term kept, MoE's active
    parameters for N and the attention term per generated token (see ``attention_flops_per_token``).
    Norms, softmax and activations (O(d_model) per layer) are counted as weights or left out.
    """
    c = model_config(cfg)
    b = param_breakdown(c)
    active_non_embedding = active_param_count(c) - b.embedding
    unembedding = c.d_model * c.vocab_size
    return 2.0 * (active_non_embedding + unembedding) + attention_flops_per_token(c, context_tokens)


@dataclass(frozen=True)
class MemoryBreakdown:
    """Bytes a model needs in accelerator memory to serve: weights by component, plus the KV cache."""

    embedding: int
    attention: int
    ffn: int            # all experts (an MoE must hold every expert, though few run per token)
    other: int          # router and norms
    kv_cache: int

    @property
    def weights(self) -> int:
        return self.embedding + self.attention + self.ffn + self.other

    @property
    def total(self) -> int:
        return self.weights + self.kv_cache


def model_memory_bytes(cfg: ModelConfig | str, context_tokens: int = 0, batch_size: int = 1,
                       bytes_per_param: float = 2, bytes_per_value: float = 2) -> MemoryBreakdown:
    """Weights (``params * bytes_per_param``, by component) plus the KV cache for ``batch_size``
    sequences of ``context_tokens``. Activations and framework overhead (a few GB) are left out.

    Llama 3.1 70B in bf16: 141 GB of weights, so it does not fit one 80 GB H100 before any KV cache.
    """
    c = model_config(cfg)
    positive("bytes_per_param", bytes_per_param)
    b = param_breakdown(c)

    def size(n: int) -> int:
        return math.ceil(n * bytes_per_param)

    return MemoryBreakdown(embedding=size(b.embedding), attention=size(b.attention), ffn=size(b.ffn),
                           other=size(b.router + b.norms),
                           kv_cache=kv_cache_bytes(c, context_tokens, batch_size, bytes_per_value))
