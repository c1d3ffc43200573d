"""The metrics of the method's section 6, computed from a request log.

Technical: time to first token (TTFT, on streamed calls, where the first token is what the user sees),
output tokens per second, error rates (4xx, 429, 5xx, client timeouts), and the price realised per 1K
tokens in and out. Product: the developer funnel (sign-up, key, first call, activation = first successful
call within 7 days of sign-up, production integration, paid), monthly active developers, API spend and
its concentration. Plus two operational views: the worst hour for server errors (an incident) and the
keys whose daily traffic jumped far above their own baseline (a leaked key, abuse).

Every figure is computed from the log passed in; nothing here is typed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from techpm.api_lab.requestlog import SECONDS_PER_DAY, TIMEOUT, RequestLog
from techpm.calc._validate import positive, positive_int

ACTIVATION_DAYS = 7  # "developer activation (first API call within 7 days)": the method's section 6


@dataclass(frozen=True)
class SurgeFlag:
    """A developer-day whose calls exceeded ``factor`` times the developer's trailing baseline."""

    developer: int
    day: int
    calls: int
    baseline_calls: float


@dataclass(frozen=True)
class Dashboard:
    """Section 6's metrics over the last ``window_days`` of the log (funnel: the sign-up cohort that has
    had at least ``window_days`` to progress)."""

    window_days: int
    requests: int
    ttft_p50_s: float
    ttft_p95_s: float
    ttft_p99_s: float
    ttft_p50_by_model_s: dict[str, float]
    tokens_per_s_p50_by_model: dict[str, float]
    share_4xx: float  # client errors other than 429
    share_429: float
    share_5xx: float  # 500, 504, 529
    share_timeout: float
    timeout_share_long_blocking: float  # non-streaming calls with long outputs
    timeout_share_long_streaming: float
    usd_per_1k_input: float  # realised price: spend on input / input tokens, over the model mix
    usd_per_1k_output: float
    funnel: tuple[tuple[str, int], ...]
    activation_rate: float
    first_week_4xx_share: float
    later_4xx_share: float
    monthly_active_developers: int
    production_integrations: int
    paid_developers: int
    api_spend_usd: float
    top10_spend_share: float
    worst_hour_5xx_share: float
    worst_hour_day: int
    worst_hour_of_day: int
    surges: tuple[SurgeFlag, ...]

    def report(self) -> str:
        """The dashboard as text, technical metrics first."""
        f = self
        lines = [
            f"Last {f.window_days} days · {f.requests:,} calls",
            "Technical",
            f"  TTFT (streamed, p50 / p95 / p99): {f.ttft_p50_s:.2f} / {f.ttft_p95_s:.2f} / {f.ttft_p99_s:.2f} s",
            "  TTFT p50 by model: " + ", ".join(f"{m} {v:.2f} s" for m, v in f.ttft_p50_by_model_s.items()),
            "  output tokens/s p50: " + ", ".join(f"{m} {v:.0f}" for m, v in f.tokens_per_s_p50_by_model.items()),
            f"  errors: 4xx {f.share_4xx:.2%} · 429 {f.share_429:.2%} · 5xx {f.share_5xx:.2%} · "
            f"timeouts {f.share_timeout:.2%}",
            f"  timeouts on long outputs: {f.timeout_share_long_blocking:.1%} without streaming, "
            f"{f.timeout_share_long_streaming:.1%} streamed",
            f"  realised price: ${f.usd_per_1k_input:.5f} per 1K input tokens, ${f.usd_per_1k_output:.5f} per 1K output",
            "Product",
            "  funnel: " + " → ".join(f"{name} {n:,}" for name, n in f.funnel),
            f"  activation (first successful call within {ACTIVATION_DAYS} days): {f.activation_rate:.1%}",
            f"  4xx share in a developer's first week {f.first_week_4xx_share:.1%} vs later {f.later_4xx_share:.1%}",
            f"  monthly active developers {f.monthly_active_developers:,} · production integrations "
            f"{f.production_integrations:,} · paid {f.paid_developers:,}",
            f"  API spend ${f.api_spend_usd:,.0f} · top 10 developers {f.top10_spend_share:.0%} of it",
            "Operations",
            f"  worst hour for 5xx: day {f.worst_hour_day}, {f.worst_hour_of_day:02d}:00, "
            f"{f.worst_hour_5xx_share:.0%} of calls",
            "  traffic surges: " + ("; ".join(f"developer {s.developer} on day {s.day}: {s.calls:,} calls "
                                              f"vs ~{s.baseline_calls:.0f} usual" for s in f.surges) or "none"),
        ]
        return "\n".join(lines)


def _share(mask: np.ndarray, within: np.ndarray) -> float:
    n = int(within.sum())
    return float((mask & within).sum() / n) if n else 0.0


def surge_flags(log: RequestLog, *, factor: float = 10.0, min_calls: int = 200, baseline_days: int = 7
                ) -> tuple[SurgeFlag, ...]:
    """Developer-days with more than ``max(min_calls, factor * median of the previous baseline_days)`` calls."""
    positive("factor", factor)
    positive_int("min_calls", min_calls)
    positive_int("baseline_days", baseline_days)
    days, n_dev = log.config.days, len(log.developers)
    per_day = np.bincount(log.developer * days + log.day, minlength=n_dev * days).reshape(n_dev, days)
    padded = np.pad(per_day, ((0, 0), (baseline_days, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, baseline_days, axis=1)[:, :days]
    baseline = np.median(windows, axis=2)  # the baseline_days before each day
    hit = per_day > np.maximum(min_calls, factor * baseline)
    return tuple(SurgeFlag(int(d), int(day), int(per_day[d, day]), float(baseline[d, day]))
                 for d, day in zip(*np.nonzero(hit), strict=True))


def compute_dashboard(log: RequestLog, *, window_days: int = 30, production_min_days: int = 15) -> Dashboard:
    """Section 6's metrics from ``log``: the last ``window_days`` for traffic; production integrations are
    developers with successful calls on at least ``production_min_days`` of those days."""
    cfg, devs = log.config, log.developers
    positive_int("window_days", window_days)
    positive_int("production_min_days", production_min_days)
    end_day = cfg.days
    recent = log.day >= end_day - window_days
    ok = log.status == 200
    streamed_ok = recent & ok & log.stream
    ttft = log.ttft_s[streamed_ok]
    models = cfg.models
    ttft_by_model = {m: float(np.median(log.ttft_s[streamed_ok & (log.model == k)])) for k, m in enumerate(models)}
    speed = log.output_tokens / (log.latency_s - log.ttft_s)
    speed_by_model = {m: float(np.median(speed[recent & ok & (log.model == k)])) for k, m in enumerate(models)}
    is_4xx = (log.status >= 400) & (log.status < 500) & (log.status != 429)
    long_out = _long_output(log)
    spend_in, spend_out = _spend_split(log)
    # Funnel over the cohort that signed up at least window_days before the end.
    cohort = devs.signup_day < end_day - window_days
    first_ok = np.full(len(devs), np.inf)
    np.minimum.at(first_ok, log.developer[ok], log.time_s[ok] / SECONDS_PER_DAY)
    called = np.zeros(len(devs), dtype=bool)
    called[log.developer] = True
    activated = first_ok <= devs.signup_day + ACTIVATION_DAYS
    n_dev = len(devs)
    active_days = np.bincount(np.unique(log.developer[recent & ok] * end_day + log.day[recent & ok]) // end_day,
                              minlength=n_dev)
    production = active_days >= production_min_days
    spend_by_dev = np.bincount(log.developer, weights=log.spend_usd, minlength=n_dev)
    paid = spend_by_dev > cfg.free_credit_usd
    funnel = (("signed up", int(cohort.sum())), ("API key", int((cohort & devs.has_key).sum())),
              ("first call", int((cohort & called).sum())), ("activated", int((cohort & activated).sum())),
              ("production", int((cohort & production).sum())), ("paid", int((cohort & paid).sum())))
    first_week = log.time_s < (devs.first_call_day[log.developer] + 7) * SECONDS_PER_DAY
    window_spend = np.bincount(log.developer[recent], weights=log.spend_usd[recent], minlength=n_dev)
    hour = (log.time_s // 3600).astype(int)
    is_5xx = log.status >= 500
    calls_per_hour = np.bincount(hour)
    errors_per_hour = np.bincount(hour, weights=is_5xx.astype(float), minlength=calls_per_hour.size)
    busy = calls_per_hour >= 20  # ignore near-empty hours
    worst = int(np.argmax(np.where(busy, errors_per_hour / np.maximum(calls_per_hour, 1), -1)))
    return Dashboard(
        window_days=window_days, requests=int(recent.sum()),
        ttft_p50_s=float(np.percentile(ttft, 50)), ttft_p95_s=float(np.percentile(ttft, 95)),
        ttft_p99_s=float(np.percentile(ttft, 99)), ttft_p50_by_model_s=ttft_by_model,
        tokens_per_s_p50_by_model=speed_by_model,
        share_4xx=_share(is_4xx, recent), share_429=_share(log.status == 429, recent),
        share_5xx=_share(is_5xx, recent), share_timeout=_share(log.status == TIMEOUT, recent),
        timeout_share_long_blocking=_share(log.status == TIMEOUT, recent & long_out & ~log.stream),
        timeout_share_long_streaming=_share(log.status == TIMEOUT, recent & long_out & log.stream),
        usd_per_1k_input=float(spend_in[recent & ok].sum() / log.input_tokens[recent & ok].sum() * 1000),
        usd_per_1k_output=float(spend_out[recent & ok].sum() / log.output_tokens[recent & ok].sum() * 1000),
        funnel=funnel, activation_rate=float((cohort & activated).sum() / max(1, cohort.sum())),
        first_week_4xx_share=_share(is_4xx, first_week), later_4xx_share=_share(is_4xx, ~first_week),
        monthly_active_developers=int((active_days > 0).sum()), production_integrations=int(production.sum()),
        paid_developers=int(paid.sum()), api_spend_usd=float(window_spend.sum()),
        top10_spend_share=float(np.sort(window_spend)[-10:].sum() / window_spend.sum()),
        worst_hour_5xx_share=float(errors_per_hour[worst] / calls_per_hour[worst]),
        worst_hour_day=worst // 24, worst_hour_of_day=worst % 24, surges=surge_flags(log))


def _long_output(log: RequestLog) -> np.ndarray:
    """Calls that allowed a long answer: ``max_tokens`` above the config's ``long_output_tokens``."""
    return log.max_tokens > log.config.long_output_tokens


def _spend_split(log: RequestLog) -> tuple[np.ndarray, np.ndarray]:
    """Each call's spend on input and on output tokens, at list price."""
    from techpm.calc.cost import api_cost_usd

    per_in = np.array([api_cost_usd(m, 1, 0) for m in log.config.models])
    per_out = np.array([api_cost_usd(m, 0, 1) for m in log.config.models])
    ok = log.status == 200
    return log.input_tokens * per_in[log.model] * ok, log.output_tokens * per_out[log.model] * ok


def plot_dashboard(log: RequestLog, dash: Dashboard, fig=None):  # noqa: ANN001 - a matplotlib Figure
    """Two panels over the log's days: error rates (the incident, the first-week effect) and calls per day
    (growth, and the surges ``surge_flags`` found, marked). Draws on ``fig`` or on a new 9.6 x 3 in Figure."""
    if fig is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(9.6, 3.0), dpi=80)
    ax_err, ax_calls = fig.subplots(1, 2)
    day, n_days = log.day, log.config.days
    calls = np.bincount(day, minlength=n_days).astype(float)
    kinds = {"4xx": (log.status >= 400) & (log.status < 500) & (log.status != 429), "429": log.status == 429,
             "5xx": log.status >= 500, "timeout": log.status == TIMEOUT}
    for name, mask in kinds.items():
        ax_err.plot(np.bincount(day, weights=mask.astype(float), minlength=n_days) / np.maximum(calls, 1) * 100,
                    label=name, lw=1)
    ax_err.set(title="Error rates per day", xlabel="day", ylabel="% of calls")
    ax_err.legend(fontsize=8, ncol=4, frameon=False)
    ax_calls.plot(calls, color="#555", lw=1)
    for s in dash.surges:
        ax_calls.plot([s.day], [calls[s.day]], "o", color="#b00", markersize=5)
        ax_calls.text(s.day, calls[s.day], f"developer {s.developer}  ", color="#b00", fontsize=8, ha="right")
    ax_calls.set(title="Calls per day (surges in red)", xlabel="day")
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.16, top=0.88, wspace=0.22)
    return fig


def dashboard_image(log: RequestLog, dash: Dashboard):  # noqa: ANN201 - an IPython Image
    """``plot_dashboard`` rendered once to PNG, for display in a notebook without importing pyplot."""
    import io

    from IPython.display import Image

    buffer = io.BytesIO()
    plot_dashboard(log, dash).savefig(buffer, format="png")
    return Image(data=buffer.getvalue(), format="png")
