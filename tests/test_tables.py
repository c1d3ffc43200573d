"""The sourced data tables: every row valid and sourced; a malformed row fails with a clear message."""

from __future__ import annotations

import copy

import pytest

from techpm import tables
from techpm.errors import TableError, TechpmError


@pytest.mark.parametrize("kind", sorted(tables.SCHEMAS))
def test_every_row_has_a_source_and_date(kind):
    rows = tables.load_table(kind)
    assert rows
    for row in rows:
        assert row["source_url"].startswith("https://"), row
        assert row["as_of"] <= "2026-11-29", row


def test_required_coverage():
    for gpu in ("a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h200", "b200", "l4", "t4"):
        tables.get_gpu(gpu)
    for model in ("llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3.1-8b", "llama-3.1-70b",
                  "llama-3.1-405b", "mistral-7b", "mixtral-8x7b", "gpt-3-175b", "chinchilla-70b"):
        tables.get_model(model)
    assert tables.api_model_ids("chat") and tables.api_model_ids("embedding")


def test_units_are_converted_to_si():
    h100 = tables.get_gpu("h100-sxm")
    assert h100.bf16_flops_per_s == pytest.approx(989e12, rel=0.01)  # dense, not "with sparsity"
    assert h100.hbm_bytes_per_s == pytest.approx(3.35e12, rel=0.01)
    assert h100.memory_bytes == pytest.approx(80e9)
    t4 = tables.get_gpu("t4")
    assert t4.bf16_flops_per_s is None and t4.matmul_flops_per_s == t4.fp16_flops_per_s


def test_unknown_name_suggests_the_closest():
    with pytest.raises(TechpmError, match=r"Did you mean 'h100-sxm'"):
        tables.get_gpu("h100-sx")
    with pytest.raises(ValueError, match=r"Unknown model 'llama-3-70b'.*llama-3.1-70b"):
        tables.get_model("llama-3-70b")


def _document(kind):
    return {"rows": [dict(r) for r in tables.load_table(kind)]}


@pytest.mark.parametrize(
    "kind, field, value, message",
    [
        ("gpus", "hbm_gb_per_s", "3.35 TB/s", r"row 0 \(id '.+'\): field 'hbm_gb_per_s' must be"),
        ("gpus", "memory_gb", -80, r"field 'memory_gb' must be positive"),
        ("models", "n_layers", 32.5, r"field 'n_layers' must be int"),
        ("models", "tied_embeddings", "no", r"field 'tied_embeddings' must be bool"),
        ("api_prices", "source_url", "pricing page", r"source_url must be a web address"),
        ("api_prices", "as_of", "last year", r"as_of must be an ISO date"),
    ],
)
def test_malformed_rows_fail_clearly(kind, field, value, message):
    doc = copy.deepcopy(_document(kind))
    doc["rows"][0][field] = value
    with pytest.raises(TableError, match=message):
        tables.validate(kind, doc)


def test_missing_field_and_duplicate_id_fail_clearly():
    doc = _document("gpus")
    del doc["rows"][1]["memory_gb"]
    with pytest.raises(TableError, match=r"row 1 .*missing required field 'memory_gb'"):
        tables.validate("gpus", doc)
    doc = _document("models")
    doc["rows"].append(dict(doc["rows"][0]))
    with pytest.raises(TableError, match="duplicate id"):
        tables.validate("models", doc)
    with pytest.raises(TableError, match="'rows' list"):
        tables.validate("models", {"rows": "none"})


def test_custom_model_config_is_checked():
    with pytest.raises(TechpmError, match="multiple of n_kv_heads"):
        tables.ModelConfig(n_layers=2, d_model=64, n_heads=6, n_kv_heads=4, head_dim=16, d_ff=256, vocab_size=100)
    with pytest.raises(TechpmError, match="n_layers must be a positive integer"):
        tables.ModelConfig(n_layers=0, d_model=64, n_heads=4, n_kv_heads=4, head_dim=16, d_ff=256, vocab_size=100)
