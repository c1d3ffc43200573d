"""The simulated API platform: the real anthropic SDK offline, the limiter under load, the request log
and its dashboard, idempotency. Each figure is checked against an independent recomputation."""

from __future__ import annotations

import math

import anthropic
import numpy as np
import pytest

from techpm import calc
from techpm.api_lab import dashboard, idempotency, load, requestlog, sdk
from techpm.errors import TechpmError

# --------------------------------------------------------------------------------------------------
# The real SDK against a scripted API
# --------------------------------------------------------------------------------------------------


def test_sdk_retries_a_429_after_the_announced_wait_and_then_succeeds():
    api = sdk.ScriptedAPI([sdk.error_reply(429, "rate_limit_error", retry_after_s=0.03), sdk.ok_reply("Hi")])
    with sdk.sdk_retry_log() as waits:
        message = sdk.ask(api.client(max_retries=2))
    assert message.content[0].text == "Hi"
    assert [r.retry_count for r in api.requests] == [0, 1]
    assert waits == [pytest.approx(0.03)]
    assert api.requests[1].time_s - api.requests[0].time_s >= 0.03
    first = api.requests[0]
    assert first.path == "/v1/messages" and first.body["model"] == "claude-haiku-5-5"
    assert first.headers["anthropic-version"] == sdk.sdk_facts().api_version == "2026-10-21"
    assert first.headers["authorization"] == f"Bearer {sdk.OFFLINE_KEY}"
    assert not any("idempotency" in h for h in first.headers)  # the Anthropic client sends no key


def test_sdk_gives_up_on_529_after_its_retries_with_overloaded_error():
    api = sdk.ScriptedAPI([sdk.error_reply(529, "overloaded_error", retry_after_s=0.001)])
    with pytest.raises(anthropic.OverloadedError) as info:
        sdk.ask(api.client(max_retries=3))
    assert len(api.requests) == 4 and info.value.status_code == 529
    assert info.value.type == "overloaded_error" and info.value.request_id == "req_offline_529"
    assert isinstance(info.value, anthropic.InternalServerError)


def test_timeouts_raise_api_timeout_error_without_retry_when_retries_are_off():
    api = sdk.ScriptedAPI([sdk.timeout_reply()])
    with pytest.raises(anthropic.APITimeoutError):
        sdk.ask(api.client(max_retries=0))
    assert len(api.requests) == 1


def test_error_table_matches_the_sdks_retry_policy():
    rows = {r.status: r for r in sdk.error_table()}
    assert set(rows) == set(sdk.API_ERROR_TYPES)
    for status, row in rows.items():
        assert row.retried == (status in (408, 409, 429) or status >= 500)
        assert row.attempts == (2 if row.retried else 1)
    assert rows[429].exception == "RateLimitError" and rows[529].exception == "OverloadedError"
    assert rows[400].exception == "BadRequestError" and rows[401].exception == "AuthenticationError"
    assert "RateLimitError" in sdk.format_error_table(rows.values())


def test_stream_is_parsed_by_the_sdk_into_events_text_and_usage():
    chunks = ["Rate limits ", "protect ", "everyone."]
    api = sdk.ScriptedAPI([sdk.stream_reply(chunks, input_tokens=21)])
    client = api.client()
    with client.messages.stream(model="claude-haiku-5-5", max_tokens=64,
                                messages=[{"role": "user", "content": "Why?"}]) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "".join(chunks) and final.content[0].text == text
    assert final.usage.input_tokens == 21 and final.usage.output_tokens == len(chunks)
    raw = client.messages.create(model="claude-haiku-5-5", max_tokens=64, stream=True,
                                 messages=[{"role": "user", "content": "Why?"}])
    types = [event.type for event in raw]  # ping is dropped by the SDK
    assert types == [e["type"] for e in sdk.stream_events(chunks) if e["type"] != "ping"]
    assert sdk.encode_sse([{"type": "ping"}]) == b'event: ping\ndata: {"type": "ping"}\n\n'


def test_an_error_inside_a_200_stream_is_not_an_overloaded_error_class():
    api = sdk.ScriptedAPI([sdk.stream_reply(["Half ", "an ", "answer"], error_after=2)])
    seen = []
    with pytest.raises(anthropic.APIStatusError) as info:
        with api.client().messages.stream(model="claude-haiku-5-5", max_tokens=64,
                                          messages=[{"role": "user", "content": "Go"}]) as stream:
            seen.extend(stream.text_stream)
    assert seen == ["Half ", "an "]
    assert info.value.status_code == 200 and info.value.type == "overloaded_error"
    assert not isinstance(info.value, anthropic.OverloadedError)


def test_sdk_backoff_schedule_lies_in_the_calculators_ranges():
    for seed in range(20):
        waits = sdk.sdk_backoff_schedule(6, seed=seed)
        for n, wait in enumerate(waits):
            lo, hi = calc.backoff_delay_range_s(n, "sdk")
            assert lo <= wait <= hi
    assert sdk.sdk_backoff_schedule(3, seed=1) == sdk.sdk_backoff_schedule(3, seed=1)
    draws = [sdk.sdk_backoff_schedule(1, seed=s)[0] for s in range(400)]
    assert np.mean(draws) == pytest.approx(calc.expected_backoff_s(0, "sdk"), rel=0.02)


def test_sdk_facts_deprecations_and_surface_come_from_the_package():
    from anthropic._data import DEPRECATED_MODELS

    facts = sdk.sdk_facts()
    assert facts.sdk_version == anthropic.__version__ and facts.default_max_retries == calc.SDK_DEFAULT_MAX_RETRIES
    assert dict(sdk.deprecated_models()) == DEPRECATED_MODELS
    deprecated = sdk.deprecated_models()[0][0]
    assert deprecated in sdk.deprecation_warning(deprecated)
    assert sdk.deprecation_warning("claude-haiku-5-5") is None
    surface = sdk.api_surface()
    assert {"create", "stream", "count_tokens"} <= set(surface["messages"])
    assert {"create", "results"} <= set(surface["messages.batches"])
    with pytest.raises(TechpmError, match="replies"):
        sdk.ScriptedAPI([])


# --------------------------------------------------------------------------------------------------
# Load through the limiter
# --------------------------------------------------------------------------------------------------


def test_load_is_deterministic_and_consistent():
    a = load.simulate_rate_limited_load(seed=4)
    b = load.simulate_rate_limited_load(seed=4)
    assert np.array_equal(a.arrivals_s, b.arrivals_s) and np.array_equal(a.attempts, b.attempts, equal_nan=False)
    assert np.all(np.diff(a.arrivals_s) >= 0)
    failed = np.isnan(a.admitted_s)
    assert np.all(a.attempts[failed] == calc.SDK_DEFAULT_MAX_RETRIES + 1)  # gave up only after every retry
    assert np.all(a.admitted_s[~failed] >= a.arrivals_s[~failed])
    assert sum(s.requests for s in a.stats) == a.arrivals_s.size
    assert "chat app" in a.table()


def test_first_attempts_through_the_limiter_match_the_plain_token_bucket_when_nobody_retries():
    run = load.simulate_rate_limited_load(max_retries=0, rate_per_s=3.0, burst=15, seed=2)
    plain = calc.simulate_token_bucket(run.arrivals_s.tolist(), 3.0, 15)
    assert np.array_equal(~np.isnan(run.admitted_s), np.array(plain.decisions))


def test_per_tenant_limits_protect_the_steady_tenant_from_the_bursty_one():
    shared = {s.name: s for s in load.simulate_rate_limited_load(limiter="shared").stats}
    split = {s.name: s for s in load.simulate_rate_limited_load(limiter="per_tenant").stats}
    assert split["chat app"].throttled_first_try_share < shared["chat app"].throttled_first_try_share
    assert split["chat app"].p99_latency_s <= shared["chat app"].p99_latency_s
    assert shared["batch job"].throttled_first_try_share > shared["chat app"].throttled_first_try_share
    roomy = load.simulate_rate_limited_load(rate_per_s=1e6, burst=1e6)
    assert all(s.throttled_first_try_share == 0 and s.failed_share == 0 for s in roomy.stats)


def test_jitter_spreads_a_thundering_herd():
    herds = {j: load.retry_herd(j) for j in calc.JITTER_KINDS}
    assert herds["full"].peak_retries_per_bin < herds["none"].peak_retries_per_bin
    assert herds["full"].total_attempts < herds["none"].total_attempts
    assert herds["full"].completed_share >= herds["none"].completed_share
    assert load.retry_herd("none", capacity_per_s=1e6).total_attempts == 300  # nobody had to retry
    with pytest.raises(TechpmError, match="jitter"):
        load.retry_herd("random")


def test_tenants_reject_bad_settings():
    with pytest.raises(TechpmError, match="burst_size"):
        load.Tenant("x", burst_size=-1)
    with pytest.raises(TechpmError, match="limiter"):
        load.simulate_rate_limited_load(limiter="global")


# --------------------------------------------------------------------------------------------------
# Request log and dashboard
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def log():
    return requestlog.simulate_request_log()


@pytest.fixture(scope="module")
def dash(log):
    return dashboard.compute_dashboard(log)


def test_log_is_seeded_sorted_and_priced_at_list_price(log):
    again = requestlog.simulate_request_log()
    assert np.array_equal(log.time_s, again.time_s) and np.array_equal(log.status, again.status)
    assert np.all(np.diff(log.time_s) >= 0)
    ok = log.status == 200
    assert np.all(np.isnan(log.ttft_s[~ok])) and np.all(log.output_tokens[~ok] == 0)
    assert np.all(log.ttft_s[ok] < log.latency_s[ok])
    for i in np.flatnonzero(ok)[:50:7]:
        model = log.config.models[log.model[i]]
        assert log.spend_usd[i] == pytest.approx(calc.api_cost_usd(model, int(log.input_tokens[i]), int(log.output_tokens[i])))
    assert set(np.unique(log.status)) <= {0, 200, 400, 401, 404, 413, 429, 500, 504, 529}
    assert np.all(log.max_tokens >= np.where(ok, log.output_tokens, 0))
    assert "status" in log.head(3)


def test_dashboard_error_shares_and_percentiles_recomputed_by_hand(log, dash):
    day = log.day.tolist()
    recent = [i for i in range(len(log)) if day[i] >= log.config.days - 30]
    statuses = [int(log.status[i]) for i in recent]
    assert dash.requests == len(recent)
    assert dash.share_429 == pytest.approx(statuses.count(429) / len(recent))
    assert dash.share_5xx == pytest.approx(sum(s >= 500 for s in statuses) / len(recent))
    assert dash.share_4xx == pytest.approx(sum(400 <= s < 500 and s != 429 for s in statuses) / len(recent))
    ttft = sorted(float(log.ttft_s[i]) for i in recent if log.status[i] == 200 and log.stream[i])
    assert dash.ttft_p50_s == pytest.approx(ttft[len(ttft) // 2], rel=1e-3)
    assert dash.ttft_p50_s < dash.ttft_p95_s < dash.ttft_p99_s
    assert dash.timeout_share_long_blocking > 10 * dash.timeout_share_long_streaming
    assert "TTFT" in dash.report() and "funnel" in dash.report()


def test_activation_and_funnel_recomputed_per_developer(log, dash):
    devs, end = log.developers, log.config.days
    cohort = [d for d in range(len(devs)) if devs.signup_day[d] < end - 30]
    first_ok: dict[int, float] = {}
    for t, d, s in zip(log.time_s, log.developer, log.status, strict=True):
        if s == 200 and d not in first_ok:
            first_ok[int(d)] = t / requestlog.SECONDS_PER_DAY
    activated = [d for d in cohort if d in first_ok and first_ok[d] <= devs.signup_day[d] + 7]
    assert dash.activation_rate == pytest.approx(len(activated) / len(cohort))
    counts = [n for _, n in dash.funnel]
    assert counts[0] == len(cohort) and counts == sorted(counts, reverse=True)
    assert dash.first_week_4xx_share > dash.later_4xx_share


def test_operations_views_find_the_incident_and_the_leaked_key(log, dash):
    assert dash.worst_hour_day == log.config.incident_day
    assert [(s.developer, s.day) for s in dash.surges] == [(log.leaked_developer, log.config.leak_day)]
    assert dash.surges[0].calls >= log.config.leak_calls
    assert dashboard.surge_flags(log, factor=1e9, min_calls=10**9) == ()


def test_dashboard_figure_plots_the_daily_series(log, dash):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = dashboard.plot_dashboard(log, dash, Figure())
    errors, calls = fig.axes
    assert [line.get_label() for line in errors.get_lines()] == ["4xx", "429", "5xx", "timeout"]
    daily = calls.get_lines()[0].get_ydata()
    assert daily.sum() == len(log) and daily.argmax() == log.config.leak_day
    assert dashboard.dashboard_image(log, dash).data[:4] == b"\x89PNG"


# --------------------------------------------------------------------------------------------------
# Idempotency
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("p, retries", [(0.0, 2), (0.1, 2), (0.3, 4), (1.0, 2)])
def test_keys_make_retries_safe_and_the_duplicates_match_the_formula(p, retries):
    keyed = idempotency.simulate_idempotency(20_000, p_response_lost=p, max_retries=retries, use_keys=True)
    bare = idempotency.simulate_idempotency(20_000, p_response_lost=p, max_retries=retries, use_keys=False)
    assert keyed.executions == keyed.requests and keyed.duplicate_executions == 0
    assert keyed.replays == keyed.attempts - keyed.requests
    expected = calc.retry_attempts_expected(p, retries) - 1
    assert bare.duplicate_executions / bare.requests == pytest.approx(expected, rel=0.05, abs=0.003)
    if p == 1.0:
        assert bare.executions == bare.requests * (retries + 1)
    assert math.isclose(bare.attempts, bare.executions)


def test_simulated_customers_are_seeded_and_heavy_tailed():
    from techpm.api_lab.customers import CustomerConfig, simulate_customers

    a, b = simulate_customers(), simulate_customers()
    assert a == b and len(a) == CustomerConfig().customers
    tokens = np.array([c.input_tokens + c.output_tokens for c in a])
    assert np.percentile(tokens, 99) > 20 * np.median(tokens)  # a few customers use most
    assert all(c.seats >= 1 and c.requests >= 1 for c in a)
    with pytest.raises(TechpmError, match="customers"):
        CustomerConfig(customers=0)


# --------------------------------------------------------------------------------------------------
# Exercise checks
# --------------------------------------------------------------------------------------------------


def test_exercise_checks_accept_the_answer_and_explain_the_usual_mistakes(dash):
    from techpm.checks import api_design as check

    # Solutions worked out independently of the checks' own arithmetic.
    latency = 0.6 + 500 / 50
    assert check.concurrency(25 * latency).passed
    assert "time to first token" in check.concurrency(25 * 500 / 50).message
    assert check.replicas(math.ceil(25 * latency / (32 * 0.7))).passed
    assert "headroom" in check.replicas(math.ceil(25 * latency / 32)).message
    assert "round up" in check.replicas(math.floor(25 * latency / (32 * 0.7))).message
    assert check.bucket_allowed(20 + 20).passed  # 20 at once, then 15 s x 2/s = 30 tokens, capped at 20
    assert "refills" in check.bucket_allowed(20).message and "never holds more" in check.bucket_allowed(45).message
    assert check.sdk_wait(0.875 * (0.5 + 1.0)).passed
    assert "0.75 and 1" in check.sdk_wait(1.5).message
    assert check.retry_load(1 + 0.4 + 0.16).passed and "only failed" in check.retry_load(3).message
    assert check.pricing_choice("per token").passed
    assert "cost more than they pay" in check.pricing_choice("per seat").message
    assert check.stream_error("APIStatusError").passed
    assert "529" in check.stream_error("OverloadedError").message
    funnel = dict(dash.funnel)
    assert check.activation_rate(funnel["activated"] / funnel["signed up"], dash).passed
    assert "not only those who called" in check.activation_rate(funnel["activated"] / funnel["first call"], dash).message
    assert check.concurrency(...).status == "not done"
