"""A developer platform: the API surface, rate limits, retries, versioning, and capacity for the peak."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import num

BURST = 20
RATE_PER_S = 1.0


def _figures(ctx: Ctx) -> None:
    bucket = calc.simulate_token_bucket([0.0] * 30, rate_per_s=RATE_PER_S, burst=BURST)
    ctx.add("rate_limit", f"One developer's burst against a 60-a-minute limit on {ctx.values['product']}", bucket.throttled,
            f"{bucket.allowed} of 30 simultaneous requests pass with a burst of {BURST}; {bucket.throttled} get a "
            f"429 with retry-after up to {max(bucket.retry_after_s):.0f} s",
            f"token bucket: refill {RATE_PER_S:g}/s, capacity {BURST}", "calc.simulate_token_bucket",
            "one retry storm absorbed without hurting other developers")
    ok = calc.retry_success_probability(0.02, calc.SDK_DEFAULT_MAX_RETRIES)
    wait = calc.expected_total_backoff_s(calc.SDK_DEFAULT_MAX_RETRIES)
    ctx.add("retries", f"Client retries against {ctx.values['product']}", ok,
            f"with 2% transient failures, {ok:.4%} of calls succeed within {calc.SDK_DEFAULT_MAX_RETRIES} retries, "
            f"waiting {wait:.2f} s on average at most", "1 - p^(retries + 1); capped exponential backoff",
            "calc.retry_success_probability, calc.expected_total_backoff_s", "the anthropic SDK's defaults")
    s = ctx.scale
    inflight = calc.little_concurrency(s.peak_rps, 2.0)
    ctx.add("inflight", "Requests in flight at the peak", inflight,
            f"{num(inflight)} open requests at {num(s.peak_rps)} a second if each takes 2 s: the gateway's "
            "connection and queue limits", "L = lambda x W (Little's law)", "calc.little_concurrency",
            "2 s per request, streamed", uses=(s.peak_from, s.users_from))


FACET = Facet(
    name="platform",
    title="Developer platform and API",
    cues=((r"\bapis?\b", 2), (r"developer platform|developer experience|\bdx\b|\bsdks?\b", 4),
          (r"rate[- ]limit|quotas?|versioning|backward[- ]compat|breaking changes?|webhooks?|endpoints?", 3),
          (r"developers?", 1), (r"platform", 1), (r"\bbreaking\b|backward", 2),
          (r"integrations?|model version|deprecat|migrat", 2),
          (r"gateway|proxy|internal (?:platform|teams)|build or buy|build vs\.? buy", 3), (r"\bllms?\b", 1)),
    threshold=4.0,
    concept_groups=(
        ("rate limit", "429", "quota"),
        ("versioning", "version"),
        ("sdk",),
        ("retry", "backoff"),
    ),
    domain_terms=("retry storm", "jitter", "open connections"),
    scoping=(
        "Who are the developers of <<product>> (startups, enterprises, internal teams), and what do they build first?",
        "What limits protect the platform: requests and tokens per minute, by tier, and how are they raised?",
        "How will <<product>> ship improvements without breaking integrations already in production?",
    ),
    personas=(Persona("developer", "The application developer integrating <<product>>",
                      "wires a third-party API into a product under a deadline",
                      "strong generalist; reads docs only when the quickstart fails",
                      "opaque errors, surprise rate limits, breaking changes and bills they cannot predict",
                      "a first call in minutes, typed SDKs, clear errors with request ids, and stable versions"),),
    stages=("developer app --> [SDK: retries with backoff, idempotency keys] --> [gateway: auth, rate limits, versions] --> service",),
    components=(
        ("Surface", "REST with streaming for interactive calls, batch for bulk, webhooks for long jobs, and "
         "typed SDKs that carry retries and idempotency keys so developers do not hand-roll them."),
        ("Limits", "Token buckets per key and tier on requests and tokens, returning 429 with retry-after "
         "[[rate_limits]]; queueing time and limits visible in a dashboard."),
    ),
    figures=_figures,
    deep_dive=("Limits and retries protect everyone",
               "A platform is shared: one developer's retry storm becomes everyone's latency. Token buckets "
               "absorb bursts up to a size and then say no with a retry-after, SDK retries back off with "
               "jitter, and Little's law turns the peak into the open connections the gateway must hold "
               "[[littles_law]]."),
    risks=(("Breaking changes", "a changed response shape breaks production apps: date-pinned versions and "
            "long deprecation windows [[stripe_versioning]]."),),
    api=("GET  /v1/limits     (current limits and usage for the key)",),
    metrics=(("Time to first successful call for new developers", "< 10 minutes", "activation"),
             ("Developers with a production integration within 30 days", "rising", "adoption"),
             ("429s at the peak", "< 1% of requests", "limits sized for real use")),
    users_noun="developers",
    tradeoffs=(
        ("Limits", "token buckets per key and tier",
         "fixed windows are simpler but let bursts hit <<product>> at window edges"),
    ),
    recommendation="Make the first call trivial and the limits, errors and versions boringly predictable.",
)
