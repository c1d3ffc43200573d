"""An assistant or drafting feature built on a hosted model: context, prompts, streaming, edits as signal.
The broad facet for LLM products that no narrower facet describes."""

from __future__ import annotations

from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import num


def _figures(ctx: Ctx) -> None:
    s = ctx.scale
    ctx.values["daily"] = num(s.per_day)


FACET = Facet(
    name="assistant",
    title="An assistant built on a language model",
    cues=((r"\bchat ?bot|\bassistant|copilot|\btutor|companion|concierge|help ?desk", 4),
          (r"\bdraft|\bwrite|\bsummar|\brecap|\bcompose|\bgenerat|\banswer", 2),
          (r"\bllm\b|language model|\bgpt|\bclaude|\bai\b|genai|generative", 2),
          (r"customer[- ](?:support|service)|support tickets?|onboarding", 2),
          (r"add(?:ing)? (?:ai|an llm|a model|genai|generative ai) to|ai[- ]powered|llm[- ]powered|ai features?", 4),
          (r"code completion|autocomplete|auto-complete|scribe|newsletters?|personali[sz]ed (?:emails|summaries)", 3),
          (r"summari[sz]|\bwrit(?:e|es|ing) (?:notes|summaries|replies|emails|copy|reports)", 2),
          (r"\bbots?\b", 3)),
    threshold=4.0,
    concept_groups=(
        ("prompt", "instructions"),
        ("context",),
        ("stream",),
        ("feedback", "edit", "rating"),
    ),
    domain_terms=("first draft",),
    scoping=(
        "What job do <<users>> hand to <<product>>, and what does a good result look like to them?",
        "What context does <<product>> need about each <<user>> (their data, history, documents), and may it go to a model provider?",
        "When <<product>> is unsure or wrong, what happens next: a clarifying question, a person, a disclaimer?",
    ),
    personas=(Persona("developer", "the product engineer who builds <<product>>",
                      "integrates model APIs and ships features of <<product>> on a release train",
                      "strong generalist; new to prompt design and to grading generated text",
                      "outputs that vary, no way to test a prompt change to <<product>>, and surprise bills",
                      "versioned prompts, an eval set in CI and the cost per <<item>> on a dashboard"),
              Persona("end user", "<<users>>",
                      "<<users>> handle each <<item>> by hand, with templates, or by asking a colleague, without <<product>>",
                      "varied; <<users>> judge by whether <<product>> saves them time",
                      "generic output from tools like <<product>>, repeating context for every <<item>>, and answers they cannot verify",
                      "a useful result from <<product>> fast, in their context, easy to correct, with a way to a person"),),
    stages=("<<user>> request --> [gather context: profile, history, relevant records] --> [versioned prompt]",
            "  --> [model, streamed] --> [policy + format checks] --> UI (edit, accept, rate) --> logs --> eval set"),
    components=(
        ("Context and prompt", "Versioned prompt templates for <<product>>; the instructions and examples as a cached prefix "
         "[[prompt_caching]]; the context of each <<user>> retrieved, not pasted wholesale [[lost_middle]]."),
        ("Workflow before agent", "One well-prompted call usually beats a chain for <<items>> like these; "
         "<<product>> adds steps only when its eval shows the need [[effective_agents]]."),
        ("Feedback loop", "What <<product>> writes is a draft until <<users>> accept it: their edits, ratings and "
         "escalations are logged with the prompt version, free eval data and the backlog for the next iteration "
         "of <<product>>."),
    ),
    figures=_figures,
    deep_dive=("Quality <<users>> can feel",
               "Before cost or latency, define quality for <<product>>: a rubric, real inputs and a grader "
               "(people first, an LLM judge calibrated on them later) [[llm_judge]]. The cheapest gains for "
               "<<product>> usually come from context (what a person would need to do the job) and from examples of good output, "
               "before any model upgrade; the edits <<users>> make show what the model gets wrong."),
    risks=(("Over-trust", "fluent output from <<product>> reads as correct: show sources or uncertainty where "
            "the stakes of a <<item>> call for it, and make correction easy."),),
    api=("POST /v1/responses   {template_id@version, inputs, stream: true}  -> streamed text + usage + id",
         "POST /v1/responses/{id}/feedback   {rating, edited_text}"),
    metrics=(("Results of <<product>> accepted with light edits", "> 60%", "usefulness to <<users>>"),
             ("Rubric score of <<product>> on the eval set", ">= 4 of 5, with an interval", "quality, measured")),
    item_noun="requests",
    tradeoffs=(
        ("Orchestration", "one well-prompted call with retrieved context",
         "a multi-step chain when the eval of <<product>> shows single calls fail"),
        ("Personalisation", "context retrieved per <<user>> at request time",
         "fine-tuning when style, not facts, is what <<users>> find wrong in <<product>>"),
    ),
    recommendation="Ship <<product>> as one well-prompted, streamed call with the right context and an eval "
                   "set, then let the edits and ratings of <<users>> drive the next iteration.",
)
