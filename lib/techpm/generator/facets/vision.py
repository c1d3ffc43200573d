"""Vision and documents: images, scans and photos in; OCR, layout, structured extraction and validation out."""

from __future__ import annotations

import re

from techpm import calc
from techpm.generator.facets._calc import LARGE_MODEL, SMALL_MODEL, workload_cost
from techpm.generator.facets._media import calculator_name, image_tokens
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import num, usd

PAGE_PX = (1092, 1092)        # about the largest image sent without downscaling (Anthropic vision guide)
HALF_PX = (546, 546)
INSTRUCTION_TOKENS = 500
OUTPUT_TOKENS = 300


def _figures(ctx: Ctx) -> None:
    full = image_tokens(*PAGE_PX)
    half = image_tokens(*HALF_PX)
    ctx.add("image_tokens", f"Tokens per image sent by {ctx.values['product']}", full,
            f"about {num(full)} tokens for a {PAGE_PX[0]} x {PAGE_PX[1]} px image, {num(half)} at half the width "
            "and height", f"{PAGE_PX[0]} x {PAGE_PX[1]} / 750", calculator_name(),
            "small print needs the larger size; scene-level questions often not")
    items_q = ctx.brief.first("media_items", "documents")
    if items_q is not None:
        ctx.take(items_q.role)
    s = ctx.scale
    noun = ctx.values.get("item", "image")
    large, monthly, routed = workload_cost(
        ctx, "image_cost", noun, full + INSTRUCTION_TOKENS, OUTPUT_TOKENS, s.per_month,
        uses=(items_q, s.per_day_from, s.users_from),
        basis=f"{num(full)} image tokens + {INSTRUCTION_TOKENS} of instructions; {num(s.per_day)} a day")
    n = s.per_month
    batch = calc.api_cost_usd(SMALL_MODEL, (half + INSTRUCTION_TOKENS) * n, OUTPUT_TOKENS * n, batch=True,
                              requests=max(1, int(n)))
    ctx.add("image_batch", "The cheapest setting that may still be accurate", batch,
            f"{usd(batch)} a month with half-size images on {SMALL_MODEL} through the batch API, against "
            f"{usd(monthly)} at full size on {LARGE_MODEL}: the eval decides which holds up",
            f"{num(n)} x ({num(half)} + {INSTRUCTION_TOKENS}) in + {OUTPUT_TOKENS} out, half price",
            "calc.api_cost_usd", "results within 24 hours")
    if items_q is not None and items_q.role == "documents":
        pages = items_q.value
        once = calc.api_cost_usd(SMALL_MODEL, (full + INSTRUCTION_TOKENS) * pages, OUTPUT_TOKENS * pages, batch=True)
        ctx.add("backfile", f"Reading the {items_q.text} once", once,
                f"{usd(once)} through the batch API on {SMALL_MODEL}, one image each",
                f"{num(pages)} x ({num(full)} + {INSTRUCTION_TOKENS}) in + {OUTPUT_TOKENS} out, half price",
                "calc.api_cost_usd", "multi-page items cost one image per page", uses=(items_q,))
    ctx.values["image_tokens"] = num(full)


FACET = Facet(
    name="vision",
    title="Images and documents in",
    cues=((r"\bimages?\b|\bphotos?\b|pictures?|screenshots?", 3), (r"\bocr\b|scann|\bscans?\b|handwrit", 3),
          (r"\breceipts?|\binvoices?|\bforms?\b|\bid cards?|passports?|x-?rays?|radiolog|\bmri\b|satellite", 3),
          (r"vision|visual|camera", 2), (r"diagrams?|charts?|floor ?plans?|blueprints?|whiteboard", 2),
          (r"pdfs?\b|layout", 1)),
    boost=lambda b: (2.0 if "image" in b.modalities else 0.0)
    - (6.0 if re.search(r"text[- ]to[- ]image|image[- ]generat|generat(?:e|es|ing) (?:images|pictures|art)|diffusion",
                        b.question.lower()) else 0.0),
    concept_groups=(
        ("ocr", "text in the image", "read the text"),
        ("image", "scan", "photo"),
        ("layout", "table", "field"),
        ("validat", "schema", "check"),
    ),
    domain_terms=("ocr", "glare", "deskew", "capture condition"),
    scoping=(
        "What do the images of <<product>> look like: clean scans, phone photos in bad light, handwriting, "
        "tables, stamps? At what resolution?",
        "What must <<product>> return: searchable text, named fields in a schema, or a judgement, and how "
        "accurate must each field be?",
        "Which images contain personal data (faces, IDs, signatures), and how long may they be kept?",
    ),
    personas=(Persona("developer", "the engineer who owns the capture-to-data pipeline of <<product>>",
                      "chains a capture app, an OCR service and hand-written rules for each kind of <<item>>",
                      "comfortable with APIs; new to the vision-language models behind <<product>>",
                      "brittle text recognition on real-world <<items>>, and costs that jump with image size",
                      "one call per <<item>> with structured output, a confidence, and a known cost"),),
    stages=("capture / scan --> [resize + deskew + strip metadata] --> [vision-language model: text, layout, fields]",
            "  --> [schema + business-rule validation] --low confidence--> [human review] --> structured record"),
    components=(
        ("Reading the image", "A vision-language model reads each of the <<items>> and the instructions "
         "together [[llava]]; for documents it returns the text with its layout (tables, headers, fields), "
         "which replaces separate OCR and template rules on varied inputs [[vision_docs]]."),
        ("Preprocessing", "The client of <<product>> resizes to the largest size the model uses (<<image_tokens>> "
         "tokens), deskews and crops: fewer tokens, faster first tokens, no loss of accuracy [[vision_docs]]."),
        ("Validation", "Structured output checked against a schema and business rules (totals add up, dates "
         "parse, IDs match their checksum); anything that fails or reads low-confidence goes to a person."),
    ),
    figures=_figures,
    deep_dive=("Pixels are tokens",
               "Each of the <<items>> costs tokens in proportion to its area, so resolution is the cost and "
               "latency dial of <<product>>: halving width and height quarters the tokens. Small print needs pixels; a scene does not. "
               "Pick the smallest size at which the eval of <<product>> still passes, and stratify that eval "
               "by capture condition (blur, glare, rotation, handwriting), because failures cluster there."),
    risks=(("Reading what is not there", "on a blurry image <<product>> can invent plausible text: ask for "
            "\"unreadable\" as an answer, validate, and route doubt to people [[reduce_hallucinations]]."),
           ("Personal data in images", "faces, IDs and signatures in <<items>>: redact, minimise and expire them.")),
    api=("POST /v1/extractions   {file_id, schema_id}  -> {fields, confidence, needs_review}",
         "POST /v1/files         (upload once, reference many times)"),
    api_notes="<<product_title>> is priced per page or image, backed by the token cost, with a batch tier for backlogs.",
    metrics=(("Field-level accuracy on <<items>>, per capture condition", ">= 97% on the labelled set", "errors cluster by condition"),
             ("Share sent to human review", "< 10%", "the automation rate of <<product>>")),
    item_noun="images",
    tradeoffs=(
        ("Reader", "one vision-language model call per <<item>>",
         "a dedicated OCR engine plus rules wins on one fixed form at huge volume"),
        ("Resolution", "the smallest size that passes the eval",
         "full resolution for small print, at four times the tokens of half size"),
        ("Latency", "interactive for single <<items>>",
         "the batch API at half price for backlogs that can wait a day"),
    ),
    recommendation="Resize <<items>> before upload, extract into a validated schema on the small model, and "
                   "escalate low-confidence reads to the large model, then to people.",
)
