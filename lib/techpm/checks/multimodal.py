"""Checks for ``solutions/08_multimodal`` / ``exercises/08_multimodal``: expected values come from the calculators."""

from __future__ import annotations

import math

from techpm import calc
from techpm.checks import CheckResult, check_choice, check_number, check_predicate


class Results(list):
    """The parts of a multi-part exercise, shown one per line."""

    def __repr__(self) -> str:
        return "\n".join(repr(r) for r in self)


def screenshot_feature(tokens: object, usd_per_month: object, *, width_px: int, height_px: int, per_day: int,
                       model: str) -> Results:
    """Exercise 1: tokens of one screenshot (Anthropic's rule) and a 30-day month of them at list price."""
    expected = calc.image_tokens(width_px, height_px)
    naive = math.ceil(width_px * height_px / 750)
    monthly = calc.api_cost_usd(model, expected * per_day * 30, 0)
    return Results([
        check_number("Exercise 1a · tokens per screenshot", tokens, expected, rel_tol=0.01, hints={
            naive / expected: "that is w·h/750 on the full image; an image over ~1,600 tokens (or a long edge "
                              "over 1,568 px) is scaled down first."}),
        check_number("Exercise 1b · monthly cost", usd_per_month, monthly, unit="USD", hints={
            1 / 30: "that is one day; the question asks for 30.",
            naive / expected: "price the tokens after the downscale, not w·h/750 of the original."}),
    ])


def resize_savings(answer: object, *, width_px: int, height_px: int, resize: float) -> CheckResult:
    """Exercise 2: tokens saved per image by resizing before upload (Anthropic's rule)."""
    saved = calc.image_tokens(width_px, height_px) - calc.image_tokens(width_px * resize, height_px * resize)
    naive = math.ceil(width_px * height_px / 750) - math.ceil(width_px * resize * height_px * resize / 750)

    def test(value: object) -> str | None:
        v = float(value)
        if math.isclose(v, saved, abs_tol=1):
            return None
        if math.isclose(v, naive, rel_tol=0.01):
            return (f"{v:,.0f} applies w·h/750 to images above the limit; both sizes are scaled down to "
                    f"~{calc.image_tokens(width_px, height_px):,} tokens before they are counted.")
        return f"{v:,.0f} is not it: compute calc.image_tokens for both sizes and subtract."

    return check_predicate("Exercise 2 · resizing", answer, test,
                           f"correct: {saved:,} tokens. above the provider's limit, resizing saves upload time, not tokens.")


def video_index(tokens: object, usd: object, *, hours: float, frames_per_s: float, width_px: int, height_px: int,
                model: str) -> Results:
    """Exercise 3: tokens and batch-price cost of indexing ``hours`` of video as sampled frames."""
    expected = calc.video_tokens(hours * 3600, frames_per_s, width_px, height_px)
    cost = calc.api_cost_usd(model, expected, 0, batch=True)
    full = calc.api_cost_usd(model, expected, 0)
    return Results([
        check_number("Exercise 3a · index tokens", tokens, expected, hints={
            1 / frames_per_s / frames_per_s: "frames = seconds × frames per second (not divided by it).",
            1 / 3600: "convert hours to seconds (× 3,600).", 1 / 60: "convert hours to seconds (× 3,600), not minutes."}),
        check_number("Exercise 3b · indexing cost", usd, cost, unit="USD", hints={
            full / cost: "that is the standard price; the index is built offline, with the Batch API."}),
    ])


def document_route(answer: object, *, pages: int, text_tokens_per_page: float, output_tokens_per_page: float,
                   model: str) -> CheckResult:
    """Exercise 4: scanned handwritten forms with tables: which route?"""
    usd = {r: calc.document_cost(pages, r, text_tokens_per_page=text_tokens_per_page,
                                 output_tokens_per_page=output_tokens_per_page, model=model).usd_per_1000_pages
           for r in calc.DOCUMENT_ROUTES}
    return check_choice("Exercise 4 · OCR or VLM", answer, "vlm", {
        "vlm": f"${usd['vlm']:,.2f} per 1,000 pages; the image keeps the handwriting and the table layout "
               "that OCR text flattens or misses (measure field accuracy on your own pages).",
        "ocr": f"${usd['ocr']:,.2f} per 1,000 pages, and OCR engines are built for print: handwriting and "
               "table structure are where they fail.",
        "pdf": f"${usd['pdf']:,.2f} per 1,000 pages, but a scan has no text layer to extract: you pay for "
               "the image and get no text for it.",
    })


def voice_fixes(stages_ms: dict[str, float], *, endpointing_ms: float, llm_ttft_ms: float,
                s2s_first_audio_ms: float) -> dict[str, object]:
    """The three changes of exercise 5, each as a budget: faster endpointing, a faster LLM, or a native
    speech-to-speech model (keeping the cascade's endpointing and network)."""
    base = {f"{k}_ms": v for k, v in stages_ms.items()}
    return {
        "endpointing": calc.voice_latency_budget(**{**base, "endpointing_ms": endpointing_ms}),
        "smaller llm": calc.voice_latency_budget(**{**base, "llm_ttft_ms": llm_ttft_ms}),
        "speech-to-speech": calc.speech_to_speech_latency_budget(stages_ms["endpointing"], s2s_first_audio_ms,
                                                                 stages_ms["network"]),
    }


def voice_budget(total_ms: object, fix: object, *, stages_ms: dict[str, float], endpointing_ms: float,
                 llm_ttft_ms: float, s2s_first_audio_ms: float) -> Results:
    """Exercise 5: a cascade's voice-to-voice total, and the one change that meets the 700 ms target."""
    budget = calc.voice_latency_budget(**{f"{k}_ms": v for k, v in stages_ms.items()})
    fixes = voice_fixes(stages_ms, endpointing_ms=endpointing_ms, llm_ttft_ms=llm_ttft_ms,
                        s2s_first_audio_ms=s2s_first_audio_ms)
    totals = {name: b.total_ms for name, b in fixes.items()}
    winners = [name for name, t in totals.items() if t <= calc.VOICE_TARGET_MS]
    no_network = budget.total_ms - stages_ms["network"]
    return Results([
        check_number("Exercise 5a · voice-to-voice", total_ms, budget.total_ms, unit="ms", hints={
            no_network / budget.total_ms: "add the network too: the audio travels both ways."}),
        check_choice("Exercise 5b · the change that fits", fix, winners[0] if winners else "none", {
            name: f"{t:,.0f} ms, {'under' if t <= calc.VOICE_TARGET_MS else 'still over'} the "
                  f"{calc.VOICE_TARGET_MS:.0f} ms target." for name, t in totals.items()}),
    ])


def wer(answer: object, reference: str, hypothesis: str) -> CheckResult:
    """Exercise 6: word error rate by hand."""
    e = calc.word_errors(reference, hypothesis)
    n_hyp = len(hypothesis.split())
    no_ins = (e.substitutions + e.deletions) / e.reference_words
    return check_number("Exercise 6 · word error rate", answer, e.wer, hints={
        e.reference_words / n_hyp: "divide by the number of words in the reference, not in the hypothesis.",
        no_ins / e.wer if e.wer else 1.0: "count the inserted word too: WER = (S + D + I) / N."})


def held_out_recall(answer: object, *, digit: int, k: int = 50) -> CheckResult:
    """Exercise 7: text -> image recall@k for a digit the shared space never saw in training."""
    from techpm.multimodal import retrieval

    pairs = retrieval.load_pairs(hold_out=digit)
    scores = retrieval.evaluate(retrieval.SharedSpace(pairs), pairs, ks_text_to_image=(k,))
    expected = scores.per_digit_text_to_image[digit]
    overall = scores.text_to_image[k]
    return check_number(f"Exercise 7 · held-out digit {digit}", answer, expected, rel_tol=0.01, hints={
        overall / expected: "that is the average over all ten digits; the question asks for the held-out one.",
        1 / expected / 10 if expected else 1.0: "recall@k is a share of that digit's images, not a count."})


def grounding(iou: object, hit: object, predicted: tuple[float, float, float, float],
              labelled: tuple[float, float, float, float], threshold: float = 0.5) -> Results:
    """Exercise 8: IoU of a predicted box with the labelled one, and whether it counts as a hit."""
    expected = calc.box_iou(predicted, labelled)
    area_l = (labelled[2] - labelled[0]) * (labelled[3] - labelled[1])
    inter = expected * (area_l + (predicted[2] - predicted[0]) * (predicted[3] - predicted[1])) / (1 + expected)
    return Results([
        check_number("Exercise 8a · IoU", iou, expected, hints={
            inter / area_l / expected: "that is intersection / labelled area; divide by the union."}),
        check_choice("Exercise 8b · hit at IoU 0.5", hit, str(expected >= threshold), {
            "true": f"IoU {expected:.2f} {'≥' if expected >= threshold else '<'} {threshold}.",
            "false": f"IoU {expected:.2f} {'≥' if expected >= threshold else '<'} {threshold}."}),
    ])
