"""Generating images: diffusion or autoregressive image models, cost and latency per image, safety of
what is generated, provenance (watermarks) and rights."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets._calc import SMALL_MODEL
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import duration, num, usd

GPU_SECONDS_PER_IMAGE = 3.0    # a 1-megapixel image from a distilled diffusion model on one H100 (a stated assumption)
IMAGES_PER_REQUEST = 4         # a grid of candidates per prompt
PROMPT_CHECK_TOKENS = 300


def _figures(ctx: Ctx) -> None:
    s = ctx.scale
    prices = calc.get_gpu_prices("h100-sxm")
    per_hour = prices[0].usd_per_gpu_hour if prices else 0.0
    per_image = GPU_SECONDS_PER_IMAGE / 3600 * per_hour
    images_day = s.per_day * IMAGES_PER_REQUEST
    gpus_peak = calc.replicas_for_concurrency(s.peak_rps * IMAGES_PER_REQUEST * GPU_SECONDS_PER_IMAGE, 1, 0.7)
    ctx.add("image_gpu", f"GPUs and cost of generating for {ctx.values['product']}", gpus_peak,
            f"{num(images_day)} images a day ({IMAGES_PER_REQUEST} per prompt) at about {usd(per_image)} of GPU time "
            f"each: {usd(per_image * images_day * 30)} a month, and {num(gpus_peak)} GPUs busy at the peak",
            f"images/s at peak x {GPU_SECONDS_PER_IMAGE:g} GPU-s per image / 0.7 utilisation (Little's law)",
            "calc.replicas_for_concurrency, calc.get_gpu_prices",
            f"{GPU_SECONDS_PER_IMAGE:g} GPU-seconds per image on an H100 is an assumption to benchmark",
            uses=(s.users_from, s.per_day_from))
    check = calc.api_cost_usd(SMALL_MODEL, PROMPT_CHECK_TOKENS * s.per_month, 10 * s.per_month)
    ctx.add("prompt_checks", "Checking every prompt before generating", check,
            f"{usd(check)} a month on {SMALL_MODEL}, against {usd(per_image * images_day * 30)} of generation",
            f"{num(s.per_month)} prompts x ({PROMPT_CHECK_TOKENS} in + 10 out)", "calc.api_cost_usd",
            "output images are checked too, by an image classifier")
    ctx.values["image_time"] = duration(GPU_SECONDS_PER_IMAGE)


FACET = Facet(
    name="image_generation",
    title="Generating images",
    cues=((r"text[- ]to[- ]image|image[- ]generat|generat(?:e|es|ing) (?:images|pictures|art|illustrations)", 5),
          (r"diffusion|stable diffusion|imagen|midjourney|dall-?e", 4), (r"\bdesign tool|creative|creators?|artists?", 1)),
    concept_groups=(
        ("diffusion", "image model"),
        ("per image", "gpu"),
        ("watermark", "provenance", "c2pa"),
        ("safety", "classifier", "policy"),
        ("rights", "copyright", "licens"),
    ),
    domain_terms=("diffusion", "watermark", "c2pa"),
    scoping=(
        "What do <<users>> make with <<product>> (illustrations, product shots, edits of their own images), and "
        "at what resolution and style control?",
        "How fast must a result of <<product>> appear, and how many candidates does each prompt get?",
        "What may never be generated (real people, minors, trademarks, explicit content), and who owns the output?",
    ),
    personas=(Persona("end user", "<<users>>",
                      "<<users>> search stock libraries, commission work, or edit by hand",
                      "visually expert; impatient with prompts that need engineering",
                      "generic-looking results, slow iterations, and unclear rights to use what <<product>> makes",
                      "fast iterations, control over style and layout, and clear commercial rights"),),
    stages=("prompt (+ reference image) --> [prompt check] --> [image model: diffusion steps on GPUs] --> candidates",
            "  --> [output classifier + watermark / provenance metadata] --> user picks, edits, regenerates"),
    components=(
        ("Image model", "A distilled diffusion model needs few denoising steps, so each image of <<product>> costs "
         "seconds of GPU time rather than minutes; fine-tuned styles ship as small adapters [[lora]]."),
        ("Safety and provenance", "Prompts and outputs of <<product>> are both checked against policy "
         "[[llama_guard]], and every image carries a visible or invisible watermark and provenance metadata."),
        ("Iteration loop", "<<users>> get a grid of candidates, then vary, upscale or edit one; the choices are "
         "the feedback that tunes <<product>>."),
    ),
    figures=_figures,
    deep_dive=("GPU seconds are the unit of cost",
               "Every image of <<product>> is a few seconds of a GPU (<<image_time>> here), so the number of "
               "candidates per prompt, the resolution and the number of denoising steps multiply the bill "
               "directly. Distilled few-step models, smaller previews upscaled only when chosen, and caching of "
               "repeated prompts cut it; quality is judged by people choosing between candidates, not by a metric "
               "alone."),
    risks=(("Harmful or infringing output", "<<product>> can produce images of real people or protected "
            "characters: policy checks on prompts and outputs, and a takedown path."),),
    api=("POST /v1/images/generations   {prompt, n, size, style?, reference_image?}  -> image ids + provenance",),
    api_notes="<<product_title>> is priced per image by size, with a monthly credit allowance per plan.",
    metrics=(("Share of prompts where a candidate of <<product>> is kept", "rising", "quality as <<users>> judge it"),
             ("Policy violations found in sampled outputs", "< 0.1%", "safety of <<product>>")),
    tradeoffs=(("Candidates per prompt", "four small previews", "one full-size image when <<users>> of <<product>> know what they want"),),
    item_noun="prompts",
    users_noun="creators",
    recommendation="Serve a distilled image model with previews first, check prompts and outputs, watermark "
                   "everything, and measure quality by what <<users>> keep.",
)
