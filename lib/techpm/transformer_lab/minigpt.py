"""A tiny GPT in NumPy: the whole decoder-only transformer in one page, to run and time on a laptop CPU.

Llama-shaped (RMSNorm, rotary position embeddings, grouped-query attention, SwiGLU feed-forward,
untied embeddings, no biases), so ``calc.param_count(gpt.config.model_config())`` counts its weights
exactly. The weights are random (seeded): it produces gibberish tokens, but it does exactly the
arithmetic and memory traffic of a real model of its shape, which is what the lesson measures.

    gpt = MiniGPT(MiniGPTConfig(seed=0))
    logits = gpt.forward(tokens)                     # (T, vocab): the uncached forward pass
    out = gpt.generate(prompt, 16, use_cache=True)   # greedy decoding, with or without a KV cache

Each formula, with its source:
    attention(Q, K, V) = softmax(Q K^T / sqrt(head_dim) + causal mask) V
        Vaswani et al. 2017, "Attention Is All You Need", eq. 1 (https://arxiv.org/abs/1706.03762)
    grouped-query attention: n_heads query heads share n_kv_heads key/value heads
        Ainslie et al. 2023, "GQA" (https://arxiv.org/abs/2305.13245)
    rotary position embedding: rotate each (q, k) pair of dimensions by position * frequency
        Su et al. 2021, "RoFormer" (https://arxiv.org/abs/2104.09864); half-split layout as in
        Hugging Face's Llama implementation
    RMSNorm (Zhang & Sennrich 2019, https://arxiv.org/abs/1910.07467); SwiGLU FFN
        (Shazeer 2020, https://arxiv.org/abs/2002.05202)
Code in the spirit of nanoGPT (https://github.com/karpathy/nanoGPT) and Llama's reference model.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from techpm.calc._validate import non_negative_int, positive_int
from techpm.errors import TechpmError
from techpm.tables import ModelConfig

__all__ = ["MiniGPTConfig", "MiniGPT", "KVCache", "attention", "causal_mask", "rope", "rope_tables", "softmax",
           "time_generate"]

DTYPE = np.float32
BYTES_PER_VALUE = 4  # float32


@dataclass(frozen=True)
class MiniGPTConfig:
    """The tiny model's shape. Defaults: about 16M parameters, 65 MB of float32 weights: more than a laptop
    CPU's caches hold, so decoding streams the weights from main memory as a GPU streams them from HBM."""

    vocab_size: int = 4096
    n_layers: int = 4
    d_model: int = 512
    n_heads: int = 8
    n_kv_heads: int = 2
    d_ff: int = 1536
    max_context_tokens: int = 512
    rope_base: float = 10000.0
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("vocab_size", "n_layers", "d_model", "n_heads", "n_kv_heads", "d_ff",
                     "max_context_tokens"):
            positive_int(name, getattr(self, name))
        if self.d_model % self.n_heads or (self.d_model // self.n_heads) % 2:
            raise TechpmError(f"d_model ({self.d_model}) must split into n_heads ({self.n_heads}) heads "
                              "of an even size (rotary embeddings rotate pairs of dimensions).")
        if self.n_heads % self.n_kv_heads:
            raise TechpmError(f"n_heads ({self.n_heads}) must be a multiple of n_kv_heads ({self.n_kv_heads}).")

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_heads

    def model_config(self) -> ModelConfig:
        """The same shape as a ``ModelConfig``, for the calculators in ``techpm.calc``."""
        return ModelConfig(
            n_layers=self.n_layers, d_model=self.d_model, n_heads=self.n_heads, n_kv_heads=self.n_kv_heads,
            head_dim=self.head_dim, d_ff=self.d_ff, vocab_size=self.vocab_size, tied_embeddings=False,
            ffn_matrices=3, max_context_tokens=self.max_context_tokens, id="minigpt", name="MiniGPT (NumPy)",
        )


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax along ``axis``."""
    z = np.exp(x - x.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


def attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Scaled dot-product attention: ``softmax(q k^T / sqrt(d) + mask) v``.

    ``q`` is (..., T, d), ``k`` and ``v`` are (..., S, d); ``mask`` is added to the (T, S) scores, with
    ``-inf`` where a query may not look (the future, in a causal model).
    """
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1], dtype=q.dtype)
    if mask is not None:
        scores = scores + mask
    return softmax(scores) @ v


def causal_mask(n_queries: int, n_keys: int, dtype: type = DTYPE) -> np.ndarray:
    """(T, S) additive mask: query i (the last T of S positions) sees keys 0 .. S - T + i."""
    offset = n_keys - n_queries
    allowed = np.arange(n_keys)[None, :] <= np.arange(n_queries)[:, None] + offset
    return np.where(allowed, 0.0, -np.inf).astype(dtype)


def rope_tables(head_dim: int, max_positions: int, base: float = 10000.0) -> tuple[np.ndarray, np.ndarray]:
    """cos and sin tables, (max_positions, head_dim): pair i turns at frequency base**(-2i/head_dim)."""
    inv_freq = base ** (-np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
    angles = np.outer(np.arange(max_positions, dtype=np.float64), inv_freq)
    angles = np.concatenate([angles, angles], axis=-1)
    return np.cos(angles).astype(DTYPE), np.sin(angles).astype(DTYPE)


def rope(x: np.ndarray, cos: np.ndarray, sin: np.ndarray) -> np.ndarray:
    """Rotate ``x`` (..., T, head_dim) by its positions' angles (``cos``/``sin`` rows for those T).

    After rotation, ``rope(q)_m . rope(k)_n`` depends on ``m - n`` only: attention sees relative position.
    """
    half = x.shape[-1] // 2
    rotated = np.concatenate([-x[..., half:], x[..., :half]], axis=-1)
    return x * cos + rotated * sin


@dataclass
class KVCache:
    """Keys and values of every token seen so far, per layer: (n_layers, n_kv_heads, max_context, head_dim)."""

    k: np.ndarray
    v: np.ndarray
    length: int = 0

    @classmethod
    def empty(cls, config: MiniGPTConfig) -> KVCache:
        shape = (config.n_layers, config.n_kv_heads, config.max_context_tokens, config.head_dim)
        return cls(np.zeros(shape, DTYPE), np.zeros(shape, DTYPE))

    @property
    def nbytes_used(self) -> int:
        """Bytes holding real entries: 2 (K and V) x layers x kv heads x length x head_dim x 4."""
        n_layers, n_kv, _, head_dim = self.k.shape
        return 2 * n_layers * n_kv * self.length * head_dim * BYTES_PER_VALUE


@dataclass
class MiniGPT:
    """A decoder-only transformer with random, seeded weights (float32)."""

    config: MiniGPTConfig = field(default_factory=MiniGPTConfig)

    def __post_init__(self) -> None:
        c = self.config
        rng = np.random.default_rng(c.seed)

        def w(*shape: int) -> np.ndarray:  # GPT-2 style init: N(0, 0.02^2)
            return (rng.standard_normal(shape, dtype=np.float32) * 0.02).astype(DTYPE)

        qkv_width = (c.n_heads + 2 * c.n_kv_heads) * c.head_dim
        self.embedding = w(c.vocab_size, c.d_model)
        self.layers = [
            {"attn_norm": np.ones(c.d_model, DTYPE), "w_qkv": w(c.d_model, qkv_width),
             "w_o": w(c.n_heads * c.head_dim, c.d_model), "ffn_norm": np.ones(c.d_model, DTYPE),
             "w_gate_up": w(c.d_model, 2 * c.d_ff), "w_down": w(c.d_ff, c.d_model)}
            for _ in range(c.n_layers)
        ]
        self.final_norm = np.ones(c.d_model, DTYPE)
        self.unembedding = w(c.d_model, c.vocab_size)
        self.cos, self.sin = rope_tables(c.head_dim, c.max_context_tokens, c.rope_base)

    # ---- bookkeeping -----------------------------------------------------------------------------
    def arrays(self) -> list[np.ndarray]:
        """Every weight array (for counting parameters and bytes)."""
        out = [self.embedding, self.final_norm, self.unembedding]
        for layer in self.layers:
            out += list(layer.values())
        return out

    @property
    def n_params(self) -> int:
        return sum(a.size for a in self.arrays())

    @property
    def weight_bytes(self) -> int:
        return sum(a.nbytes for a in self.arrays())

    # ---- the model -------------------------------------------------------------------------------
    @staticmethod
    def _rms_norm(x: np.ndarray, gain: np.ndarray, eps: float = 1e-5) -> np.ndarray:
        return x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps) * gain

    def _block(self, x: np.ndarray, layer: dict, i: int, start: int, cache: KVCache | None) -> np.ndarray:
        """One transformer block on (T, d_model) activations at positions start .. start + T - 1."""
        c = self.config
        T, hd, g = x.shape[0], c.head_dim, c.n_heads // c.n_kv_heads
        qkv = self._rms_norm(x, layer["attn_norm"]) @ layer["w_qkv"]
        q = qkv[:, : c.n_heads * hd].reshape(T, c.n_heads, hd).transpose(1, 0, 2)           # (H, T, hd)
        kv = qkv[:, c.n_heads * hd:].reshape(T, 2, c.n_kv_heads, hd).transpose(1, 2, 0, 3)  # (2, Hkv, T, hd)
        cos, sin = self.cos[start:start + T], self.sin[start:start + T]
        q, k, v = rope(q, cos, sin), rope(kv[0], cos, sin), kv[1]
        if cache is not None:  # append this step's keys and values, then attend over all of them
            cache.k[i, :, start:start + T], cache.v[i, :, start:start + T] = k, v
            k, v = cache.k[i, :, : start + T], cache.v[i, :, : start + T]
        q = q.reshape(c.n_kv_heads, g * T, hd)  # the g query heads of a group share one K and V
        out = attention(q, k, v, np.tile(causal_mask(T, k.shape[1]), (g, 1)))
        x = x + out.reshape(c.n_heads, T, hd).transpose(1, 0, 2).reshape(T, -1) @ layer["w_o"]
        gate, up = np.split(self._rms_norm(x, layer["ffn_norm"]) @ layer["w_gate_up"], 2, axis=-1)
        silu = gate / (1.0 + np.exp(-gate))
        return x + (silu * up) @ layer["w_down"]

    def forward(self, tokens: np.ndarray | list[int], cache: KVCache | None = None) -> np.ndarray:
        """Logits (T, vocab) for ``tokens``. With a ``cache``, they continue the cached sequence."""
        tokens = self._check_tokens(tokens)
        start = cache.length if cache is not None else 0
        if start + len(tokens) > self.config.max_context_tokens:
            raise TechpmError(f"context of {start + len(tokens)} tokens exceeds max_context_tokens "
                              f"({self.config.max_context_tokens}).")
        x = self.embedding[tokens]
        for i, layer in enumerate(self.layers):
            x = self._block(x, layer, i, start, cache)
        if cache is not None:
            cache.length = start + len(tokens)
        return self._rms_norm(x, self.final_norm) @ self.unembedding

    def generate(self, prompt: np.ndarray | list[int], n_new: int, use_cache: bool = True) -> np.ndarray:
        """Greedy decoding of ``n_new`` tokens after ``prompt``; returns prompt + new tokens.

        With the cache, each step runs one token through the model (reading every weight once).
        Without it, each step re-runs the whole sequence so far: same tokens out, more work.
        """
        tokens = list(self._check_tokens(prompt))
        non_negative_int("n_new", n_new)
        cache = KVCache.empty(self.config) if use_cache else None
        logits = self.forward(tokens, cache)
        for _ in range(n_new):
            tokens.append(int(np.argmax(logits[-1])))
            if len(tokens) == len(prompt) + n_new:
                break
            logits = self.forward(tokens[-1:], cache) if use_cache else self.forward(tokens)
        return np.array(tokens)

    def _check_tokens(self, tokens: np.ndarray | list[int]) -> np.ndarray:
        arr = np.asarray(tokens)
        if arr.ndim != 1 or arr.size == 0 or not np.issubdtype(arr.dtype, np.integer):
            raise TechpmError("tokens must be a non-empty 1-D sequence of integer token ids.")
        if arr.min() < 0 or arr.max() >= self.config.vocab_size:
            raise TechpmError(f"token ids must lie in [0, {self.config.vocab_size}), got {arr.min()}..{arr.max()}.")
        return arr


def time_generate(gpt: MiniGPT, prompt_tokens: int, n_new: int, use_cache: bool, repeats: int = 1,
                  seed: int = 0) -> float:
    """Seconds per generated token (best of ``repeats``), excluding the prompt's own forward pass."""
    positive_int("prompt_tokens", prompt_tokens)
    positive_int("n_new", n_new)
    positive_int("repeats", repeats)
    prompt = np.random.default_rng(seed).integers(0, gpt.config.vocab_size, prompt_tokens)
    best = float("inf")
    for _ in range(repeats):
        cache = KVCache.empty(gpt.config) if use_cache else None
        tokens = list(prompt)
        logits = gpt.forward(tokens, cache)
        t0 = time.perf_counter()
        for _ in range(n_new):
            tokens.append(int(np.argmax(logits[-1])))
            logits = gpt.forward(tokens[-1:], cache) if use_cache else gpt.forward(tokens)
        best = min(best, (time.perf_counter() - t0) / n_new)
    return best
