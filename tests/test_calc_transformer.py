"""Transformer calculators against published numbers (released configs, papers) and invariants."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm import calc, tables
from techpm.calc import transformer
from techpm.errors import TechpmError

KIB = 1024


def _rows(kind: str):
    return [r for r in tables.load_table("models") if r["published_params_kind"] == kind]


@pytest.mark.parametrize("row", _rows("exact"), ids=lambda r: r["id"])
def test_exact_rows_match_the_released_weight_count(row):
    cfg = calc.get_model(row["id"])
    assert calc.param_count(cfg) == pytest.approx(row["published_params"], rel=0.005)


@pytest.mark.parametrize("model, published", [
    # Safetensors totals of the released checkpoints on Hugging Face (model cards / index files).
    ("llama-2-7b", 6_738_415_616),
    ("llama-3.1-8b", 8_030_261_248),
    ("llama-3.1-405b", 405_853_388_800),
    ("mixtral-8x7b", 46_702_792_704),
])
def test_param_count_of_released_models(model, published):
    assert calc.param_count(model) == pytest.approx(published, rel=0.005)


def test_gpt3_nominal_175b_within_half_a_percent():
    # Brown et al. 2020, Table 2.1: 175.0B; the formula omits biases and position embeddings.
    count = calc.param_count(calc.get_model("gpt-3-175b"))
    assert count == pytest.approx(175e9, rel=0.005)
    assert count < 175e9


def test_chinchilla_nominal_70b_is_the_documented_8_percent_above_the_formula():
    count = calc.param_count(calc.get_model("chinchilla-70b"))
    assert 70e9 / count - 1 == pytest.approx(0.078, abs=0.005)      # "~8% above the formula count"
    tied = dataclasses.replace(calc.get_model("chinchilla-70b"), tied_embeddings=True)
    assert calc.param_count(tied) == pytest.approx(64.69e9, rel=0.001)  # the notes' tied variant


def test_mixtral_active_parameters():
    # Jiang et al. 2024: "47B parameters, 13B active"; table row: 12,879,925,248 active.
    cfg = calc.get_model("mixtral-8x7b")
    assert calc.active_param_count(cfg) == pytest.approx(cfg.published_active_params, rel=0.005)
    assert calc.active_param_count(cfg) == pytest.approx(13e9, rel=0.02)
    assert calc.param_count(cfg) == pytest.approx(47e9, rel=0.01)


def test_breakdown_adds_up_and_embeddings_share():
    cfg = calc.get_model("llama-3.1-8b")
    b = calc.param_breakdown(cfg)
    assert b.total == calc.param_count(cfg)
    assert b.embedding == 2 * 128_256 * 4096
    assert calc.non_embedding_param_count(cfg) == b.total - b.embedding
    assert b.router == 0 and calc.param_breakdown("mixtral-8x7b").router == 32 * 4096 * 8


@pytest.mark.parametrize("model, kib", [
    ("llama-2-7b", 512),       # 2 * 32 layers * 32 heads * 128 * 2 bytes
    ("llama-2-13b", 800),
    ("llama-3.1-70b", 320),    # GQA: 8 KV heads instead of 64
    ("llama-3.1-8b", 128),
    ("llama-3.1-405b", 504),
])
def test_kv_cache_per_token_fp16(model, kib):
    assert calc.kv_cache_bytes_per_token(calc.get_model(model)) == kib * KIB


def test_kv_cache_scales_with_context_batch_and_precision():
    cfg = calc.get_model("llama-3.1-70b")
    full = calc.kv_cache_bytes(cfg, 128 * 1024)
    assert full == 40 * 1024**3                                  # 128k tokens x 320 KiB = 40 GiB
    assert calc.kv_cache_bytes(cfg, 128 * 1024, batch_size=4) == 4 * full
    assert calc.kv_cache_bytes(cfg, 128 * 1024, bytes_per_value=1) == full // 2
    assert calc.kv_cache_bytes(cfg, 0) == 0


def test_gqa_saves_kv_cache_by_the_group_factor():
    cfg = calc.get_model("llama-3.1-70b")
    mha = dataclasses.replace(cfg, n_kv_heads=cfg.n_heads)
    assert calc.kv_cache_bytes_per_token(mha) == 8 * calc.kv_cache_bytes_per_token(cfg)


def test_forward_flops_is_2n_plus_attention():
    cfg = calc.get_model("llama-2-7b")
    b = calc.param_breakdown(cfg)
    weights = 2 * (b.total - b.embedding + cfg.vocab_size * cfg.d_model)
    assert calc.forward_flops_per_token(cfg, 0) == weights
    # at 4096 tokens of context attention adds 4 * 32 * 4096 * 4096 FLOPs
    assert calc.forward_flops_per_token(cfg, 4096) - weights == 4 * 32 * 4096 * 4096
    # ~2 FLOPs per parameter: within 2% of 2 * param_count for a 7B model (untied: 2x embeddings)
    assert calc.forward_flops_per_token(cfg, 0) == pytest.approx(2 * b.total, rel=0.02)


def test_moe_forward_flops_use_active_parameters():
    mixtral = calc.get_model("mixtral-8x7b")
    assert calc.forward_flops_per_token(mixtral, 0) < 0.3 * 2 * calc.param_count(mixtral)
    dense = dataclasses.replace(mixtral, n_experts=1, experts_per_token=1)
    assert calc.forward_flops_per_token(mixtral, 0) > calc.forward_flops_per_token(dense, 0)


def test_accepts_a_model_id_and_rejects_nonsense():
    assert calc.param_count("llama-2-7b") == calc.param_count(calc.get_model("llama-2-7b"))
    with pytest.raises(TechpmError, match="cfg must be a ModelConfig"):
        calc.param_count(7e9)
    with pytest.raises(TechpmError, match="Did you mean"):
        calc.kv_cache_bytes("llama-3-70b", 100)
    with pytest.raises(TechpmError, match="context_tokens"):
        calc.kv_cache_bytes("llama-2-7b", -1)
    with pytest.raises(TechpmError, match="batch_size"):
        calc.kv_cache_bytes("llama-2-7b", 10, batch_size=0)
    with pytest.raises(TechpmError, match="bytes_per_value"):
        calc.kv_cache_bytes_per_token("llama-2-7b", bytes_per_value=0)
    with pytest.raises(TechpmError, match="context_tokens"):
        calc.forward_flops_per_token("llama-2-7b", float("nan"))


def test_exported_through_calc():
    for name in transformer.__all__:
        assert calc.where_is(name) == "techpm.calc.transformer"


# ---- invariants -------------------------------------------------------------------------------------

@st.composite
def configs(draw):
    n_kv = draw(st.integers(1, 16))
    n_experts = draw(st.integers(1, 16))
    return calc.ModelConfig(
        n_layers=draw(st.integers(1, 128)), d_model=draw(st.integers(1, 32768)),
        n_heads=n_kv * draw(st.integers(1, 8)), n_kv_heads=n_kv, head_dim=draw(st.integers(1, 256)),
        d_ff=draw(st.integers(1, 65536)), vocab_size=draw(st.integers(1, 262144)),
        n_experts=n_experts, experts_per_token=draw(st.integers(1, n_experts)),
        tied_embeddings=draw(st.booleans()), ffn_matrices=draw(st.sampled_from([2, 3])),
    )


@settings(max_examples=60, deadline=None)
@given(configs(), st.integers(0, 10**6), st.integers(0, 10**6), st.integers(1, 64))
def test_more_context_never_means_less_kv_cache_or_fewer_flops(cfg, a, b, batch):
    lo, hi = sorted((a, b))
    assert calc.kv_cache_bytes(cfg, lo, batch) <= calc.kv_cache_bytes(cfg, hi, batch)
    assert calc.forward_flops_per_token(cfg, lo) <= calc.forward_flops_per_token(cfg, hi)


@settings(max_examples=60, deadline=None)
@given(configs(), st.integers(1, 32))
def test_more_layers_never_fewer_params(cfg, extra):
    deeper = dataclasses.replace(cfg, n_layers=cfg.n_layers + extra)
    assert calc.param_count(deeper) > calc.param_count(cfg)
    assert calc.kv_cache_bytes_per_token(deeper) > calc.kv_cache_bytes_per_token(cfg)


@settings(max_examples=60, deadline=None)
@given(configs())
def test_active_never_exceeds_total_and_dense_means_equal(cfg):
    assert 0 < calc.active_param_count(cfg) <= calc.param_count(cfg)
    assert (calc.active_param_count(cfg) == calc.param_count(cfg)) == (cfg.experts_per_token == cfg.n_experts)
    assert calc.param_breakdown(cfg).total == calc.param_count(cfg)


@settings(max_examples=60, deadline=None)
@given(configs())
def test_fewer_kv_heads_never_more_cache(cfg):
    mha = dataclasses.replace(cfg, n_kv_heads=cfg.n_heads)
    assert calc.kv_cache_bytes_per_token(cfg) <= calc.kv_cache_bytes_per_token(mha)
    assert calc.param_count(cfg) <= calc.param_count(mha)


def test_model_memory_breakdown():
    cfg = calc.get_model("llama-3.1-70b")
    mem = calc.model_memory_bytes(cfg, context_tokens=8192, batch_size=4)
    assert mem.weights == 2 * calc.param_count(cfg)
    assert mem.weights == pytest.approx(141.1e9, rel=0.001)        # does not fit one 80 GB GPU
    assert mem.kv_cache == calc.kv_cache_bytes(cfg, 8192, 4)
    assert mem.total == mem.weights + mem.kv_cache
    assert calc.model_memory_bytes(cfg, bytes_per_param=0.5).weights == pytest.approx(mem.weights / 4, rel=1e-6)
    mixtral = calc.model_memory_bytes("mixtral-8x7b")
    assert mixtral.weights == 2 * calc.param_count("mixtral-8x7b")   # every expert is resident
    with pytest.raises(TechpmError, match="bytes_per_param"):
        calc.model_memory_bytes(cfg, bytes_per_param=-1)


@pytest.mark.parametrize("model, total, active", [
    ("deepseek-v3", 671e9, 37e9),          # DeepSeek-V3 report: 671B total, 37B activated per token
    ("qwen3-235b-a22b", 235e9, 22e9),      # model card: 235B total, 22B activated
])
def test_current_moe_models_match_their_published_counts(model, total, active):
    assert calc.param_count(model) == pytest.approx(total, rel=0.01)
    assert calc.active_param_count(model) == pytest.approx(active, rel=0.03)


def test_gpt_oss_counts_without_biases_and_input_embedding():
    cfg = calc.get_model("gpt-oss-120b")
    assert calc.param_count(cfg) == pytest.approx(116.83e9, rel=0.005)   # biases and sinks left out
    # The model card's 5.13B active leaves out the input embedding.
    assert calc.active_param_count(cfg) - cfg.vocab_size * cfg.d_model == pytest.approx(5.13e9, rel=0.01)


def test_mla_caches_the_latent_and_the_rope_key():
    ds = calc.get_model("deepseek-v3")
    assert calc.kv_values_per_layer_per_token(ds) == 512 + 64
    assert calc.kv_cache_bytes_per_token(ds) == 61 * 576 * 2
    mha = dataclasses.replace(ds, kv_lora_rank=0, q_lora_rank=0, qk_rope_head_dim=0)
    assert calc.kv_values_per_layer_per_token(mha) == 2 * 128 * 128
    assert calc.kv_cache_bytes(ds, 1000, 2) == 2 * 1000 * 61 * 576 * 2


def test_sliding_window_layers_cache_at_most_the_window():
    oss = calc.get_model("gpt-oss-120b")
    per_layer = 2 * 8 * 64 * 2                       # bytes per token per layer, bf16
    assert calc.kv_cache_bytes(oss, 100) == 36 * 100 * per_layer               # inside the window
    assert calc.kv_cache_bytes(oss, 10_000) == (18 * 10_000 + 18 * 128) * per_layer
    assert calc.kv_cache_bytes_per_token(oss) == 36 * per_layer
    assert calc.kv_cache_bytes_per_token(oss, context_tokens=10_000) == math.ceil(
        calc.kv_cache_bytes(oss, 10_000) / 10_000)
    # Attention FLOPs: windowed layers see 128 tokens at most.
    assert calc.attention_flops_per_token(oss, 10_000) == pytest.approx(
        4 * (18 * 10_000 + 18 * 128) * 64 * 64)
    with pytest.raises(ValueError, match="go together"):
        dataclasses.replace(oss, sliding_window=0)


def test_moe_decode_reads_only_the_experts_it_touches():
    ds = calc.get_model("deepseek-v3")
    one = calc.decode_weight_bytes(ds, 1, batch_tokens=1)
    many = calc.decode_weight_bytes(ds, 1, batch_tokens=4096)
    lookup = ds.vocab_size * ds.d_model
    assert one == pytest.approx(calc.active_param_count(ds) - lookup, rel=1e-9)
    assert many == pytest.approx(calc.param_count(ds) - lookup, rel=0.001)   # every expert touched


def test_attention_kind_names_each_design():
    assert [calc.attention_kind(m) for m in ("llama-2-7b", "llama-3.1-70b", "deepseek-v3", "gpt-oss-120b")] == [
        "MHA", "GQA", "MLA", "GQA + window"]
    mqa = dataclasses.replace(calc.get_model("llama-3.1-8b"), n_kv_heads=1)
    assert calc.attention_kind(mqa) == "MQA"
