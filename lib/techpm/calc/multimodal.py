"""What images, video and speech cost, how fast a voice agent answers, and how to score a transcript.

- **Images, Anthropic** (https://platform.claude.com/docs/en/build-with-claude/vision, read 2026-11-29):
  ``tokens ~= width_px * height_px / 750``; an image whose long edge exceeds 1568 px, or that would cost
  more than about 1,600 tokens, is first scaled down, aspect ratio kept. The page's examples: 200x200 px
  ~54 tokens, 1000x1000 ~1,334, 1092x1092 ~1,590 (the largest square that is not resized). The current
  page also describes the same rule as 28x28-px patches, ``ceil(w/28) * ceil(h/28)`` visual tokens
  (784 px per token, within 5% of 750), and the newest models accept a larger native size; the classic
  rule is the one computed here.
- **Images, OpenAI tile rule** (https://platform.openai.com/docs/guides/vision#calculating-costs, read
  2026-11-29 through transcriptions of the page): at ``detail="high"`` the image is scaled to fit in a
  2048x2048 square, then so that its shortest side is 768 px; the cost is 85 tokens plus 170 per 512-px
  tile needed to cover it. 1024x1024 -> 765 tokens; 2048x4096 -> 1,105. ``detail="low"``: 85 tokens.
- **Video**: models that take video sample frames; each frame is billed as an image
  (``frames * tokens per frame``). Claude takes no video file: one samples frames and sends them as images.
- **Speech prices** come from ``techpm/data/audio_prices.json`` (each row with URL and date).
- **Voice latency**: the user hears a reply after endpointing (deciding the turn ended) + final
  transcript + LLM time to first token + TTS time to first audio + network; a native speech-to-speech
  model removes the two serial hops of transcription and synthesis.
- **Documents**: a page of ``width_in`` x ``height_in`` inches scanned at ``dpi`` is
  ``round(width_in * dpi)`` x ``round(height_in * dpi)`` pixels. Three routes: ``"ocr"`` (an OCR engine
  at ``ocr_usd_per_page``, then only the text goes to the LLM), ``"vlm"`` (the page image goes to the
  model), ``"pdf"`` (both, as Claude's PDF support sends each page: "the text from each page is extracted
  and provided alongside each page's image", https://platform.claude.com/docs/en/build-with-claude/pdf-support).
- **Grounding**: a predicted box is judged against the labelled one by intersection over union (IoU),
  the PASCAL VOC criterion counts IoU >= 0.5 as a hit (Everingham et al. 2010,
  https://doi.org/10.1007/s11263-009-0275-4).
- **Word error rate**: ``WER = (S + D + I) / N`` over words, from the Levenshtein alignment of the
  hypothesis to the reference of N words (Jurafsky & Martin, *Speech and Language Processing*, 3rd ed.,
  ch. 16, https://web.stanford.edu/~jurafsky/slp3/).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from techpm.calc._validate import non_negative, positive
from techpm.calc.cost import api_cost_usd
from techpm.errors import TechpmError, unknown_name
from techpm.tables import load_table

__all__ = [
    "IMAGE_PROVIDERS", "ImageTokens", "image_token_detail", "image_tokens", "video_frames", "video_tokens",
    "media_cost_usd", "AudioPrice", "audio_price_ids", "get_audio_price", "TTS_CHARS_PER_MINUTE",
    "stt_usd_per_minute", "tts_usd_per_minute", "speech_cost_usd", "VoiceLatencyBudget",
    "voice_latency_budget", "speech_to_speech_latency_budget", "VOICE_TARGET_MS",
    "WordErrors", "word_errors", "word_error_rate", "character_error_rate", "box_iou",
    "LETTER_PAGE_IN", "OCR_USD_PER_PAGE", "DOCUMENT_ROUTES", "page_pixels", "page_image_tokens",
    "DocumentCost", "document_cost", "X_HEIGHT_EM", "OCR_MIN_X_HEIGHT_PX", "OCR_GOOD_X_HEIGHT_PX",
    "x_height_px", "legibility", "MEASURED_CASCADE_MS",
]

IMAGE_PROVIDERS = ("anthropic", "openai")

# Anthropic (vision page, module docstring)
ANTHROPIC_PX_PER_TOKEN = 750
ANTHROPIC_MAX_LONG_EDGE_PX = 1568
ANTHROPIC_MAX_TOKENS = 1600
# OpenAI tile rule (vision guide, module docstring)
OPENAI_FIT_PX = 2048
OPENAI_SHORT_SIDE_PX = 768
OPENAI_TILE_PX = 512
OPENAI_BASE_TOKENS = 85
OPENAI_TILE_TOKENS = 170

# Characters of English speech per minute of audio, measured: 4,096 characters -> 256 s with tts-1
# (https://raw.githubusercontent.com/sanand0/blog/main/posts/2025/openai-tts-cost.md, 2025-11-02).
TTS_CHARS_PER_MINUTE = 4096 / (256 / 60)
# US Letter paper, inches (ANSI/ASME Y14.1): 8.5 x 11.
LETTER_PAGE_IN = (8.5, 11.0)
# An OCR engine's price per page: AWS Textract DetectDocumentText lists $1.50 per 1,000 pages for the first
# million pages a month (https://aws.amazon.com/textract/pricing/; the long-standing list price, not re-read
# in this session: check the page before quoting it).
OCR_USD_PER_PAGE = 0.0015
DOCUMENT_ROUTES = ("ocr", "vlm", "pdf")
# Lower-case letters are about half the font size tall: x-height 523/1000 em for Helvetica, 450/1000 for
# Times-Roman (Adobe's Core 14 font metrics, the AFM files matplotlib ships in mpl-data/fonts/afm).
X_HEIGHT_EM = 0.5
# Tesseract's guidance on text size: an x-height of 20 px or more is preferred; below about 10 px there is
# very little chance of accurate results (Tesseract FAQ, https://github.com/tesseract-ocr/tessdoc/blob/main/FAQ-Old.md,
# quoted by iDigBio, https://idigbio.org/content/resolution-requirements).
OCR_GOOD_X_HEIGHT_PX = 20.0
OCR_MIN_X_HEIGHT_PX = 10.0
# The voice-to-voice target product teams quote: users notice lag from about 700 ms
# (https://altersquare.io/?p=12917, 2026-06-30; also https://simbavoice.ai/resources/latency-engineering-for-real-time-voice-agents).
VOICE_TARGET_MS = 700.0
# A cascaded voice agent's stages at p50, fast and slow ends of the ranges measured by one vendor on its
# public preview (Smart Turn v3 endpointing, Deepgram Nova-3, gpt-4o, ElevenLabs Flash v2.5, WebRTC):
# https://callingscout.ai/research/below-400ms (read 2026-11-29). Arguments for voice_latency_budget.
MEASURED_CASCADE_MS = {
    "fast": {"endpointing_ms": 40, "asr_ms": 80, "llm_ttft_ms": 200, "tts_first_audio_ms": 150, "network_ms": 30},
    "slow": {"endpointing_ms": 110, "asr_ms": 150, "llm_ttft_ms": 350, "tts_first_audio_ms": 250, "network_ms": 60},
}


# --------------------------------------------------------------------------------------------------
# Images and video
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImageTokens:
    """How a provider bills one image: the size it is resized to, its tiles (OpenAI) and its tokens."""

    provider: str
    width_px: float
    height_px: float
    resized_width_px: float
    resized_height_px: float
    tiles: int | None
    tokens: int


def _provider(provider: str) -> str:
    key = str(provider).strip().lower()
    if key not in IMAGE_PROVIDERS:
        raise unknown_name("image provider", str(provider), IMAGE_PROVIDERS)
    return key


def image_token_detail(width_px: float, height_px: float, provider: str = "anthropic", *,
                       detail: str = "high") -> ImageTokens:
    """The resize and the token count of one ``width_px`` x ``height_px`` image (rules in the module docstring).

    >>> image_token_detail(2048, 4096, "openai")
    ImageTokens(provider='openai', width_px=2048, height_px=4096, resized_width_px=768.0, resized_height_px=1536.0, tiles=6, tokens=1105)

    Source: Anthropic, "Vision", https://platform.claude.com/docs/en/build-with-claude/vision; OpenAI,
        "Vision: calculating costs", https://platform.openai.com/docs/guides/vision#calculating-costs (read
        2026-11-29).
    Used in: 08 §1, §4.
    """
    positive("width_px", width_px)
    positive("height_px", height_px)
    key = _provider(provider)
    if detail not in ("high", "low"):
        raise TechpmError(f"detail must be 'high' or 'low', got {detail!r}.")
    w, h = float(width_px), float(height_px)
    if key == "anthropic":
        scale = min(1.0, ANTHROPIC_MAX_LONG_EDGE_PX / max(w, h),
                    math.sqrt(ANTHROPIC_MAX_TOKENS * ANTHROPIC_PX_PER_TOKEN / (w * h)))
        rw, rh = w * scale, h * scale
        tokens = min(ANTHROPIC_MAX_TOKENS, math.ceil(rw * rh / ANTHROPIC_PX_PER_TOKEN - 1e-9))
        return ImageTokens(key, width_px, height_px, rw, rh, None, tokens)
    if detail == "low":
        return ImageTokens(key, width_px, height_px, w, h, 0, OPENAI_BASE_TOKENS)
    scale = min(1.0, OPENAI_FIT_PX / max(w, h))
    scale *= min(1.0, OPENAI_SHORT_SIDE_PX / (min(w, h) * scale))
    rw, rh = w * scale, h * scale
    tiles = math.ceil(rw / OPENAI_TILE_PX - 1e-9) * math.ceil(rh / OPENAI_TILE_PX - 1e-9)
    return ImageTokens(key, width_px, height_px, rw, rh, tiles, OPENAI_BASE_TOKENS + OPENAI_TILE_TOKENS * tiles)


def image_tokens(width_px: float, height_px: float, provider: str = "anthropic", *, detail: str = "high") -> int:
    """Input tokens one image costs (``provider`` 'anthropic' or 'openai'; ``detail`` is OpenAI's).

    >>> image_tokens(1000, 1000), image_tokens(1024, 1024, "openai")
    (1334, 765)

    Source: Anthropic, "Vision", https://platform.claude.com/docs/en/build-with-claude/vision; OpenAI,
        "Vision: calculating costs", https://platform.openai.com/docs/guides/vision#calculating-costs (read
        2026-11-29).
    Used in: 08 §1, §4, exercises.
    """
    return image_token_detail(width_px, height_px, provider, detail=detail).tokens


def video_frames(duration_s: float, frames_per_s: float) -> int:
    """Frames sampled from a ``duration_s`` clip at ``frames_per_s``: ``ceil(duration_s * frames_per_s)``, at least 1.

    Source: a definition, stated in the formula above (no external figure).
    Used in: 08 §2.
    """
    positive("duration_s", duration_s)
    positive("frames_per_s", frames_per_s)
    return max(1, math.ceil(duration_s * frames_per_s - 1e-9))


def video_tokens(duration_s: float, frames_per_s: float, width_px: float, height_px: float,
                 provider: str = "anthropic") -> int:
    """Input tokens of a clip sent as sampled frames: ``video_frames(...) * image_tokens(w, h)``.

    >>> video_tokens(60, 1, 1000, 1000)
    80040

    Source: frames billed as images: Anthropic, "Vision",
        https://platform.claude.com/docs/en/build-with-claude/vision; OpenAI, "Vision: calculating costs",
        https://platform.openai.com/docs/guides/vision#calculating-costs (read 2026-11-29).
    Used in: 08 §2, exercises.
    """
    return video_frames(duration_s, frames_per_s) * image_tokens(width_px, height_px, provider)


def media_cost_usd(tokens: float, model: str = "claude-haiku-5-5") -> float:
    """List price in US dollars of ``tokens`` input tokens (images, frames) sent to tabled ``model``.

    Source: Anthropic, "Pricing", https://docs.anthropic.com/en/docs/about-claude/pricing, at the list prices
        of ``data/api_prices.json`` (each row with its URL and date).
    Used in: 08 §1, §2.
    """
    non_negative("tokens", tokens)
    return api_cost_usd(model, tokens, 0)


# --------------------------------------------------------------------------------------------------
# Speech prices
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AudioPrice:
    """A speech API's list price: per minute of audio, or (text-to-speech) per million characters."""

    id: str
    provider: str
    kind: str
    usd_per_minute: float | None
    usd_per_mchar: float | None
    source_url: str = ""
    as_of: str = ""
    notes: str | None = None


def _audio_rows() -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in load_table("audio_prices")}


def audio_price_ids(kind: str | None = None) -> list[str]:
    """Ids of the priced speech models; ``kind`` filters to 'stt' or 'tts'.

    Source: the list prices in ``data/audio_prices.json`` (each row with its URL and date).
    Used in: 08 §2.
    """
    if kind is not None and kind not in ("stt", "tts"):
        raise unknown_name("speech model kind", str(kind), ("stt", "tts"))
    return [i for i, r in _audio_rows().items() if kind is None or r["kind"] == kind]


def get_audio_price(model: str) -> AudioPrice:
    """The tabled list price of speech model ``model`` (e.g. 'gpt-transcribe', 'tts-1').

    Source: the list prices in ``data/audio_prices.json`` (each row with its URL and date).
    Used in: 08 §2.
    """
    rows = _audio_rows()
    key = str(model).strip().lower()
    if key not in rows:
        raise unknown_name("speech model", str(model), rows)
    names = AudioPrice.__dataclass_fields__
    return AudioPrice(**{k: v for k, v in rows[key].items() if k in names})


def _priced(model: str, kind: str) -> AudioPrice:
    price = get_audio_price(model)
    if price.kind != kind:
        wanted = "speech-to-text" if kind == "stt" else "text-to-speech"
        raise TechpmError(f"{model!r} is not a {wanted} model; choose one of {', '.join(audio_price_ids(kind))}.")
    return price


def stt_usd_per_minute(model: str = "gpt-transcribe") -> float:
    """US dollars per minute of transcribed audio at ``model``'s list price.

    Source: the list prices in ``data/audio_prices.json`` (each row with its URL and date).
    Used in: 08 §2.
    """
    return float(_priced(model, "stt").usd_per_minute)


def tts_usd_per_minute(model: str = "gpt-4o-mini-tts", chars_per_minute: float = TTS_CHARS_PER_MINUTE) -> float:
    """US dollars per minute of synthesized speech: the per-minute price, or ``usd_per_mchar * chars/min / 1e6``.

    Source: the list prices in ``data/audio_prices.json`` (each row with its URL and date).
    Used in: 08 §2.
    """
    positive("chars_per_minute", chars_per_minute)
    price = _priced(model, "tts")
    if price.usd_per_minute is not None:
        return float(price.usd_per_minute)
    return float(price.usd_per_mchar) * chars_per_minute / 1e6


def speech_cost_usd(minutes: float, model: str, chars_per_minute: float = TTS_CHARS_PER_MINUTE) -> float:
    """US dollars for ``minutes`` of audio through speech model ``model`` (either direction).

    Source: the list prices in ``data/audio_prices.json`` (each row with its URL and date).
    Used in: 08 §5.
    """
    non_negative("minutes", minutes)
    if get_audio_price(model).kind == "stt":
        return minutes * stt_usd_per_minute(model)
    return minutes * tts_usd_per_minute(model, chars_per_minute)


# --------------------------------------------------------------------------------------------------
# Voice latency
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VoiceLatencyBudget:
    """End of the user's speech -> first audio of the reply, stage by stage, in milliseconds."""

    pipeline: str
    endpointing_ms: float
    asr_ms: float
    llm_ttft_ms: float
    tts_first_audio_ms: float
    network_ms: float
    total_ms: float
    target_ms: float

    @property
    def headroom_ms(self) -> float:
        """Target minus total: negative when the budget is blown."""
        return self.target_ms - self.total_ms

    @property
    def meets_target(self) -> bool:
        return self.total_ms <= self.target_ms

    def stages_ms(self) -> dict[str, float]:
        """The stages in order, as {name: ms}; a speech-to-speech budget has no ASR or TTS stage."""
        names = ("endpointing", "asr", "llm_ttft", "tts_first_audio", "network")
        if self.pipeline == "speech-to-speech":
            names = ("endpointing", "llm_ttft", "network")
        return {n: getattr(self, f"{n}_ms") for n in names}


def voice_latency_budget(endpointing_ms: float, asr_ms: float, llm_ttft_ms: float, tts_first_audio_ms: float,
                         network_ms: float, target_ms: float = VOICE_TARGET_MS) -> VoiceLatencyBudget:
    """A cascaded voice agent (ASR -> LLM -> TTS, all streaming): the stages add up serially.

    ``total = endpointing + asr (final transcript after end of speech) + llm_ttft + tts_first_audio + network``.
    Streaming is what lets each stage start on the first output of the previous one; without it, each
    term grows to the stage's full duration.

    >>> voice_latency_budget(110, 150, 350, 250, 60).total_ms
    920.0

    Source: the serial stages of a streaming cascade; stage times measured by
        https://callingscout.ai/research/below-400ms (read 2026-11-29; ``MEASURED_CASCADE_MS``).
    Used in: 08 §5, exercises.
    """
    stages = {"endpointing_ms": endpointing_ms, "asr_ms": asr_ms, "llm_ttft_ms": llm_ttft_ms,
              "tts_first_audio_ms": tts_first_audio_ms, "network_ms": network_ms}
    for name, value in stages.items():
        non_negative(name, value)
    positive("target_ms", target_ms)
    total = float(sum(stages.values()))
    return VoiceLatencyBudget("cascade", *(float(v) for v in stages.values()), total, float(target_ms))


def speech_to_speech_latency_budget(endpointing_ms: float, model_first_audio_ms: float, network_ms: float,
                                    target_ms: float = VOICE_TARGET_MS) -> VoiceLatencyBudget:
    """A native speech-to-speech model: audio in, audio out, no separate transcription or synthesis hop.

    ``total = endpointing + model time to first audio + network``.

    Source: the same budget without the transcription and synthesis hops; targets in ``VOICE_TARGET_MS``
        (https://altersquare.io/?p=12917).
    Used in: 08 §5, exercises.
    """
    for name, value in (("endpointing_ms", endpointing_ms), ("model_first_audio_ms", model_first_audio_ms),
                        ("network_ms", network_ms)):
        non_negative(name, value)
    positive("target_ms", target_ms)
    total = float(endpointing_ms) + float(model_first_audio_ms) + float(network_ms)
    return VoiceLatencyBudget("speech-to-speech", float(endpointing_ms), 0.0, float(model_first_audio_ms), 0.0,
                              float(network_ms), total, float(target_ms))


# --------------------------------------------------------------------------------------------------
# Word error rate
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WordErrors:
    """The word alignment of a transcript to its reference: hits, substitutions, deletions, insertions."""

    hits: int
    substitutions: int
    deletions: int
    insertions: int
    reference_words: int

    @property
    def wer(self) -> float:
        """``(S + D + I) / N``; can exceed 1 when the hypothesis inserts many words."""
        return (self.substitutions + self.deletions + self.insertions) / self.reference_words


# The alignment is quadratic: longer transcripts are scored in segments (utterances, pages).
MAX_ALIGN_WORDS = 3000


def _words(name: str, text: str) -> list[str]:
    if not isinstance(text, str):
        raise TechpmError(f"{name} must be a string of words, got {type(text).__name__}.")
    words = text.split()
    if len(words) > MAX_ALIGN_WORDS:
        raise TechpmError(f"{name} has {len(words):,} words; score at most {MAX_ALIGN_WORDS:,} at a time "
                          "(split a long transcript into utterances or pages).")
    return words


def word_errors(reference: str, hypothesis: str) -> WordErrors:
    """Levenshtein alignment over whitespace-separated words (case and punctuation count as written).

    Among alignments of minimum edit distance, the one with the most hits is reported, then the fewest
    substitutions, so that the counts are well defined.

    Source: Jurafsky & Martin, *Speech and Language Processing*, 3rd ed., ch. 16,
        https://web.stanford.edu/~jurafsky/slp3/.
    Used in: 08 §6.
    """
    ref, hyp = _words("reference", reference), _words("hypothesis", hypothesis)
    if not ref:
        raise TechpmError("reference must contain at least one word: WER divides by its length.")
    # cell = (edits, -hits, substitutions, deletions, insertions); tuples compare in that order
    prev = [(j, 0, 0, 0, j) for j in range(len(hyp) + 1)]
    for i, r in enumerate(ref, start=1):
        row = [(i, 0, 0, i, 0)]
        for j, h in enumerate(hyp, start=1):
            e, nh, s, d, n = prev[j - 1]
            diag = (e, nh - 1, s, d, n) if r == h else (e + 1, nh, s + 1, d, n)
            e, nh, s, d, n = prev[j]
            up = (e + 1, nh, s, d + 1, n)
            e, nh, s, d, n = row[j - 1]
            left = (e + 1, nh, s, d, n + 1)
            row.append(min(diag, up, left))
        prev = row
    _, neg_hits, s, d, n = prev[-1]
    return WordErrors(-neg_hits, s, d, n, len(ref))


def word_error_rate(reference: str, hypothesis: str) -> float:
    """WER of ``hypothesis`` against ``reference``: ``(S + D + I) / N`` (module docstring).

    >>> word_error_rate("the cat sat on the mat", "the cat sat on mat today")
    0.3333333333333333

    Source: Jurafsky & Martin, *Speech and Language Processing*, 3rd ed., ch. 16,
        https://web.stanford.edu/~jurafsky/slp3/.
    Used in: no lesson yet (library use only).
    """
    return word_errors(reference, hypothesis).wer


def character_error_rate(reference: str, hypothesis: str) -> float:
    """CER, the OCR metric: WER computed over characters (spaces included) instead of words.

    >>> round(character_error_rate("Total: 1,280.00", "Total: 1,200.00"), 3)
    0.067

    Source: Jurafsky & Martin, *Speech and Language Processing*, 3rd ed., ch. 16,
        https://web.stanford.edu/~jurafsky/slp3/.
    Used in: 08 §6.
    """
    for name, text in (("reference", reference), ("hypothesis", hypothesis)):
        if not isinstance(text, str):
            raise TechpmError(f"{name} must be a string, got {type(text).__name__}.")
    if not reference:
        raise TechpmError("reference must contain at least one character: CER divides by its length.")
    spaced = [" ".join("\u2420" if c == " " else c for c in t) for t in (reference, hypothesis)]
    return word_errors(*spaced).wer


def box_iou(box_a: Sequence[float], box_b: Sequence[float]) -> float:
    """Intersection over union of two boxes ``(x0, y0, x1, y1)`` in pixels (x1 > x0, y1 > y0).

    >>> box_iou((0, 0, 10, 10), (5, 0, 15, 10))
    0.3333333333333333

    Source: Everingham et al. 2010, "The PASCAL Visual Object Classes (VOC) Challenge",
        https://doi.org/10.1007/s11263-009-0275-4.
    Used in: 08 §6, exercises.
    """
    for name, box in (("box_a", box_a), ("box_b", box_b)):
        ok = isinstance(box, Sequence) and len(box) == 4 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in box)
        if not ok or not (box[2] > box[0] and box[3] > box[1]):
            raise TechpmError(f"{name} must be (x0, y0, x1, y1) with x1 > x0 and y1 > y0, got {box!r}.")
    ix = max(0.0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]))
    iy = max(0.0, min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]))
    inter = ix * iy
    area = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1]) + (box_b[2] - box_b[0]) * (box_b[3] - box_b[1])
    return inter / (area - inter)


def x_height_px(font_px: float, scale: float = 1.0, x_height_em: float = X_HEIGHT_EM) -> float:
    """Height in pixels of a lower-case letter once the image is scaled by ``scale``:
    ``font_px * x_height_em * scale`` (``font_px`` = font size in pixels, e.g. ``pt / 72 * dpi``).

    Source: a definition, stated in the formula above (no external figure).
    Used in: 08 §4.
    """
    positive("font_px", font_px)
    positive("scale", scale)
    positive("x_height_em", x_height_em)
    return float(font_px) * float(x_height_em) * float(scale)


def legibility(x_height: float) -> str:
    """How an OCR engine fares on text of this x-height (Tesseract's guidance): 'good' (>= 20 px),
    'marginal' (10-20 px) or 'poor' (< 10 px). Vision-language models often read smaller screen text than
    that; the thresholds are a sourced floor for OCR, not a measurement of a VLM: test on your own images.

    Source: Tesseract FAQ, https://github.com/tesseract-ocr/tessdoc/blob/main/FAQ-Old.md (x-height of 20 px
        preferred, little chance below about 10 px).
    Used in: 08 §4.
    """
    non_negative("x_height", x_height)
    if x_height >= OCR_GOOD_X_HEIGHT_PX:
        return "good"
    return "marginal" if x_height >= OCR_MIN_X_HEIGHT_PX else "poor"


# --------------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------------

def page_pixels(dpi: float, width_in: float = LETTER_PAGE_IN[0], height_in: float = LETTER_PAGE_IN[1]) -> tuple[int, int]:
    """Pixels of a page scanned at ``dpi``: ``(round(width_in * dpi), round(height_in * dpi))``.

    >>> page_pixels(150)
    (1275, 1650)

    Source: a definition, stated in the formula above (no external figure).
    Used in: 08 §4.
    """
    positive("dpi", dpi)
    positive("width_in", width_in)
    positive("height_in", height_in)
    return max(1, round(width_in * dpi)), max(1, round(height_in * dpi))


def page_image_tokens(dpi: float, provider: str = "anthropic", width_in: float = LETTER_PAGE_IN[0],
                      height_in: float = LETTER_PAGE_IN[1]) -> int:
    """Image tokens of one page scanned at ``dpi`` (after the provider's own downscaling).

    Source: Anthropic, "Vision", https://platform.claude.com/docs/en/build-with-claude/vision; OpenAI,
        "Vision: calculating costs", https://platform.openai.com/docs/guides/vision#calculating-costs (read
        2026-11-29).
    Used in: no lesson directly; inside ``document_cost``.
    """
    return image_tokens(*page_pixels(dpi, width_in, height_in), provider)


@dataclass(frozen=True)
class DocumentCost:
    """What reading ``pages`` pages costs by one route, in tokens and US dollars at list price."""

    route: str
    pages: int
    input_tokens_per_page: int
    output_tokens_per_page: float
    llm_usd: float
    ocr_usd: float

    @property
    def total_usd(self) -> float:
        return self.llm_usd + self.ocr_usd

    @property
    def usd_per_1000_pages(self) -> float:
        return self.total_usd / self.pages * 1000


def document_cost(pages: int, route: str, *, text_tokens_per_page: float, output_tokens_per_page: float,
                  model: str = "claude-haiku-5-5", dpi: float = 150, provider: str = "anthropic",
                  prompt_tokens_per_page: float = 0, ocr_usd_per_page: float = OCR_USD_PER_PAGE,
                  batch: bool = False) -> DocumentCost:
    """Cost of reading ``pages`` pages by ``route`` ('ocr', 'vlm' or 'pdf'; module docstring).

    Input tokens per page: 'ocr' = text; 'vlm' = the page image; 'pdf' = text + page image; each plus
    ``prompt_tokens_per_page`` of instructions. The OCR engine's fee applies to the 'ocr' route only.

    Source: Anthropic, "PDF support", https://platform.claude.com/docs/en/build-with-claude/pdf-support; OCR
        at ``OCR_USD_PER_PAGE`` (AWS Textract pricing, https://aws.amazon.com/textract/pricing/).
    Used in: 08 §4, exercises.
    """
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 1:
        raise TechpmError(f"pages must be a whole number of at least 1, got {pages!r}.")
    if route not in DOCUMENT_ROUTES:
        raise unknown_name("document route", str(route), DOCUMENT_ROUTES)
    non_negative("text_tokens_per_page", text_tokens_per_page)
    non_negative("output_tokens_per_page", output_tokens_per_page)
    non_negative("prompt_tokens_per_page", prompt_tokens_per_page)
    non_negative("ocr_usd_per_page", ocr_usd_per_page)
    image = page_image_tokens(dpi, provider) if route != "ocr" else 0
    text = text_tokens_per_page if route != "vlm" else 0
    per_page = math.ceil(image + text + prompt_tokens_per_page)
    llm = api_cost_usd(model, per_page * pages, output_tokens_per_page * pages, batch=batch)
    ocr = ocr_usd_per_page * pages if route == "ocr" else 0.0
    return DocumentCost(route, pages, per_page, float(output_tokens_per_page), llm, ocr)
