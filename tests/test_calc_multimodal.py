"""Multimodal calculators against the providers' documented examples, a brute-force WER and jiwer."""

from __future__ import annotations

import copy
import doctest
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm import calc, tables
from techpm.calc import multimodal as mm
from techpm.errors import TableError, TechpmError


def test_docstring_examples_hold():
    assert doctest.testmod(mm).failed == 0


# --------------------------------------------------------------------------------------------------
# Images and video
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("size, tokens", [((200, 200), 54), ((1000, 1000), 1334), ((1092, 1092), 1590)])
def test_anthropic_documented_examples(size, tokens):
    # platform.claude.com vision page: "~54", "~1334", "~1590" tokens
    assert calc.image_tokens(*size) == tokens


@pytest.mark.parametrize("size", [(1092, 1092), (951, 1268), (896, 1344), (819, 1456), (784, 1568)])
def test_anthropic_documented_largest_sizes_are_at_the_resize_boundary(size):
    # the page lists these as the largest sizes per aspect ratio that are not resized (~1,600 tokens)
    d = calc.image_token_detail(*size)
    assert d.resized_width_px == pytest.approx(size[0], rel=0.015)
    assert d.tokens == pytest.approx(1600, rel=0.015)
    bigger = calc.image_token_detail(size[0] * 2, size[1] * 2)
    assert bigger.tokens == pytest.approx(d.tokens, rel=0.015)
    assert bigger.resized_height_px / bigger.resized_width_px == pytest.approx(size[1] / size[0])


def test_anthropic_long_edge_cap():
    d = calc.image_token_detail(3000, 200)  # few pixels, but a long edge over 1568
    assert max(d.resized_width_px, d.resized_height_px) == pytest.approx(1568)
    assert d.tokens == math.ceil(1568 * 200 * 1568 / 3000 / 750)


@pytest.mark.parametrize("size, tokens, tiles", [((1024, 1024), 765, 4), ((2048, 4096), 1105, 6),
                                                 ((1920, 1080), 1105, 6), ((512, 512), 255, 1),
                                                 ((513, 500), 425, 2)])
def test_openai_tile_rule_documented_examples(size, tokens, tiles):
    d = calc.image_token_detail(*size, provider="openai")
    assert (d.tokens, d.tiles) == (tokens, tiles)
    assert calc.image_tokens(*size, provider="OpenAI") == tokens


def test_openai_low_detail_is_flat():
    assert calc.image_tokens(4096, 8192, "openai", detail="low") == 85


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 9000), st.integers(1, 9000))
def test_image_tokens_properties(w, h):
    a = calc.image_token_detail(w, h)
    assert 1 <= a.tokens <= 1600
    assert a.resized_width_px <= w + 1e-9 and max(a.resized_width_px, a.resized_height_px) <= 1568 + 1e-6
    assert a.resized_width_px / a.resized_height_px == pytest.approx(w / h)
    o = calc.image_token_detail(w, h, "openai")
    assert o.tokens == 85 + 170 * o.tiles and 1 <= o.tiles <= 8  # at most 768 x 2048: 2 x 4 tiles
    assert min(o.resized_width_px, o.resized_height_px) <= 768 + 1e-6


def test_video_tokens_is_frames_times_image_tokens():
    assert calc.video_frames(60, 1) == 60
    assert calc.video_frames(10, 0.25) == 3
    assert calc.video_frames(0.1, 1) == 1
    assert calc.video_tokens(600, 0.5, 1280, 720) == 300 * calc.image_tokens(1280, 720)
    assert calc.video_tokens(600, 0.5, 1280, 720, "openai") == 300 * calc.image_tokens(1280, 720, "openai")


def test_media_cost_uses_the_price_table():
    price = calc.get_api_price("claude-haiku-5-5").input_usd_per_mtok
    assert calc.media_cost_usd(2_000_000, "claude-haiku-5-5") == pytest.approx(2 * price)


@pytest.mark.parametrize("call, match", [
    (lambda: calc.image_tokens(0, 100), "width_px"),
    (lambda: calc.image_tokens(100, "tall"), "height_px"),
    (lambda: calc.image_tokens(100, 100, "gemeni"), "Unknown image provider"),
    (lambda: calc.image_tokens(100, 100, "openai", detail="auto"), "detail"),
    (lambda: calc.video_tokens(-1, 1, 100, 100), "duration_s"),
    (lambda: calc.video_frames(10, 0), "frames_per_s"),
    (lambda: calc.media_cost_usd(-5), "tokens"),
])
def test_bad_input_is_one_clear_sentence(call, match):
    with pytest.raises(TechpmError, match=match):
        call()


# --------------------------------------------------------------------------------------------------
# Speech prices
# --------------------------------------------------------------------------------------------------

def test_audio_table_rows_are_sourced_and_typed():
    assert calc.audio_price_ids("stt") and calc.audio_price_ids("tts")
    for model in calc.audio_price_ids():
        p = calc.get_audio_price(model)
        assert p.source_url.startswith("https://") and p.as_of
    assert calc.stt_usd_per_minute("whisper-1") == calc.get_audio_price("whisper-1").usd_per_minute


def test_tts_per_character_price_converts_with_the_measured_speaking_rate():
    # the source measured 4,096 characters -> 256 s and a bill of $0.061425 on tts-1
    assert calc.TTS_CHARS_PER_MINUTE == pytest.approx(960)
    assert calc.speech_cost_usd(256 / 60, "tts-1") == pytest.approx(0.061425, rel=1e-3)  # billed 4,095 chars
    assert calc.tts_usd_per_minute("tts-1", chars_per_minute=1000) == pytest.approx(0.015)
    per_min = calc.get_audio_price("gpt-4o-mini-tts").usd_per_minute
    assert calc.speech_cost_usd(10, "gpt-4o-mini-tts") == pytest.approx(10 * per_min)


def test_speech_prices_refuse_the_wrong_direction_and_unknown_models():
    with pytest.raises(TechpmError, match="not a speech-to-text model"):
        calc.stt_usd_per_minute("tts-1")
    with pytest.raises(TechpmError, match="not a text-to-speech model"):
        calc.tts_usd_per_minute("whisper-1")
    with pytest.raises(TechpmError, match="Did you mean 'whisper-1'"):
        calc.get_audio_price("whisper1")
    with pytest.raises(TechpmError, match="minutes"):
        calc.speech_cost_usd(-1, "whisper-1")


@pytest.mark.parametrize("edit, message", [
    ({"usd_per_minute": None, "usd_per_mchar": None}, "exactly one of"),
    ({"usd_per_minute": 0.01, "usd_per_mchar": 15}, "exactly one of"),
    ({"kind": "speech"}, "kind must be one of"),
    ({"usd_per_minute": -0.01}, "must be positive"),
])
def test_malformed_audio_rows_fail_clearly(edit, message):
    doc = {"rows": [copy.deepcopy(dict(r)) for r in tables.load_table("audio_prices")]}
    doc["rows"][0].update(edit)
    with pytest.raises(TableError, match=message):
        tables.validate("audio_prices", doc)


# --------------------------------------------------------------------------------------------------
# Voice latency
# --------------------------------------------------------------------------------------------------

def test_cascade_budget_adds_its_stages():
    b = calc.voice_latency_budget(40, 80, 200, 150, 30)
    assert b.total_ms == 500 and b.meets_target and b.headroom_ms == calc.VOICE_TARGET_MS - 500
    assert list(b.stages_ms()) == ["endpointing", "asr", "llm_ttft", "tts_first_audio", "network"]
    assert sum(b.stages_ms().values()) == b.total_ms
    slow = calc.voice_latency_budget(110, 150, 350, 250, 60, target_ms=800)
    assert slow.total_ms == 920 and not slow.meets_target and slow.headroom_ms == -120


def test_speech_to_speech_drops_two_hops():
    s2s = calc.speech_to_speech_latency_budget(200, 300, 60)
    assert s2s.total_ms == 560 and s2s.asr_ms == 0 and s2s.tts_first_audio_ms == 0
    assert s2s.stages_ms() == {"endpointing": 200, "llm_ttft": 300, "network": 60}
    with pytest.raises(TechpmError, match="model_first_audio_ms"):
        calc.speech_to_speech_latency_budget(200, -1, 60)
    with pytest.raises(TechpmError, match="asr_ms"):
        calc.voice_latency_budget(200, None, 300, 100, 50)


# --------------------------------------------------------------------------------------------------
# Word error rate
# --------------------------------------------------------------------------------------------------

def _brute_force_min_edits(ref: list[str], hyp: list[str]) -> int:
    """Minimum S + D + I by trying every order-preserving pairing of reference and hypothesis words."""
    best = len(ref) + len(hyp)
    for k in range(min(len(ref), len(hyp)) + 1):
        for ri in itertools.combinations(range(len(ref)), k):
            for hi in itertools.combinations(range(len(hyp)), k):
                subs = sum(ref[a] != hyp[b] for a, b in zip(ri, hi, strict=True))
                best = min(best, subs + (len(ref) - k) + (len(hyp) - k))
    return best


def test_worked_example():
    e = calc.word_errors("please book a table for two at seven", "please book the table for two at eleven pm")
    assert (e.hits, e.substitutions, e.deletions, e.insertions) == (6, 2, 0, 1)
    assert e.wer == pytest.approx(3 / 8)
    assert calc.word_error_rate("a b c", "") == 1.0
    assert calc.word_error_rate("a", "x y z") == 3.0


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from("abc"), min_size=1, max_size=5), st.lists(st.sampled_from("abcd"), max_size=5))
def test_wer_matches_brute_force(ref, hyp):
    e = calc.word_errors(" ".join(ref), " ".join(hyp))
    assert e.substitutions + e.deletions + e.insertions == _brute_force_min_edits(ref, hyp)
    assert e.hits + e.substitutions + e.deletions == len(ref)
    assert e.hits + e.substitutions + e.insertions == len(hyp)


def test_wer_agrees_with_jiwer():
    jiwer = pytest.importorskip("jiwer")
    pairs = [("the cat sat on the mat", "the cat sat on mat today"),
             ("please book a table for two at seven", "please book the table for two at eleven pm"),
             ("turn the lights off in the kitchen", "turn lights of in kitchen please"),
             ("hello world", "hello world")]
    for ref, hyp in pairs:
        out = jiwer.process_words(ref, hyp)
        e = calc.word_errors(ref, hyp)
        assert e.wer == pytest.approx(out.wer)
        assert e.substitutions + e.deletions + e.insertions == out.substitutions + out.deletions + out.insertions


def test_wer_bad_input():
    with pytest.raises(TechpmError, match="at least one word"):
        calc.word_error_rate("  ", "anything")
    with pytest.raises(TechpmError, match="hypothesis must be a string"):
        calc.word_error_rate("a b", None)


# --------------------------------------------------------------------------------------------------
# OCR, grounding, documents, legibility
# --------------------------------------------------------------------------------------------------

def test_cer_counts_characters_and_agrees_with_jiwer():
    assert calc.character_error_rate("Total: 1,280.00", "Total: 1,200.00") == pytest.approx(1 / 15)
    assert calc.character_error_rate("ab cd", "abcd") == pytest.approx(1 / 5)  # the lost space counts
    jiwer = pytest.importorskip("jiwer")
    for ref, hyp in [("Invoice 4711", "lnvoice 47ll"), ("due 2026-01-31", "due 2026-0l-31 !")]:
        assert calc.character_error_rate(ref, hyp) == pytest.approx(jiwer.cer(ref, hyp))
    with pytest.raises(TechpmError, match="at least one character"):
        calc.character_error_rate("", "x")


def test_box_iou():
    assert calc.box_iou((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert calc.box_iou((0, 0, 10, 10), (20, 20, 30, 30)) == 0.0
    assert calc.box_iou((0, 0, 10, 10), (5, 5, 15, 15)) == pytest.approx(25 / 175)
    with pytest.raises(TechpmError, match="box_b"):
        calc.box_iou((0, 0, 10, 10), (5, 5, 1, 15))


def test_pages_and_document_routes():
    assert calc.page_pixels(300) == (2550, 3300)
    assert calc.page_image_tokens(72) == math.ceil(612 * 792 / 750)
    assert calc.page_image_tokens(300) == calc.page_image_tokens(200) == 1600  # downscaled either way
    kw = {"text_tokens_per_page": 700, "output_tokens_per_page": 300, "model": "claude-haiku-5-5"}
    ocr, vlm, pdf = (calc.document_cost(2000, r, **kw) for r in ("ocr", "vlm", "pdf"))
    assert ocr.input_tokens_per_page == 700 and vlm.input_tokens_per_page == 1600
    assert pdf.input_tokens_per_page == 2300 and ocr.ocr_usd == 2000 * calc.OCR_USD_PER_PAGE
    assert vlm.llm_usd == pytest.approx(calc.api_cost_usd("claude-haiku-5-5", 1600 * 2000, 300 * 2000))
    assert pdf.usd_per_1000_pages == pytest.approx(pdf.total_usd / 2)
    half = calc.document_cost(2000, "vlm", batch=True, **kw)
    assert half.total_usd == pytest.approx(vlm.total_usd * (1 - calc.get_api_price("claude-haiku-5-5").batch_discount))
    with pytest.raises(TechpmError, match="Unknown document route"):
        calc.document_cost(10, "ocr+vlm", **kw)
    with pytest.raises(TechpmError, match="pages"):
        calc.document_cost(0, "ocr", **kw)


def test_x_height_constant_is_between_the_core_fonts_metrics():
    from pathlib import Path

    import matplotlib

    afm = Path(matplotlib.get_data_path()) / "fonts" / "afm"

    def x_height(name):
        line = next(x for x in (afm / name).read_text(encoding="latin-1").splitlines() if x.startswith("XHeight"))
        return int(line.split()[1]) / 1000

    assert x_height("ptmr8a.afm") <= calc.X_HEIGHT_EM <= x_height("phvr8a.afm")  # Times-Roman, Helvetica
    assert calc.x_height_px(40, 0.5) == 10.0
    assert [calc.legibility(x) for x in (25, 20, 12, 9.9)] == ["good", "good", "marginal", "poor"]


def test_the_measured_cascades_add_up_as_their_source_says():
    # the source sums its fast path to 500 ms and its slow path to 920 ms
    assert calc.voice_latency_budget(**calc.MEASURED_CASCADE_MS["fast"]).total_ms == 500
    assert calc.voice_latency_budget(**calc.MEASURED_CASCADE_MS["slow"]).total_ms == 920


def test_long_and_malformed_inputs_fail_clearly_instead_of_hanging():
    with pytest.raises(TechpmError, match="at most 3,000"):
        calc.word_error_rate("a " * 3001, "a")
    with pytest.raises(TechpmError, match="box_a"):
        calc.box_iou(5.0, (0, 0, 1, 1))
    with pytest.raises(TechpmError, match="box_b"):
        calc.box_iou((0, 0, 1, 1), (0, 0, float("nan"), 1))
