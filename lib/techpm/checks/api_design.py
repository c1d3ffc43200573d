"""Checks for ``solutions/06_api_design`` / ``exercises/06_api_design``.

Every expected value comes from ``techpm.calc`` or the simulators (``techpm.api_lab``); every hint names
the mistake that produces its ratio.
"""

from __future__ import annotations

import math

from techpm import calc
from techpm.checks import CheckResult, check_choice, check_number

# The exercises' scenarios, in one place so the solution notebook and the checks agree.
PEAK_RPS = 25.0  # Exercises 1-2: peak arrivals at a code-review assistant's API
TTFT_S, OUTPUT_TOKENS, DECODE_TOKENS_PER_S = 0.6, 500, 50.0
SLOTS_PER_REPLICA, TARGET_UTILIZATION = 32, 0.7
FIRST_BURST, SECOND_BURST, GAP_S = 30, 25, 15.0  # Exercise 3: two bursts, 15 s apart
BURST_TIMES_S = (0.0,) * FIRST_BURST + (GAP_S,) * SECOND_BURST
LIMIT_RPS, LIMIT_BURST = 2.0, 20
FAILURE_PROBABILITY = 0.4  # Exercise 5: share of attempts that fail during an overload
SERVING_COST_USD_PER_MTOK = 1.5  # Exercise 6
CANDIDATE_PLANS = (
    calc.PricingPlan("per token", "per_token", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0),
    calc.PricingPlan("per request", "per_request", usd_per_request=0.01),
    calc.PricingPlan("per seat", "seat", usd_per_seat=30.0),
    calc.PricingPlan("volume tiers", "tiered", tiers=calc.volume_discount_tiers(3.0)),
)
MIN_MARGIN = 0.6


def request_latency_s() -> float:
    """Exercise 1's mean time in the system: first token, then the rest at the decode speed."""
    return TTFT_S + OUTPUT_TOKENS / DECODE_TOKENS_PER_S


def concurrency(answer: object) -> CheckResult:
    """Exercise 1: requests in flight at peak (Little's law)."""
    expected = calc.little_concurrency(PEAK_RPS, request_latency_s())
    return check_number("Exercise 1 · requests in flight", answer, expected, hints={
        (OUTPUT_TOKENS / DECODE_TOKENS_PER_S) / request_latency_s():
            "add the time to first token: a request occupies its slot from arrival to its last token.",
        TTFT_S / request_latency_s(): "a request stays in flight until its last token, not just its first.",
        (TTFT_S + DECODE_TOKENS_PER_S / OUTPUT_TOKENS) / request_latency_s():
            "generation time is tokens divided by tokens per second (500 / 50), not the other way round.",
        1 / PEAK_RPS ** 2: "Little's law multiplies the rate by the latency: L = lambda * W.",
    }, unit="requests")


def replicas(answer: object) -> CheckResult:
    """Exercise 2: replicas to provision at the target utilization."""
    needed = calc.little_concurrency(PEAK_RPS, request_latency_s())
    expected = calc.replicas_for_concurrency(needed, SLOTS_PER_REPLICA, TARGET_UTILIZATION)
    hints = {
        calc.replicas_for_concurrency(needed, SLOTS_PER_REPLICA, 1.0) / expected:
            f"leave headroom: fill only {TARGET_UTILIZATION:.0%} of the slots, or a spike queues every request.",
        math.floor(needed / (SLOTS_PER_REPLICA * TARGET_UTILIZATION)) / expected:
            "round up: a fraction of a replica does not exist, and rounding down overloads the rest.",
    }
    return check_number("Exercise 2 · replicas", answer, expected, rel_tol=1e-6, hints=hints, unit="replicas")


def bucket_allowed(answer: object) -> CheckResult:
    """Exercise 3: requests a token bucket admits from two bursts."""
    result = calc.simulate_token_bucket(list(BURST_TIMES_S), LIMIT_RPS, LIMIT_BURST)
    no_refill = LIMIT_BURST
    no_cap = LIMIT_BURST + min(SECOND_BURST, LIMIT_RPS * GAP_S)
    return check_number("Exercise 3 · admitted requests", answer, result.allowed, rel_tol=1e-6, hints={
        no_refill / result.allowed: "the bucket refills between the bursts, at 2 tokens per second.",
        no_cap / result.allowed: f"the bucket never holds more than its burst ({LIMIT_BURST} tokens), "
                                 "however long it waits.",
        (len(BURST_TIMES_S) - result.allowed) / result.allowed: "that is the number throttled; the question "
                                                                "asks how many got through.",
    }, unit="requests")


def sdk_wait(answer: object) -> CheckResult:
    """Exercise 4: the SDK's mean total backoff over its default retries when no retry-after is sent."""
    retries = calc.SDK_DEFAULT_MAX_RETRIES
    expected = calc.expected_total_backoff_s(retries, "sdk")
    return check_number("Exercise 4 · SDK backoff", answer, expected, hints={
        calc.expected_total_backoff_s(retries, "none") / expected:
            "the SDK multiplies each wait by a random factor between 0.75 and 1 (mean 0.875).",
        calc.expected_total_backoff_s(retries, "full") / expected:
            "that is AWS's full jitter (uniform from 0); the SDK's jitter only trims up to 25%.",
        calc.expected_backoff_s(0, "sdk") / expected: "there are two retries by default, hence two waits.",
        calc.expected_total_backoff_s(retries + 1, "sdk") / expected:
            "the third attempt is the last: two waits come before it, not three.",
    }, unit="s")


def retry_load(answer: object) -> CheckResult:
    """Exercise 5: attempts per request during an overload, with the SDK's default retries."""
    expected = calc.retry_attempts_expected(FAILURE_PROBABILITY, calc.SDK_DEFAULT_MAX_RETRIES)
    return check_number("Exercise 5 · retry amplification", answer, expected, hints={
        (calc.SDK_DEFAULT_MAX_RETRIES + 1) / expected: "only failed attempts are retried: most requests "
                                                       "succeed before the last retry.",
        calc.retry_attempts_expected(FAILURE_PROBABILITY, 1) / expected: "the SDK retries twice by default.",
        1 / (1 - FAILURE_PROBABILITY) / expected: "retries stop after two: the series 1 + p + p² ends there.",
    }, unit="attempts per request")


def plan_results() -> dict[str, calc.PlanEconomics]:
    """Exercise 6: each candidate plan's economics over the simulated customers."""
    from techpm.api_lab.customers import simulate_customers

    customers = simulate_customers()
    return {p.name: calc.plan_economics(p, customers, SERVING_COST_USD_PER_MTOK, SERVING_COST_USD_PER_MTOK)
            for p in CANDIDATE_PLANS}


def best_plan() -> str:
    """The one candidate with gross margin >= MIN_MARGIN and no customer served at a loss."""
    ok = [name for name, e in plan_results().items()
          if e.gross_margin >= MIN_MARGIN and e.unprofitable_customers == 0]
    if len(ok) != 1:
        raise ValueError(f"Exercise 6 should have exactly one qualifying plan, found {ok}.")
    return ok[0]


def pricing_choice(answer: object) -> CheckResult:
    """Exercise 6: the plan that keeps the margin and serves nobody at a loss."""
    results, expected = plan_results(), best_plan()
    why = {}
    for name, e in results.items():
        if name == expected:
            why[name] = f"{e.gross_margin:.0%} margin and every customer pays more than they cost."
        else:
            why[name] = (f"its gross margin is {e.gross_margin:.0%} and {e.unprofitable_customers} customers "
                         "cost more than they pay: revenue does not follow the tokens served.")
    return check_choice("Exercise 6 · pricing model", answer, expected, why)


def stream_error_class() -> str:
    """What the SDK raises when an overload interrupts a stream that began with HTTP 200 (observed)."""
    import anthropic

    from techpm.api_lab import sdk

    api = sdk.ScriptedAPI([sdk.stream_reply(["Half ", "an ", "answer"], error_after=2)])
    try:
        with api.client().messages.stream(model="claude-haiku-5-5", max_tokens=16,
                                          messages=[{"role": "user", "content": "Hi"}]) as stream:
            for _ in stream.text_stream:
                pass
    except anthropic.APIStatusError as exc:
        return type(exc).__name__
    raise ValueError("the scripted stream did not fail")  # pragma: no cover


def stream_error(answer: object) -> CheckResult:
    """Exercise 7: the class an interrupted stream raises."""
    expected = stream_error_class()
    return check_choice("Exercise 7 · errors in a stream", answer, expected, {
        expected: "the HTTP status was already 200 when the error event arrived, so the SDK cannot map it "
                  "to a status class: branch on `err.type == 'overloaded_error'` instead.",
        "OverloadedError": "that is what a 529 status raises; inside a 200 stream there is no 529 to map.",
        "RateLimitError": "rate limits are refused before the stream starts, with a 429 status.",
        "APITimeoutError": "a timeout is the client giving up; here the server sent an error event.",
    })


def activation_rate(answer: object, dashboard: object) -> CheckResult:
    """Exercise 8: activation rate from the dashboard's funnel (activated / signed up)."""
    funnel = dict(dashboard.funnel)  # type: ignore[attr-defined]
    expected = funnel["activated"] / funnel["signed up"]
    return check_number("Exercise 8 · activation rate", answer, expected, rel_tol=0.005, hints={
        funnel["signed up"] / funnel["first call"]: "divide by everyone who signed up, not only those who called.",
        funnel["signed up"] / funnel["API key"]: "divide by everyone who signed up, not only key holders.",
        100: "give a share between 0 and 1, not a percentage.",
    })
