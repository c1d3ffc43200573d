"""The NumPy mini-GPT against a deliberately plain reference, and the machine measurements' logic."""

from __future__ import annotations

import math

import numpy as np
import pytest

from techpm import calc
from techpm.errors import TechpmError
from techpm.transformer_lab import measure
from techpm.transformer_lab.minigpt import (
    KVCache,
    MiniGPT,
    MiniGPTConfig,
    attention,
    rope,
    rope_tables,
    softmax,
    time_generate,
)

SMALL = MiniGPTConfig(vocab_size=97, n_layers=2, d_model=48, n_heads=6, n_kv_heads=2, d_ff=80,
                      max_context_tokens=64, seed=3)


@pytest.fixture(scope="module")
def gpt() -> MiniGPT:
    return MiniGPT(SMALL)


def reference_logits(gpt: MiniGPT, tokens: np.ndarray) -> np.ndarray:
    """The same model written the slow, obvious way: float64, loops over positions and heads."""
    c = gpt.config
    hd, group = c.head_dim, c.n_heads // c.n_kv_heads

    def norm(v, g):
        return v / math.sqrt(float(np.mean(v * v)) + 1e-5) * g

    def rotate(vec, pos):  # RoPE on one head vector, pair (i, i + hd/2) turned by pos * base^(-2i/hd)
        out = np.empty_like(vec)
        for i in range(hd // 2):
            angle = pos * c.rope_base ** (-2 * i / hd)
            a, b = vec[i], vec[i + hd // 2]
            out[i] = a * math.cos(angle) - b * math.sin(angle)
            out[i + hd // 2] = b * math.cos(angle) + a * math.sin(angle)
        return out

    x = gpt.embedding[tokens].astype(np.float64)
    for layer in gpt.layers:
        W = {k: v.astype(np.float64) for k, v in layer.items()}
        wq = W["w_qkv"][:, : c.n_heads * hd]
        wk = W["w_qkv"][:, c.n_heads * hd: (c.n_heads + c.n_kv_heads) * hd]
        wv = W["w_qkv"][:, (c.n_heads + c.n_kv_heads) * hd:]
        h = np.array([norm(row, W["attn_norm"]) for row in x])
        new = np.zeros_like(x)
        for t in range(len(tokens)):
            heads = []
            for head in range(c.n_heads):
                kv_head = head // group                     # GQA: query heads share a KV head
                q = rotate((h[t] @ wq)[head * hd:(head + 1) * hd], t)
                scores, values = [], []
                for s in range(t + 1):                      # causal: only positions 0..t
                    k = rotate((h[s] @ wk)[kv_head * hd:(kv_head + 1) * hd], s)
                    scores.append(q @ k / math.sqrt(hd))
                    values.append((h[s] @ wv)[kv_head * hd:(kv_head + 1) * hd])
                weights = np.exp(np.array(scores) - max(scores))
                heads.append((weights / weights.sum()) @ np.array(values))
            new[t] = x[t] + np.concatenate(heads) @ W["w_o"]
        x = new
        for t in range(len(tokens)):
            h2 = norm(x[t], W["ffn_norm"]) @ W["w_gate_up"]
            gate, up = h2[: c.d_ff], h2[c.d_ff:]
            x[t] = x[t] + (gate / (1 + np.exp(-gate)) * up) @ W["w_down"]
    return np.array([norm(row, gpt.final_norm) for row in x]) @ gpt.unembedding.astype(np.float64)


def test_forward_matches_the_plain_reference(gpt):
    tokens = np.random.default_rng(0).integers(0, SMALL.vocab_size, 9)
    np.testing.assert_allclose(gpt.forward(tokens), reference_logits(gpt, tokens), rtol=2e-3, atol=2e-5)


def test_cached_decode_equals_uncached_forward(gpt):
    tokens = np.random.default_rng(1).integers(0, SMALL.vocab_size, 20)
    full = gpt.forward(tokens)
    cache = KVCache.empty(SMALL)
    first = gpt.forward(tokens[:7], cache)          # prefill 7 tokens, then one token at a time
    steps = [gpt.forward(tokens[i:i + 1], cache)[0] for i in range(7, 20)]
    np.testing.assert_allclose(first, full[:7], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(np.array(steps), full[7:], rtol=1e-4, atol=1e-6)
    assert cache.length == 20
    assert cache.nbytes_used == calc.kv_cache_bytes(SMALL.model_config(), 20, bytes_per_value=4)


def test_generate_same_tokens_with_and_without_cache(gpt):
    prompt = [5, 17, 42, 8]
    with_cache = gpt.generate(prompt, 12, use_cache=True)
    without = gpt.generate(prompt, 12, use_cache=False)
    assert len(with_cache) == 16 and list(with_cache[:4]) == prompt
    np.testing.assert_array_equal(with_cache, without)


def test_seeded_weights_are_reproducible_and_seed_dependent():
    a, b = MiniGPT(SMALL), MiniGPT(SMALL)
    np.testing.assert_array_equal(a.layers[1]["w_qkv"], b.layers[1]["w_qkv"])
    c = MiniGPT(MiniGPTConfig(**{**SMALL.__dict__, "seed": 4}))
    assert not np.array_equal(a.layers[1]["w_qkv"], c.layers[1]["w_qkv"])


@pytest.mark.parametrize("config", [SMALL, MiniGPTConfig()])
def test_parameter_count_matches_the_calculator(config):
    gpt = MiniGPT(config)
    assert gpt.n_params == calc.param_count(config.model_config())
    assert gpt.weight_bytes == 4 * gpt.n_params


def test_attention_against_explicit_softmax():
    rng = np.random.default_rng(2)
    q, k, v = rng.standard_normal((3, 5, 8)), rng.standard_normal((3, 7, 8)), rng.standard_normal((3, 7, 4))
    out = attention(q, k, v)
    for h in range(3):
        for i in range(5):
            w = np.exp(q[h, i] @ k[h].T / math.sqrt(8))
            np.testing.assert_allclose(out[h, i], (w / w.sum()) @ v[h], rtol=1e-10)
    np.testing.assert_allclose(softmax(np.array([1.0, 1.0, 1e3]))[:2], 0.0, atol=1e-300)


def test_rope_makes_scores_depend_on_relative_position_only():
    rng = np.random.default_rng(3)
    q, k = rng.standard_normal(16).astype(np.float32), rng.standard_normal(16).astype(np.float32)
    cos, sin = rope_tables(16, 64)

    def score(m, n):
        return float(rope(q[None], cos[m:m + 1], sin[m:m + 1])[0] @ rope(k[None], cos[n:n + 1], sin[n:n + 1])[0])

    assert score(10, 3) == pytest.approx(score(50, 43), rel=1e-4)     # same offset 7
    assert score(10, 3) != pytest.approx(score(10, 4), rel=1e-3)      # different offset
    assert score(0, 0) == pytest.approx(float(q @ k), rel=1e-5)       # position 0: no rotation


def test_bad_input_is_explained(gpt):
    with pytest.raises(TechpmError, match="token ids must lie in"):
        gpt.forward([0, SMALL.vocab_size])
    with pytest.raises(TechpmError, match="non-empty 1-D"):
        gpt.forward([])
    with pytest.raises(TechpmError, match="exceeds max_context_tokens"):
        gpt.forward(np.zeros(SMALL.max_context_tokens + 1, dtype=int))
    with pytest.raises(TechpmError, match="multiple of n_kv_heads"):
        MiniGPTConfig(n_heads=8, n_kv_heads=3)
    with pytest.raises(TechpmError, match="n_new"):
        gpt.generate([1, 2], -1)


def test_time_generate_returns_a_positive_time(gpt):
    assert 0 < time_generate(gpt, 4, 2, use_cache=True) < 10


# ---- measure: rates are real numbers; predictions follow the roofline --------------------------------

def test_measurements_are_positive_and_finite():
    spec = measure.measure_machine(matmul_n=64, memory_bytes=1_000_000, repeats=1)
    assert 1e6 < spec.matmul_flops_per_s < 1e15 and 1e6 < spec.memory_bytes_per_s < 1e13
    gpu = spec.as_gpu_spec()
    assert gpu.hbm_bytes_per_s == spec.memory_bytes_per_s and gpu.matmul_flops_per_s == spec.matmul_flops_per_s


def test_prediction_is_the_roofline():
    cfg = MiniGPTConfig().model_config()
    m = measure.MachineSpec(matmul_flops_per_s=1e11, memory_bytes_per_s=1e10)
    weights = (calc.param_count(cfg) - cfg.vocab_size * cfg.d_model) * 4
    cached = measure.predict_token_time_s(cfg, m, 100, use_cache=True)
    assert cached == pytest.approx((weights + calc.kv_cache_bytes(cfg, 101, bytes_per_value=4)) / 1e10)
    uncached = measure.predict_token_time_s(cfg, m, 100, use_cache=False)
    flops = sum(calc.forward_flops_per_token(cfg, p) for p in range(1, 102))
    assert uncached == pytest.approx(flops / 1e11)                     # compute-bound
    assert uncached > 3 * cached
    # more bandwidth never slower; longer context never faster
    faster = measure.MachineSpec(matmul_flops_per_s=1e11, memory_bytes_per_s=2e10)
    assert measure.predict_token_time_s(cfg, faster, 100) < cached
    assert measure.predict_token_time_s(cfg, m, 400) >= cached
    with pytest.raises(TechpmError, match="context_tokens"):
        measure.predict_token_time_s(cfg, m, -1)


def test_blas_threads_limits_and_restores():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    import numpy  # noqa: F401  (BLAS must be loaded to be limited)

    def blas_threads_now():
        return [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]

    before = blas_threads_now()
    with measure.blas_threads(1):
        assert blas_threads_now() and all(n == 1 for n in blas_threads_now())
    assert blas_threads_now() == before
    with pytest.raises(TechpmError, match="threads"):
        with measure.blas_threads(0):
            pass
