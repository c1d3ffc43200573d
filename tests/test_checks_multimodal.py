"""The 08 multimodal checks: right answers pass, the usual mistakes get their specific hint."""

from __future__ import annotations

import math

import pytest

from techpm import calc
from techpm.checks import multimodal as check

MODEL = "claude-haiku-5-5"
STAGES = {"endpointing": 300, "asr": 150, "llm_ttft": 450, "tts_first_audio": 200, "network": 80}
FIXES = {"endpointing_ms": 100, "llm_ttft_ms": 250, "s2s_first_audio_ms": 300}
REF, HYP = "set an alarm for six thirty tomorrow", "set the alarm for six thirteen tomorrow morning"
BOXES = ((10, 10, 110, 60), (20, 15, 120, 70))


def test_right_answers_pass():
    tokens = calc.image_tokens(1920, 1080)
    assert all(r.passed for r in check.screenshot_feature(
        tokens, calc.api_cost_usd(MODEL, tokens * 50_000 * 30, 0), width_px=1920, height_px=1080, per_day=50_000,
        model=MODEL))
    assert check.resize_savings(0, width_px=4032, height_px=3024, resize=0.5).passed
    assert check.resize_savings(calc.image_tokens(800, 600) - calc.image_tokens(400, 300), width_px=800,
                                height_px=600, resize=0.5).passed
    t = calc.video_tokens(100 * 3600, 0.5, 1280, 720)
    assert all(r.passed for r in check.video_index(t, calc.api_cost_usd(MODEL, t, 0, batch=True), hours=100,
                                                   frames_per_s=0.5, width_px=1280, height_px=720, model=MODEL))
    assert check.document_route("VLM", pages=10_000, text_tokens_per_page=700, output_tokens_per_page=400,
                                model=MODEL).passed
    assert all(r.passed for r in check.voice_budget(1180, "speech-to-speech", stages_ms=STAGES, **FIXES))
    assert check.wer(3 / 7, REF, HYP).passed
    assert all(r.passed for r in check.grounding(calc.box_iou(*BOXES), True, *BOXES))


@pytest.mark.parametrize("call, hint", [
    (lambda: check.screenshot_feature(math.ceil(1920 * 1080 / 750), None, width_px=1920, height_px=1080,
                                      per_day=10, model=MODEL)[0], "scaled down first"),
    (lambda: check.resize_savings(math.ceil(4032 * 3024 / 750) - math.ceil(2016 * 1512 / 750), width_px=4032,
                                  height_px=3024, resize=0.5), "above the limit"),
    (lambda: check.video_index(calc.video_tokens(100 * 60, 0.5, 1280, 720), None, hours=100, frames_per_s=0.5,
                               width_px=1280, height_px=720, model=MODEL)[0], "seconds"),
    (lambda: check.video_index(None, calc.api_cost_usd(MODEL, calc.video_tokens(360_000, 0.5, 1280, 720), 0),
                               hours=100, frames_per_s=0.5, width_px=1280, height_px=720, model=MODEL)[1], "Batch API"),
    (lambda: check.document_route("pdf", pages=10_000, text_tokens_per_page=700, output_tokens_per_page=400,
                                  model=MODEL), "no text layer"),
    (lambda: check.voice_budget(1100, None, stages_ms=STAGES, **FIXES)[0], "network"),
    (lambda: check.voice_budget(None, "endpointing", stages_ms=STAGES, **FIXES)[1], "still over"),
    (lambda: check.wer(3 / 8, REF, HYP), "not in the hypothesis"),
    (lambda: check.wer(2 / 7, REF, HYP), "inserted word"),
    (lambda: check.grounding(None, False, *BOXES)[1], "0.63"),
])
def test_usual_mistakes_get_their_hint(call, hint):
    result = call()
    assert not result.passed and hint in result.message, result


def test_held_out_recall_is_measured_and_the_average_is_named():
    from techpm.multimodal import retrieval

    pairs = retrieval.load_pairs(hold_out=3)
    scores = retrieval.evaluate(retrieval.SharedSpace(pairs), pairs, ks_text_to_image=(50,))
    assert check.held_out_recall(scores.per_digit_text_to_image[3], digit=3).passed
    wrong = check.held_out_recall(scores.text_to_image[50], digit=3)
    assert not wrong.passed and "average over all ten digits" in wrong.message


def test_unfilled_answers_are_not_done():
    assert check.wer(..., REF, HYP).status == "not done"
    assert check.resize_savings(..., width_px=800, height_px=600, resize=0.5).status == "not done"
