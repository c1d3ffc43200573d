"""Image and video token counts, through ``calc.image_tokens`` / ``calc.video_tokens`` when the course's
multimodal calculators are present, else the formula they implement (Anthropic's vision guide:
tokens ~ width x height / 750, https://platform.claude.com/docs/en/build-with-claude/vision)."""

from __future__ import annotations

from techpm import calc

PIXELS_PER_TOKEN = 750


def image_tokens(width_px: int, height_px: int) -> int:
    fn = getattr(calc, "image_tokens", None)
    if fn is not None:
        try:
            return int(fn(width_px, height_px))
        except (TypeError, ValueError):
            pass
    return max(1, round(width_px * height_px / PIXELS_PER_TOKEN))


def calculator_name() -> str:
    return "calc.image_tokens" if hasattr(calc, "image_tokens") else "tokens = width x height / 750"
