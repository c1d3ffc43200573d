"""On-device and edge models: the memory budget bounds the model size after quantization; battery,
distillation and updates to a fleet of devices."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import num, pct, size

MODEL_SHARE_OF_RAM = 0.25     # the share of a device's memory one app's model may take (the OS and apps need the rest)
DEFAULT_RAM_GB = 8.0
TOKENS_PER_S_BANDWIDTH = 50e9  # bytes/s of memory bandwidth of a recent phone SoC (LPDDR5-class), a stated assumption
UPDATE_SHARE = 0.2            # share of the fleet that downloads an update on its first day


def _figures(ctx: Ctx) -> None:
    ram_q = ctx.take("memory_gb")
    ram_gb = ram_q.value if ram_q else ctx.assume("device memory", DEFAULT_RAM_GB, f"{DEFAULT_RAM_GB:g} GB of RAM",
                                                  "a mid-range phone")
    budget = max(0.0, ram_gb * 1e9 * MODEL_SHARE_OF_RAM)
    rows = []
    best = None
    for bits in (16, 8, 4):
        per_param = calc.weights_bytes(1e9, bits, group_size=128 if bits == 4 else None) / 1e9
        max_params = budget / per_param if per_param else 0.0
        rows.append(f"{num(max_params / 1e6)}M parameters at {bits}-bit")
        if bits == 4:
            best = max_params
    stated = f"{ram_q.text}" if ram_q else f"{ram_gb:g} GB"
    ctx.add("model_budget", f"Largest model that fits in {stated}", best or 0.0,
            f"with {pct(MODEL_SHARE_OF_RAM)} of {stated} for the model ({size(budget)}): " + ", ".join(rows),
            f"{size(budget)} / bytes per parameter at each precision", "calc.weights_bytes",
            "the operating system and other apps keep the rest; activations and the KV cache also need room",
            uses=(ram_q,))
    params = best or 0.0
    ctx.values["device_params"] = f"{num(params / 1e6)}M"
    ctx.values["device_ram"] = stated
    if params > 0:
        weight_bytes = calc.weights_bytes(params, 4, group_size=128)
        tps = TOKENS_PER_S_BANDWIDTH / weight_bytes
        ctx.add("device_speed", "Tokens per second on the device", tps,
                f"about {num(tps)} tokens a second for the {num(params / 1e6)}M-parameter 4-bit model, each token "
                f"reading its {size(weight_bytes)} of weights once",
                f"{size(TOKENS_PER_S_BANDWIDTH)}/s memory bandwidth / {size(weight_bytes)} per token",
                "calc.weights_bytes (decode is memory-bound, as on a GPU)",
                "a phone-class memory bus; the neural engine and thermal limits change it", uses=(ram_q,))
    fleet_q = ctx.take("devices")
    if fleet_q is not None and params > 0:
        download = calc.weights_bytes(params, 4, group_size=128)
        day_one = fleet_q.value * UPDATE_SHARE * download
        ctx.add("fleet_update", f"Shipping a model update to {fleet_q.text}", day_one,
                f"{size(download)} per device; {size(day_one)} of downloads on day one if {pct(UPDATE_SHARE)} of "
                f"{fleet_q.text} update, and no serving bill: inference runs on {num(fleet_q.value)} devices",
                f"{num(fleet_q.value)} x {pct(UPDATE_SHARE)} x {size(download)}", "calc.weights_bytes",
                "staged rollouts spread it over days; deltas or adapters shrink it", uses=(fleet_q,))


FACET = Facet(
    name="on_device",
    title="On-device model",
    cues=((r"on[- ]device|\bedge\b|runs? locally|offline (?:mode|first|on)", 4), (r"\bphones?\b|smartphones?|android|ios\b|iphone", 2),
          (r"\bram\b|gb of memory|memory budget", 2), (r"keyboard|wearable|watch|in[- ]car|embedded|drone|robot|laptop", 1),
          (r"battery|thermal|npu|neural engine", 3), (r"without (?:a |an )?(?:network|internet|connectivity)", 3)),
    boost=lambda b: (3.0 if b.deployment == "on-device" else 0.0) + (2.0 if b.first("memory_gb") else 0.0),
    concept_groups=(
        ("quantiz", "4-bit", "int4"),
        ("memory", "ram"),
        ("battery", "power", "thermal"),
        ("distil",),
        ("on-device", "on device", "edge"),
    ),
    domain_terms=("on-device", "battery", "neural engine", "model download"),
    scoping=(
        "Which devices must run <<product>>: the oldest supported model, its free memory (<<device_ram>> "
        "stated or assumed) and its accelerator?",
        "What must work with no network, and what may fall back to a server model when one is reachable?",
        "How much battery, download size and storage will users accept for <<product>>?",
    ),
    personas=(Persona("developer", "The mobile ML engineer who ships the model in the app",
                      "converts and quantizes models for each chip family by hand",
                      "expert in mobile performance; less so in evaluating language models",
                      "a model that fits on flagship phones and crashes on the long tail of older ones",
                      "one conversion pipeline, per-device benchmarks in CI, and remote kill switches"),),
    stages=("user input on the device --> [small distilled model, 4-bit, in the app's memory budget] --> result on screen",
            "  (optional, when online) --> [server model for hard cases] ; model updates --> [staged download to the fleet]"),
    components=(
        ("Model", "A model of about <<device_params>> parameters, distilled from a large teacher on the task's "
         "own data [[distillation]] and quantized to 4 bits with GPTQ or AWQ [[gptq]] [[awq]]: the memory "
         "budget, not the accuracy wish list, sets its size."),
        ("Runtime", "The platform's accelerator (NPU or GPU) through its native runtime; a fixed-size cache "
         "and short context keep memory flat; the model loads lazily and unloads under memory pressure."),
        ("Updates and privacy", "Models ship as staged downloads with rollback; user data stays on the device, "
         "and any learning from it uses aggregated, privacy-preserving signals only."),
    ),
    figures=_figures,
    deep_dive=("The memory budget decides the model",
               "On a device with <<device_ram>>, the model shares memory with the operating system and every "
               "other app, so the budget is a fraction of it, and it bounds the parameters at each precision. "
               "Decoding reads every weight once per token, so memory bandwidth sets speed and battery drain "
               "alike: 4-bit weights are both smaller and faster. Quality then comes from distillation on the "
               "exact task rather than from size, and from evaluating on the slowest supported device, not the "
               "developer's phone."),
    risks=(("Fragmentation", "thousands of device models, chips and OS versions: benchmark the long tail and "
            "gate <<product>> by capability, not by brand."),
           ("Battery and heat", "a model that runs on every keystroke or frame drains batteries: budget energy "
            "per use and throttle under thermal pressure.")),
    api=("GET  /v1/models/{id}/manifest   (version, size, checksum, minimum device, rollout percentage)",),
    api_notes="The device SDK for <<product>> exposes one local call plus the model manifest; the server API "
              "only distributes models and collects opt-in, aggregated quality signals.",
    metrics=(("Peak memory of the model on the oldest supported device", "within the budget", "crashes are the worst failure"),
             ("Latency per use on the slowest supported device, p95", "below what users notice", "speed on every phone, not the flagship"),
             ("Battery used per hour of active use", "< 1%", "users uninstall what drains the battery")),
    users_noun="users",
    tradeoffs=(
        ("Where it runs", "entirely on the device",
         "a server model for hard cases when the network is there and <<users>> accept the privacy trade"),
        ("Size", "the largest 4-bit model the memory budget allows",
         "a smaller model when battery and latency matter more to <<product>> than accuracy"),
    ),
    recommendation="Let the device's memory budget set the model size, distil and quantize to fit it, and "
                   "evaluate on the slowest supported device.",
)
