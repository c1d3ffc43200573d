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

Three newer features change these counts (fields default to 0 = absent, so older rows are unchanged):

- **Multi-head latent attention** (MLA; DeepSeek-AI 2024, "DeepSeek-V2", sec. 2.1,
  https://arxiv.org/abs/2405.04434; used by DeepSeek-V3/R1): keys and values are rebuilt from one
  ``kv_lora_rank``-wide latent plus a ``qk_rope_head_dim``-wide RoPE key shared by all heads, and only
  those are cached: ``(kv_lora_rank + qk_rope_head_dim)`` values per layer per token instead of
  ``2 * n_kv_heads * head_dim``. Weights per layer (``h = head_dim`` = qk_nope_head_dim = v_head_dim,
  ``r = qk_rope_head_dim``, ``H = n_heads``): query ``d_model*q_lora_rank + q_lora_rank*H*(h + r)``
  (or ``d_model*H*(h + r)`` without a query low-rank), ``d_model*(kv_lora_rank + r) +
  kv_lora_rank*H*2h`` for keys and values, ``H*h*d_model`` out, plus the two latents' norm gains.
- **Sliding-window layers** (Beltagy et al. 2020, "Longformer", https://arxiv.org/abs/2004.05150;
  gpt-oss alternates full and 128-token windowed layers, OpenAI 2025, gpt-oss-120b model card,
  https://arxiv.org/abs/2508.10925): a windowed layer attends to, and caches, at most
  ``sliding_window`` tokens.
- **Shared experts and dense first layers** (DeepSeek-V3, https://arxiv.org/abs/2412.19437, sec. 2.1.2):
  ``n_shared_experts`` FFNs every token runs, and ``n_dense_layers`` first layers with one dense FFN of
  ``dense_d_ff`` instead of experts.

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
    "kv_values_per_layer_per_token",
    "attention_kind",
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


def _attention_params_per_layer(c: ModelConfig) -> int:
    if not c.kv_lora_rank:
        return c.d_model * c.head_dim * (c.n_heads + 2 * c.n_kv_heads) + c.n_heads * c.head_dim * c.d_model
    h, r, heads = c.head_dim, c.qk_rope_head_dim, c.n_heads
    if c.q_lora_rank:
        query = c.d_model * c.q_lora_rank + c.q_lora_rank + c.q_lora_rank * heads * (h + r)
    else:
        query = c.d_model * heads * (h + r)
    key_value = c.d_model * (c.kv_lora_rank + r) + c.kv_lora_rank + c.kv_lora_rank * heads * 2 * h
    return query + key_value + heads * h * c.d_model


def _moe_layers(c: ModelConfig) -> int:
    return c.n_layers - c.n_dense_layers


def param_breakdown(cfg: ModelConfig | str) -> ParamBreakdown:
    """Parameters by component; ``param_breakdown(cfg).total == param_count(cfg)``.

    Source: the parameter formula in this module's docstring, checked against every released model's published
        count in ``data/models.json`` (see ``data/README.md``).
    Used in: 01 §5.
    """
    c = model_config(cfg)
    router = c.d_model * c.n_experts if c.n_experts > 1 else 0
    expert_ffn = (c.n_experts + c.n_shared_experts) * c.ffn_matrices * c.d_model * c.d_ff
    return ParamBreakdown(
        embedding=c.vocab_size * c.d_model * (1 if c.tied_embeddings else 2),
        attention=c.n_layers * _attention_params_per_layer(c),
        ffn=_moe_layers(c) * expert_ffn + c.n_dense_layers * c.ffn_matrices * c.d_model * c.dense_d_ff,
        router=_moe_layers(c) * router,
        norms=c.n_layers * 2 * c.d_model + c.d_model,
    )


def param_count(cfg: ModelConfig | str) -> int:
    """Total parameters, embeddings included (the formula in this module's docstring).

    >>> param_count("llama-2-7b")   # HF safetensors total: 6,738,415,616
    6738415616

    Source: the parameter formula in this module's docstring, checked against every released model's published
        count in ``data/models.json`` (see ``data/README.md``).
    Used in: 01 §5, §7, §9, exercises; 02 §7, §9; 03 §4, exercises; 07 (via agents.context).
    """
    return param_breakdown(cfg).total


def active_param_count(cfg: ModelConfig | str) -> int:
    """Parameters used per token: all shared weights + ``experts_per_token`` of ``n_experts`` FFNs.

    Equal to ``param_count`` for a dense model. Mixtral 8x7B: 46.7B total, 12.9B active (the paper's
    "13B active parameters", Jiang et al. 2024, https://arxiv.org/abs/2401.04088).

    Source: the parameter formula in this module's docstring, checked against every released model's published
        count in ``data/models.json`` (see ``data/README.md``). Mixtral: Jiang et al. 2024,
        https://arxiv.org/abs/2401.04088.
    Used in: 01 §9; 02 §1, §9; 03 §4.
    """
    c = model_config(cfg)
    b = param_breakdown(c)
    idle_experts = _moe_layers(c) * (c.n_experts - c.experts_per_token) * c.ffn_matrices * c.d_model * c.d_ff
    return b.total - idle_experts


def non_embedding_param_count(cfg: ModelConfig | str) -> int:
    """Total parameters minus the embedding (and unembedding) matrices: Kaplan et al. 2020's N.

    Source: the parameter formula in this module's docstring, checked against every released model's published
        count in ``data/models.json`` (see ``data/README.md``).
    Used in: no lesson yet (library use only).
    """
    b = param_breakdown(cfg)
    return b.total - b.embedding


def kv_values_per_layer_per_token(cfg: ModelConfig | str) -> int:
    """Values one layer caches per token: ``2 * n_kv_heads * head_dim`` (K and V), or with multi-head latent
    attention ``kv_lora_rank + qk_rope_head_dim`` (DeepSeek-V2, https://arxiv.org/abs/2405.04434, sec. 2.1:
    the compressed latent and the decoupled RoPE key are all that is cached).

    >>> kv_values_per_layer_per_token("deepseek-v3")   # 512 + 64, against 2 * 128 * 128 = 32,768 for MHA
    576

    Source: the KV-cache formula in this module's docstring (K and V per layer per KV head); MLA: DeepSeek-AI
        2024, "DeepSeek-V2", sec. 2.1, https://arxiv.org/abs/2405.04434; sliding windows: Beltagy et al. 2020,
        https://arxiv.org/abs/2004.05150.
    Used in: 01 §3.
    """
    c = model_config(cfg)
    if c.kv_lora_rank:
        return c.kv_lora_rank + c.qk_rope_head_dim
    return 2 * c.n_kv_heads * c.head_dim


def attention_kind(cfg: ModelConfig | str) -> str:
    """'MHA', 'GQA' or 'MQA' (KV heads equal to, fewer than, or one of the query heads), 'MLA' (latent
    attention), with ' + window' when some layers use sliding-window attention.

    Source: the KV-cache formula in this module's docstring (K and V per layer per KV head); MLA: DeepSeek-AI
        2024, "DeepSeek-V2", sec. 2.1, https://arxiv.org/abs/2405.04434; sliding windows: Beltagy et al. 2020,
        https://arxiv.org/abs/2004.05150.
    Used in: 01 §3.
    """
    c = model_config(cfg)
    if c.kv_lora_rank:
        kind = "MLA"
    else:
        kind = "MHA" if c.n_kv_heads == c.n_heads else ("MQA" if c.n_kv_heads == 1 else "GQA")
    return f"{kind} + window" if c.sliding_window_layers else kind


def kv_cache_bytes_per_token(cfg: ModelConfig | str, bytes_per_value: float = 2,
                             context_tokens: int | None = None) -> int:
    """Bytes of KV cache one token occupies: ``2 * n_layers * n_kv_heads * head_dim * bytes_per_value``.

    The 2 counts K and V. With grouped-query attention only the ``n_kv_heads`` are stored, so Llama 3.1
    70B (8 KV heads) keeps 320 KiB per token in 16-bit, while Llama 2 7B (32) keeps 512 KiB. Multi-head
    latent attention stores ``kv_lora_rank + qk_rope_head_dim`` values per layer instead
    (``kv_values_per_layer_per_token``). ``bytes_per_value``: 2 for fp16/bf16, 1 for fp8/int8, 0.5 for int4.

    Sliding-window layers cache at most ``sliding_window`` tokens, so with ``context_tokens`` given this
    is the mean per token at that context, ``ceil(kv_cache_bytes(cfg, context) / context)``; without it,
    a token of a context within the window (every layer caches it).

    Source: the KV-cache formula in this module's docstring (K and V per layer per KV head); MLA: DeepSeek-AI
        2024, "DeepSeek-V2", sec. 2.1, https://arxiv.org/abs/2405.04434; sliding windows: Beltagy et al. 2020,
        https://arxiv.org/abs/2004.05150.
    Used in: 01 §3, §6.
    """
    c = model_config(cfg)
    positive("bytes_per_value", bytes_per_value)
    if context_tokens is not None:
        positive_int("context_tokens", context_tokens)
        return math.ceil(kv_cache_bytes(c, context_tokens, 1, bytes_per_value) / context_tokens)
    return math.ceil(c.n_layers * kv_values_per_layer_per_token(c) * bytes_per_value)


def kv_cache_bytes(cfg: ModelConfig | str, context_tokens: int, batch_size: int = 1,
                   bytes_per_value: float = 2) -> int:
    """KV cache for ``batch_size`` sequences of ``context_tokens`` each: per-token bytes x tokens x batch.

    A sliding-window layer holds ``min(context_tokens, sliding_window)`` tokens, a full layer all of them.

    Source: the KV-cache formula in this module's docstring (K and V per layer per KV head); MLA: DeepSeek-AI
        2024, "DeepSeek-V2", sec. 2.1, https://arxiv.org/abs/2405.04434; sliding windows: Beltagy et al. 2020,
        https://arxiv.org/abs/2004.05150.
    Used in: 01 §6, exercises; 07 (via agents.context).
    """
    c = model_config(cfg)
    non_negative_int("context_tokens", context_tokens)
    positive_int("batch_size", batch_size)
    positive("bytes_per_value", bytes_per_value)
    full_layers = c.n_layers - c.sliding_window_layers
    cached = full_layers * context_tokens + c.sliding_window_layers * min(context_tokens, c.sliding_window)
    return math.ceil(cached * kv_values_per_layer_per_token(c) * bytes_per_value) * batch_size


def attention_flops_per_token(cfg: ModelConfig | str, context_tokens: float) -> float:
    """FLOPs one new token spends attending over ``context_tokens`` cached tokens.

    ``4 * n_layers * context_tokens * n_heads * head_dim``: the scores q.K^T are ``context x head_dim``
    multiply-adds per query head (2 FLOPs each), and the weighted sum of V is as many again. Every query
    head does this, so grouped-query attention saves memory, not attention FLOPs. This is PaLM's count
    (Chowdhery et al. 2022, Appendix B: ``6N + 12 L H Q T`` training FLOPs per token, a third of it
    forward; https://arxiv.org/abs/2204.02311). Kaplan et al. 2020, Table 1 list ``2 n_layer n_ctx
    d_attn`` for this term, half as much. Either way it is small next to ``2N`` until the context nears
    ``6 * d_model`` tokens (for a GPT-style layer of ``12 d_model**2`` weights). ``context_tokens`` is how many tokens this token sees.
    Sliding-window layers see at most ``sliding_window`` tokens; with multi-head latent attention the
    scores use ``head_dim + qk_rope_head_dim`` per query head and the values ``head_dim``.

    Source: Chowdhery et al. 2022, "PaLM", Appendix B, https://arxiv.org/abs/2204.02311 (Kaplan et al. 2020,
        Table 1, count half as much).
    Used in: 01 §2; 07 (via agents.context).
    """
    c = model_config(cfg)
    non_negative("context_tokens", context_tokens)
    full_layers = c.n_layers - c.sliding_window_layers
    seen = full_layers * context_tokens + c.sliding_window_layers * min(context_tokens, c.sliding_window)
    return 2.0 * seen * c.n_heads * (2 * c.head_dim + c.qk_rope_head_dim)


def forward_flops_per_token(cfg: ModelConfig | str, context_tokens: float) -> float:
    """FLOPs of one forward pass for one token that sees ``context_tokens`` tokens of context.

    ``2 * (active non-embedding params) + 2 * d_model * vocab + attention_flops_per_token``:
    every weight used is one multiply-add (2 FLOPs) per token; the input embedding is a lookup (no
    FLOPs), the unembedding a ``d_model x vocab`` matmul. This is Kaplan et al. 2020's
    ``C_forward ~ 2N + 2 n_layer n_ctx d_attn`` (Table 1) with the de-embedding term kept, MoE's active
    parameters for N and the attention term per generated token (see ``attention_flops_per_token``).
    Norms, softmax and activations (O(d_model) per layer) are counted as weights or left out.

    Source: Kaplan et al. 2020, "Scaling Laws for Neural Language Models", section 2.1,
        https://arxiv.org/abs/2001.08361. (Table 1).
    Used in: 01 §2, §9; 03 §7; 07 (via agents.context).
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

    Source: the parameter formula in this module's docstring, checked against every released model's published
        count in ``data/models.json`` (see ``data/README.md``). KV cache: the KV-cache formula in this
        module's docstring (K and V per layer per KV head); MLA: DeepSeek-AI 2024, "DeepSeek-V2", sec. 2.1,
        https://arxiv.org/abs/2405.04434; sliding windows: Beltagy et al. 2020,
        https://arxiv.org/abs/2004.05150.
    Used in: 01 §6, §7, §9, exercises.
    """
    c = model_config(cfg)
    positive("bytes_per_param", bytes_per_param)
    b = param_breakdown(c)

    def size(n: int) -> int:
        return math.ceil(n * bytes_per_param)

    return MemoryBreakdown(embedding=size(b.embedding), attention=size(b.attention), ffn=size(b.ffn),
                           other=size(b.router + b.norms),
                           kv_cache=kv_cache_bytes(c, context_tokens, batch_size, bytes_per_value))
