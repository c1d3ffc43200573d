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
"""

from __future__ import annotations

from techpm.calc._validate import non_negative
from techpm.errors import TechpmError
from techpm.tables import get_api_price

__all__ = ["api_cost_usd"]

TOKENS_PER_MTOK = 1_000_000


def api_cost_usd(
    model: str,
    input_tokens: float,
    output_tokens: float,
    cache_write_tokens: float = 0,
    cache_read_tokens: float = 0,
    batch: bool = False,
) -> float:
    """US dollars for one call (or many, summed) to ``model`` at its tabled list price.

    >>> round(api_cost_usd("claude-haiku-5-5", 1_000_000, 0), 2) == get_api_price("claude-haiku-5-5").input_usd_per_mtok
    True
    """
    price = get_api_price(model)
    for name, value in (("input_tokens", input_tokens), ("output_tokens", output_tokens),
                        ("cache_write_tokens", cache_write_tokens), ("cache_read_tokens", cache_read_tokens)):
        non_negative(name, value)
    if price.output_usd_per_mtok is None and output_tokens:
        raise TechpmError(f"{model!r} is an embedding model: it produces no output tokens.")
    if (cache_write_tokens and price.cache_write_usd_per_mtok is None) or (
        cache_read_tokens and price.cache_read_usd_per_mtok is None
    ):
        raise TechpmError(f"{model!r} has no prompt-caching price in the table.")
    usd = (
        input_tokens * price.input_usd_per_mtok
        + output_tokens * (price.output_usd_per_mtok or 0.0)
        + cache_write_tokens * (price.cache_write_usd_per_mtok or 0.0)
        + cache_read_tokens * (price.cache_read_usd_per_mtok or 0.0)
    ) / TOKENS_PER_MTOK
    if batch:
        if price.batch_discount is None:
            raise TechpmError(f"{model!r} has no batch price in the table.")
        usd *= 1.0 - price.batch_discount
    return usd
