"""What a hosted model's API call costs.

Prices are list prices in US dollars per million tokens (``usd_per_mtok``), read from
``techpm/data/api_prices.json`` where each row names its source and date.

    cost_usd = (input_tokens * input_price + output_tokens * output_price
                + cache_write_tokens * cache_write_price + cache_read_tokens * cache_read_price) / 1e6
    cost_usd *= (1 - batch_discount)   if the request goes through the Message Batches API

The token counts follow the Messages API's ``usage`` object: ``input_tokens`` are the uncached input
tokens, and the cached ones are counted apart as cache writes (``cache_creation_input_tokens``) and
cache reads (``cache_read_input_tokens``). Source: Anthropic, "Pricing" and "Prompt caching" docs
(https://docs.anthropic.com/en/docs/about-claude/pricing).

Two refinements the table carries for some models:

- **cache lifetime**: a 1-hour cache write costs more than the default 5-minute one
  (``cache_write_ttl="1h"``);
- **long-context tier**: a request whose *prompt* (input + cache writes + cache reads) exceeds
  ``long_context_threshold_tokens`` pays the ``long_context_*`` rates on all of its tokens, output
  included (see the row's notes). A tier is a property of one request, so it applies only when you say
  how many requests the token totals are spread over (``requests=``); without it the standard rates
  apply, as for a single call below the threshold.

The batch discount applies to every part of the bill, cache reads and writes included, so it stacks with
prompt caching (Anthropic, "Batch processing": https://docs.anthropic.com/en/docs/build-with-claude/batch-processing).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from techpm.calc._validate import flag, non_negative, positive, positive_int, probability
from techpm.errors import TechpmError
from techpm.tables import APIPrice, get_api_price

__all__ = ["api_cost_usd", "APICost", "api_cost_breakdown", "api_workload_cost", "routed_cost_usd",
           "CACHE_WRITE_TTLS"]

TOKENS_PER_MTOK = 1_000_000
CACHE_WRITE_TTLS = ("5m", "1h")


@dataclass(frozen=True)
class APICost:
    """A bill split by kind of token, in US dollars (after any batch discount)."""

    model: str
    input_usd: float
    output_usd: float
    cache_write_usd: float
    cache_read_usd: float
    batch: bool
    long_context: bool   # True when the long-context rates were applied

    @property
    def total_usd(self) -> float:
        return self.input_usd + self.output_usd + self.cache_write_usd + self.cache_read_usd


def _rates(price: APIPrice, long_context: bool, ttl: str) -> tuple[float, float | None, float | None, float | None]:
    """(input, output, cache write, cache read) US$/MTok for a standard or a long-context request."""
    write = price.cache_write_usd_per_mtok if ttl == "5m" else price.cache_write_1h_usd_per_mtok
    if not long_context:
        return price.input_usd_per_mtok, price.output_usd_per_mtok, write, price.cache_read_usd_per_mtok
    # A tier without a rate for some kind of token is reported, never silently priced at the base rate.
    if price.long_context_input_usd_per_mtok is None or price.long_context_output_usd_per_mtok is None:
        raise TechpmError(f"{price.id!r} has a long-context threshold but no long-context rates in the table.")
    return (price.long_context_input_usd_per_mtok, price.long_context_output_usd_per_mtok,
            price.long_context_cache_write_usd_per_mtok if ttl == "5m" else None,
            price.long_context_cache_read_usd_per_mtok)


def api_cost_breakdown(
    model: str,
    input_tokens: float,
    output_tokens: float,
    cache_write_tokens: float = 0,
    cache_read_tokens: float = 0,
    batch: bool = False,
    *,
    requests: int | None = None,
    cache_write_ttl: str = "5m",
) -> APICost:
    """The bill for ``model`` split into input, output, cache-write and cache-read dollars.

    Token counts are totals (one call, or many summed). Pass ``requests`` (how many calls the totals
    are spread over, evenly) to apply a per-request long-context tier; see the module docstring.

    Source: Anthropic, "Pricing", https://docs.anthropic.com/en/docs/about-claude/pricing, at the list prices
        of ``data/api_prices.json`` (each row with its URL and date). Batch discount: Anthropic, "Batch
        processing", https://docs.anthropic.com/en/docs/build-with-claude/batch-processing.
    Used in: 07 (via agents.context).
    """
    price = get_api_price(model)
    flag("batch", batch)
    for name, value in (("input_tokens", input_tokens), ("output_tokens", output_tokens),
                        ("cache_write_tokens", cache_write_tokens), ("cache_read_tokens", cache_read_tokens)):
        non_negative(name, value)
    if cache_write_ttl not in CACHE_WRITE_TTLS:
        raise TechpmError(f"cache_write_ttl must be one of {CACHE_WRITE_TTLS}, got {cache_write_ttl!r}.")
    if requests is not None:
        positive_int("requests", requests)
    if price.output_usd_per_mtok is None and output_tokens:
        raise TechpmError(f"{model!r} is an embedding model: it produces no output tokens.")
    prompt_per_request = (input_tokens + cache_write_tokens + cache_read_tokens) / (requests or 1)
    long_context = (requests is not None and price.long_context_threshold_tokens is not None
                    and prompt_per_request > price.long_context_threshold_tokens)
    rate_in, rate_out, rate_write, rate_read = _rates(price, long_context, cache_write_ttl)
    if (cache_write_tokens and rate_write is None) or (cache_read_tokens and rate_read is None):
        raise TechpmError(f"{model!r} has no prompt-caching price in the table"
                          f"{' for a 1-hour cache' if cache_write_ttl == '1h' else ''}.")
    factor = 1.0
    if batch:
        if price.batch_discount is None:
            raise TechpmError(f"{model!r} has no batch price in the table.")
        factor = 1.0 - price.batch_discount
    scale = factor / TOKENS_PER_MTOK
    return APICost(
        model=price.id,
        input_usd=input_tokens * rate_in * scale,
        output_usd=output_tokens * (rate_out or 0.0) * scale,
        cache_write_usd=cache_write_tokens * (rate_write or 0.0) * scale,
        cache_read_usd=cache_read_tokens * (rate_read or 0.0) * scale,
        batch=bool(batch),
        long_context=long_context,
    )


def api_cost_usd(
    model: str,
    input_tokens: float,
    output_tokens: float,
    cache_write_tokens: float = 0,
    cache_read_tokens: float = 0,
    batch: bool = False,
    *,
    requests: int | None = None,
    cache_write_ttl: str = "5m",
) -> float:
    """US dollars for one call (or many, summed) to ``model`` at its tabled list price.

    ``requests``: how many calls the token totals are spread over, so that a per-request
    long-context price tier can be applied (module docstring). ``cache_write_ttl``: '5m' or '1h'.

    >>> round(api_cost_usd("claude-haiku-5-5", 1_000_000, 0), 2) == get_api_price("claude-haiku-5-5").input_usd_per_mtok
    True

    Source: Anthropic, "Pricing", https://docs.anthropic.com/en/docs/about-claude/pricing, at the list prices
        of ``data/api_prices.json`` (each row with its URL and date).
    Used in: 00, exercises; 02 §7, exercises; 03 §8, §9, exercises; 04 §2; 05 §4, §8, exercises; 06 (via api_lab.dashboard); 07 (via agents.context); 08 exercises; 09 §3; 10 exercises.
    """
    return api_cost_breakdown(model, input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, batch,
                              requests=requests, cache_write_ttl=cache_write_ttl).total_usd


def api_workload_cost(
    model: str,
    requests: int,
    prompt_tokens: float,
    output_tokens: float,
    cached_prefix_tokens: float = 0,
    cache_hit_rate: float = 0.0,
    batch: bool = False,
    cache_write_ttl: str = "5m",
) -> APICost:
    """The bill for ``requests`` calls of the same shape, with a shared prompt prefix cached.

    Every call sends ``prompt_tokens`` of which the first ``cached_prefix_tokens`` are the same on every
    call (a system prompt, a document). A fraction ``cache_hit_rate`` of calls finds that prefix in the
    cache (cache read); the others write it (cache write); the rest of the prompt is plain input::

        input        = requests * (prompt_tokens - cached_prefix_tokens)
        cache reads  = requests * cache_hit_rate * cached_prefix_tokens
        cache writes = requests * (1 - cache_hit_rate) * cached_prefix_tokens
        output       = requests * output_tokens

    With no prefix (``cached_prefix_tokens=0``) this is the plain price of ``requests`` calls. The
    long-context tier, if the model has one, is decided per request from ``prompt_tokens``.

    Source: Anthropic, "Pricing", https://docs.anthropic.com/en/docs/about-claude/pricing, at the list prices
        of ``data/api_prices.json`` (each row with its URL and date). Prompt caching: Anthropic, "Prompt
        caching", https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching.
    Used in: 03 (via widgets.inference).
    """
    positive_int("requests", requests)
    positive("prompt_tokens", prompt_tokens)
    non_negative("output_tokens", output_tokens)
    non_negative("cached_prefix_tokens", cached_prefix_tokens)
    probability("cache_hit_rate", cache_hit_rate)
    if cached_prefix_tokens > prompt_tokens:
        raise TechpmError(f"cached_prefix_tokens ({cached_prefix_tokens:g}) cannot exceed prompt_tokens "
                          f"({prompt_tokens:g}): the cached prefix is part of the prompt.")
    return api_cost_breakdown(
        model,
        input_tokens=requests * (prompt_tokens - cached_prefix_tokens),
        output_tokens=requests * output_tokens,
        cache_write_tokens=requests * (1 - cache_hit_rate) * cached_prefix_tokens,
        cache_read_tokens=requests * cache_hit_rate * cached_prefix_tokens,
        batch=batch,
        requests=requests,
        cache_write_ttl=cache_write_ttl,
    )


def routed_cost_usd(shares: Mapping[str, float] | Iterable[tuple[str, float]], input_tokens: float,
                    output_tokens: float, batch: bool = False) -> float:
    """Cost of traffic split between models by a router: ``sum(share * api_cost_usd(model, ...))``.

    ``shares`` gives each model the fraction of requests it receives, as a mapping or as (model, share)
    pairs (the same model may appear twice); the fractions must add up to 1. ``input_tokens`` and
    ``output_tokens`` are the totals of all requests, assumed alike whichever model answers. Routing
    easy requests to a small model is how RouteLLM (Ong et al. 2024, https://arxiv.org/abs/2406.18665)
    reports costs cut "by over 2 times without sacrificing response quality" on public benchmarks; the
    risk is the hard request sent to the small model.

    >>> round(routed_cost_usd({"claude-haiku-5-5": 1.0}, 1e6, 0), 2)
    0.1

    Source: Anthropic, "Pricing", https://docs.anthropic.com/en/docs/about-claude/pricing, at the list prices
        of ``data/api_prices.json`` (each row with its URL and date). Routing: Ong et al. 2024, "RouteLLM",
        https://arxiv.org/abs/2406.18665.
    Used in: 03 §8.
    """
    if isinstance(shares, Mapping):
        pairs = list(shares.items())
    elif isinstance(shares, Iterable) and not isinstance(shares, (str, bytes)):
        pairs = list(shares)
    else:
        pairs = []
    if not pairs or not all(isinstance(p, tuple) and len(p) == 2 for p in pairs):
        raise TechpmError("shares must map model ids to fractions of the traffic, e.g. {'claude-haiku-5-5': 0.7, "
                          "'claude-sonnet-5-5': 0.3}, or list (model, share) pairs.")
    for model, share in pairs:
        probability(f"share of {model!r}", share)
    total = sum(share for _, share in pairs)
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        raise TechpmError(f"the shares must add up to 1, got {total:g}.")
    return sum(share * api_cost_usd(model, input_tokens, output_tokens, batch=batch) for model, share in pairs)
