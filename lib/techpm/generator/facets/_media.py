"""Image token counts for the vision and video facets: ``calc.image_tokens`` (Anthropic's vision guide:
tokens ~ width x height / 750 after its downscale)."""

from __future__ import annotations

from techpm import calc


def image_tokens(width_px: int, height_px: int) -> int:
    return int(calc.image_tokens(width_px, height_px))


def calculator_name() -> str:
    return "calc.image_tokens"
