"""Sourced data tables: GPUs, GPU rental prices, model architectures, API and speech API prices, and Claude
model lifecycles.

Each table is a JSON file in ``techpm/data`` holding ``{"description": ..., "rows": [...]}``. Every row
carries the URL it was read from (``source_url``) and when (``as_of``), so a learner can always ask
"where is that from?". The loader checks every row against the schema below and fails with a message
that names the file, the row and the field; it never hands a malformed number to a calculator.

Units are in the field names of the files (``memory_gb``, ``hbm_gb_per_s``, ``bf16_dense_tflops``); the
dataclasses convert them to SI base units (bytes, bytes/s, FLOP/s) so that calculators never rescale.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any

from techpm.errors import TableError, unknown_name

# field -> (allowed types, required). Numbers must be positive unless listed in _MAY_BE_ZERO.
_NUM = (int, float)
_OPT_NUM = (int, float, type(None))
_STR = (str,)
_OPT_STR = (str, type(None))
_MAY_BE_ZERO = {"batch_discount"}

_COMMON = {"source_url": (_STR, True), "as_of": (_STR, True), "notes": (_OPT_STR, False)}

SCHEMAS: dict[str, dict[str, tuple[tuple[type, ...], bool]]] = {
    "gpus": {
        "id": (_STR, True), "name": (_STR, True),
        "memory_gb": (_NUM, True), "hbm_gb_per_s": (_NUM, True),
        "bf16_dense_tflops": (_OPT_NUM, True), "fp16_dense_tflops": (_NUM, True),
        "fp8_dense_tflops": (_OPT_NUM, True), "int8_dense_tops": (_OPT_NUM, True),
        "fp32_tflops": (_OPT_NUM, False), "tdp_w": (_OPT_NUM, False),
        "interconnect_gb_per_s": (_OPT_NUM, False), **_COMMON,
    },
    "gpu_prices": {
        "gpu_id": (_STR, True), "provider": (_STR, True), "usd_per_gpu_hour": (_NUM, True), **_COMMON,
    },
    "models": {
        "id": (_STR, True), "name": (_STR, True),
        "n_layers": ((int,), True), "d_model": ((int,), True), "n_heads": ((int,), True),
        "n_kv_heads": ((int,), True), "head_dim": ((int,), True), "d_ff": ((int,), True),
        "vocab_size": ((int,), True), "n_experts": ((int,), True), "experts_per_token": ((int,), True),
        "tied_embeddings": ((bool,), True), "ffn_matrices": ((int,), True),
        "max_context_tokens": ((int,), True), "published_params": (_NUM, True),
        "published_params_kind": (_STR, True), "published_active_params": (_OPT_NUM, False),
        "n_shared_experts": ((int,), False), "n_dense_layers": ((int,), False), "dense_d_ff": ((int,), False),
        "kv_lora_rank": ((int,), False), "q_lora_rank": ((int,), False), "qk_rope_head_dim": ((int,), False),
        "sliding_window": ((int,), False), "sliding_window_layers": ((int,), False),
        **_COMMON,
    },
    "api_prices": {
        "id": (_STR, True), "provider": (_STR, True), "kind": (_STR, True),
        "input_usd_per_mtok": (_NUM, True), "output_usd_per_mtok": (_OPT_NUM, True),
        "cache_write_usd_per_mtok": (_OPT_NUM, False), "cache_read_usd_per_mtok": (_OPT_NUM, False),
        "batch_discount": (_OPT_NUM, False), "long_context_threshold_tokens": (_OPT_NUM, False),
        "cache_write_1h_usd_per_mtok": (_OPT_NUM, False),
        "long_context_input_usd_per_mtok": (_OPT_NUM, False), "long_context_output_usd_per_mtok": (_OPT_NUM, False),
        "long_context_cache_write_usd_per_mtok": (_OPT_NUM, False),
        "long_context_cache_read_usd_per_mtok": (_OPT_NUM, False),
        "status": (_STR, False), "retires_on": (_OPT_STR, False), "successor": (_OPT_STR, False),
        "lifecycle_source_url": (_STR, False),
        **_COMMON,
    },
    "audio_prices": {
        "id": (_STR, True), "provider": (_STR, True), "kind": (_STR, True),
        "usd_per_minute": (_OPT_NUM, True), "usd_per_mchar": (_OPT_NUM, True), **_COMMON,
    },
    "model_lifecycle": {
        "id": (_STR, True), "status": (_STR, True), "retires_on": (_OPT_STR, True),
        "successor": (_OPT_STR, True), **_COMMON,
    },
}
_AUDIO_KINDS = ("stt", "tts")
#: A model's lifecycle as Anthropic names it (https://platform.claude.com/docs/en/about-claude/model-deprecations).
LIFECYCLE_STATUSES = ("active", "legacy", "deprecated", "retired")


def _check_row(kind: str, index: int, row: Any) -> dict[str, Any]:
    where = f"techpm/data/{kind}.json row {index}"
    if not isinstance(row, dict):
        raise TableError(f"{where}: expected an object, got {type(row).__name__}.")
    if "id" in row:
        where += f" (id {row['id']!r})"
    schema = SCHEMAS[kind]
    for name, (types, required) in schema.items():
        if name not in row:
            if required:
                raise TableError(f"{where}: missing required field {name!r}.")
            continue
        value = row[name]
        if isinstance(value, bool) and bool not in types:
            raise TableError(f"{where}: field {name!r} must be a number, got {value!r}.")
        if not isinstance(value, types):
            wanted = " or ".join(t.__name__ for t in types)
            raise TableError(f"{where}: field {name!r} must be {wanted}, got {value!r}.")
        if isinstance(value, _NUM) and not isinstance(value, bool):
            if value < 0 or (value == 0 and name not in _MAY_BE_ZERO):
                raise TableError(f"{where}: field {name!r} must be positive, got {value!r}.")
    if not str(row["source_url"]).startswith(("https://", "http://")):
        raise TableError(f"{where}: source_url must be a web address, got {row['source_url']!r}.")
    for name in ("as_of", "retires_on"):
        if row.get(name) is None and name == "retires_on":
            continue
        try:
            _dt.date.fromisoformat(row[name])
        except ValueError:
            raise TableError(f"{where}: {name} must be an ISO date (YYYY-MM-DD), got {row[name]!r}.") from None
    if "status" in row and row["status"] not in LIFECYCLE_STATUSES:
        raise TableError(f"{where}: status must be one of {', '.join(LIFECYCLE_STATUSES)}, got {row['status']!r}.")
    if kind == "audio_prices":
        if row["kind"] not in _AUDIO_KINDS:
            raise TableError(f"{where}: kind must be one of {', '.join(_AUDIO_KINDS)}, got {row['kind']!r}.")
        if (row["usd_per_minute"] is None) == (row["usd_per_mchar"] is None):
            raise TableError(f"{where}: give exactly one of usd_per_minute and usd_per_mchar.")
        if row["kind"] == "stt" and row["usd_per_minute"] is None:
            raise TableError(f"{where}: a speech-to-text price needs usd_per_minute.")
    return row


def validate(kind: str, document: Any) -> list[dict[str, Any]]:
    """Check a parsed table document; return its rows or raise ``TableError`` naming the bad row."""
    if kind not in SCHEMAS:
        raise unknown_name("table", kind, SCHEMAS)
    if not isinstance(document, dict) or not isinstance(document.get("rows"), list):
        raise TableError(f"techpm/data/{kind}.json: expected an object with a 'rows' list.")
    rows = [_check_row(kind, i, row) for i, row in enumerate(document["rows"])]
    key = "gpu_id" if kind == "gpu_prices" else "id"
    if kind != "gpu_prices":
        seen: set[str] = set()
        for row in rows:
            if row[key] in seen:
                raise TableError(f"techpm/data/{kind}.json: duplicate id {row[key]!r}.")
            seen.add(row[key])
    return rows


@cache
def load_table(kind: str) -> tuple[dict[str, Any], ...]:
    """The validated rows of ``techpm/data/{kind}.json`` (read once, then cached)."""
    if kind not in SCHEMAS:
        raise unknown_name("table", kind, SCHEMAS)
    text = resources.files("techpm").joinpath("data", f"{kind}.json").read_text(encoding="utf-8")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TableError(f"techpm/data/{kind}.json is not valid JSON: {exc}.") from None
    return tuple(validate(kind, document))


def _from_row(cls: type, row: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in row.items() if k in names})


@dataclass(frozen=True)
class GPUSpec:
    """One accelerator, in SI units. Throughputs are dense (no 2:4 sparsity)."""

    id: str
    name: str
    memory_bytes: float
    hbm_bytes_per_s: float
    bf16_flops_per_s: float | None
    fp16_flops_per_s: float
    fp8_flops_per_s: float | None
    int8_ops_per_s: float | None
    source_url: str = ""
    as_of: str = ""
    interconnect_bytes_per_s: float | None = None   # GPU-to-GPU link (both directions, as NVIDIA quotes it)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> GPUSpec:
        tera = 1e12

        def scale(v: float | None, k: float) -> float | None:
            return None if v is None else float(v) * k

        return cls(
            id=row["id"], name=row["name"], memory_bytes=row["memory_gb"] * 1e9,
            hbm_bytes_per_s=row["hbm_gb_per_s"] * 1e9,
            bf16_flops_per_s=scale(row["bf16_dense_tflops"], tera),
            fp16_flops_per_s=float(row["fp16_dense_tflops"]) * tera,
            fp8_flops_per_s=scale(row["fp8_dense_tflops"], tera),
            int8_ops_per_s=scale(row["int8_dense_tops"], tera),
            source_url=row["source_url"], as_of=row["as_of"],
            interconnect_bytes_per_s=scale(row.get("interconnect_gb_per_s"), 1e9),
        )

    @property
    def matmul_flops_per_s(self) -> float:
        """16-bit tensor throughput: bf16 where the chip has it, else fp16 (the T4)."""
        return self.bf16_flops_per_s or self.fp16_flops_per_s


@dataclass(frozen=True)
class ModelConfig:
    """A transformer's shape, with names as in ``models.json``. Build your own for a custom model."""

    n_layers: int
    d_model: int
    n_heads: int
    n_kv_heads: int
    head_dim: int
    d_ff: int
    vocab_size: int
    n_experts: int = 1
    experts_per_token: int = 1
    tied_embeddings: bool = False
    ffn_matrices: int = 3
    max_context_tokens: int = 4096
    # Optional architecture features (0 = absent), as named in the released config.json files:
    n_shared_experts: int = 0        # experts every token runs (DeepSeek's n_shared_experts)
    n_dense_layers: int = 0          # first layers with a dense FFN of dense_d_ff (first_k_dense_replace)
    dense_d_ff: int = 0              # their FFN width (DeepSeek's intermediate_size)
    kv_lora_rank: int = 0            # multi-head latent attention: the cached latent's width (0 = not MLA)
    q_lora_rank: int = 0             # MLA: the query's low-rank width (0 = a full query projection)
    qk_rope_head_dim: int = 0        # MLA: the decoupled RoPE key's width, cached beside the latent
    sliding_window: int = 0          # tokens a sliding-window layer attends to (and caches)
    sliding_window_layers: int = 0   # how many of the n_layers use that window (the rest attend fully)
    id: str = "custom"
    name: str = "custom model"
    published_params: float | None = None
    published_params_kind: str = ""
    published_active_params: float | None = None
    source_url: str = ""
    as_of: str = ""
    notes: str | None = None

    def __post_init__(self) -> None:
        for name in ("n_layers", "d_model", "n_heads", "n_kv_heads", "head_dim", "d_ff", "vocab_size",
                     "n_experts", "experts_per_token", "ffn_matrices"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise TableError(f"ModelConfig {self.id!r}: {name} must be a positive integer, got {value!r}.")
        for name in ("n_shared_experts", "n_dense_layers", "dense_d_ff", "kv_lora_rank", "q_lora_rank",
                     "qk_rope_head_dim", "sliding_window", "sliding_window_layers"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise TableError(f"ModelConfig {self.id!r}: {name} must be a whole number >= 0, got {value!r}.")
        if self.n_dense_layers > self.n_layers or self.sliding_window_layers > self.n_layers:
            raise TableError(f"ModelConfig {self.id!r}: n_dense_layers and sliding_window_layers cannot exceed "
                             f"n_layers ({self.n_layers}).")
        if bool(self.n_dense_layers) != bool(self.dense_d_ff):
            raise TableError(f"ModelConfig {self.id!r}: n_dense_layers and dense_d_ff go together.")
        if bool(self.sliding_window) != bool(self.sliding_window_layers):
            raise TableError(f"ModelConfig {self.id!r}: sliding_window and sliding_window_layers go together.")
        if self.n_heads % self.n_kv_heads:
            raise TableError(f"ModelConfig {self.id!r}: n_heads ({self.n_heads}) must be a multiple of "
                             f"n_kv_heads ({self.n_kv_heads}).")
        if self.experts_per_token > self.n_experts:
            raise TableError(f"ModelConfig {self.id!r}: experts_per_token ({self.experts_per_token}) "
                             f"exceeds n_experts ({self.n_experts}).")


@dataclass(frozen=True)
class APIPrice:
    """A hosted model's list price, in US dollars per million tokens (MTok)."""

    id: str
    provider: str
    kind: str
    input_usd_per_mtok: float
    output_usd_per_mtok: float | None
    cache_write_usd_per_mtok: float | None = None
    cache_read_usd_per_mtok: float | None = None
    batch_discount: float | None = None
    long_context_threshold_tokens: float | None = None
    cache_write_1h_usd_per_mtok: float | None = None
    long_context_input_usd_per_mtok: float | None = None     # rates for a request whose prompt exceeds
    long_context_output_usd_per_mtok: float | None = None    # long_context_threshold_tokens (all of its
    long_context_cache_write_usd_per_mtok: float | None = None  # tokens, output included)
    long_context_cache_read_usd_per_mtok: float | None = None
    source_url: str = ""
    as_of: str = ""
    notes: str | None = None


@dataclass(frozen=True)
class GPUPrice:
    """What renting one GPU costs per hour, on demand."""

    gpu_id: str
    provider: str
    usd_per_gpu_hour: float
    source_url: str = ""
    as_of: str = ""
    notes: str | None = None


def _index(kind: str, key: str = "id") -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in load_table(kind)}


def gpu_ids() -> list[str]:
    """Ids of the tabled GPUs, in table order."""
    return list(_index("gpus"))


def model_ids() -> list[str]:
    """Ids of the tabled model architectures, in table order."""
    return list(_index("models"))


def api_model_ids(kind: str | None = None) -> list[str]:
    """Ids of the priced API models; ``kind`` filters to 'chat' or 'embedding'."""
    return [r["id"] for r in load_table("api_prices") if kind is None or r["kind"] == kind]


def get_gpu(name: str) -> GPUSpec:
    """The tabled GPU called ``name`` (e.g. 'h100-sxm'), in SI units."""
    table = _index("gpus")
    key = str(name).strip().lower()
    if key not in table:
        raise unknown_name("GPU", str(name), table)
    return GPUSpec.from_row(table[key])


def get_model(name: str) -> ModelConfig:
    """The tabled model architecture called ``name`` (e.g. 'llama-3.1-70b')."""
    table = _index("models")
    key = str(name).strip().lower()
    if key not in table:
        raise unknown_name("model", str(name), table)
    return _from_row(ModelConfig, table[key])


def get_api_price(name: str) -> APIPrice:
    """The list price of the API model called ``name`` (e.g. 'claude-haiku-5-5')."""
    table = _index("api_prices")
    key = str(name).strip().lower()
    if key not in table:
        raise unknown_name("API model", str(name), table)
    return _from_row(APIPrice, table[key])


def get_gpu_prices(gpu: str) -> list[GPUPrice]:
    """Every tabled on-demand price for one GPU, cheapest first."""
    get_gpu(gpu)  # raises a clear error for an unknown GPU
    rows = [r for r in load_table("gpu_prices") if r["gpu_id"] == gpu.strip().lower()]
    return sorted((_from_row(GPUPrice, r) for r in rows), key=lambda p: p.usd_per_gpu_hour)


# ---- course data written by a script (not sourced tables) -----------------------------------------------

def read_course_data(filename: str) -> Any:
    """A course data file shipped in ``techpm/data`` (e.g. ``preferences.json``), parsed, as stored."""
    return json.loads(resources.files("techpm").joinpath("data", filename).read_text(encoding="utf-8"))


def write_course_data(filename: str, document: Any, path: Any = None) -> Any:
    """Write ``document`` as indented JSON to ``path`` (default: the package's ``data/filename``); the path."""
    from pathlib import Path

    target = Path(path) if path else Path(str(resources.files("techpm").joinpath("data", filename)))
    target.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target
