"""The multimodal explorer, headless: set a control, read the HTML line and the result."""

from __future__ import annotations

from techpm import calc
from techpm.widgets.multimodal import media_explorer


def test_media_explorer_follows_its_controls():
    e = media_explorer(resolution=(1920, 1080), frames_per_s=1.0, duration_min=10.0)
    assert e.error is None and e.image.value[:4] == b"\x89PNG"
    tokens = calc.video_tokens(600, 1.0, 1920, 1080)
    assert e.result["tokens"] == tokens == 600 * 1600
    assert f"{tokens:,}</b> input tokens" in e.html.value
    assert e.result["usd"] == calc.media_cost_usd(tokens, "claude-haiku-5-5")
    assert e.result["scale"] < 1  # Anthropic downscales a 1080p frame
    e.controls["resize"].value = 0.5
    assert e.result["tokens_per_frame"] == calc.image_tokens(960, 540)
    assert e.result["x_height"] == calc.x_height_px(16, 0.5) and "for OCR: poor" in e.html.value
    e.controls["provider"].value = "openai"
    assert e.result["tokens_per_frame"] == calc.image_tokens(960, 540, "openai")
    assert "OpenAI's token rule" in e.html.value
    e.controls["font_px"].value = 32
    e.controls["resize"].value = 1.0
    assert e.result["legibility"] == calc.legibility(calc.x_height_px(32, e.result["scale"]))


def test_media_explorer_counts_frames_from_rate_and_length():
    e = media_explorer(resolution=(1280, 720))
    e.controls["duration_min"].value = 2.0
    e.controls["frames_per_s"].value = 0.5
    assert e.result["frames"] == calc.video_frames(120, 0.5) == 60
    assert e.result["tokens"] == 60 * calc.image_tokens(1280, 720)


def test_the_figure_redraws_when_only_the_frame_rate_moves():
    e = media_explorer()
    before = e.image.value
    e.controls["frames_per_s"].value = 2.0
    assert e.image.value != before
