"""Translation: many languages, quality per language pair, terminology, and the latency of live use."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets._calc import LARGE_MODEL, SMALL_MODEL
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import num, usd

WORDS_PER_MINUTE = 150        # conversational speech
TOKENS_PER_WORD = 1.3         # English; many other languages need more tokens per word
EVAL_SEGMENTS_PER_LANGUAGE = 500
DEFAULT_LANGUAGES = 10


def _figures(ctx: Ctx) -> None:
    langs_q = ctx.take("languages")
    langs = int(langs_q.value) if langs_q else int(ctx.assume("languages", DEFAULT_LANGUAGES,
                                                             f"{DEFAULT_LANGUAGES} languages", "a first wave"))
    pairs_via_pivot = 2 * max(0, langs - 1)
    all_pairs = langs * max(0, langs - 1)
    segments = EVAL_SEGMENTS_PER_LANGUAGE * max(1, langs)
    margin = calc.margin_of_error(EVAL_SEGMENTS_PER_LANGUAGE, 0.5)
    stated = langs_q.text if langs_q else f"{langs} languages"
    ctx.add("language_pairs", f"Directions to support for {stated}", all_pairs,
            f"{num(all_pairs)} directions between every pair, {num(pairs_via_pivot)} through English as a pivot; "
            f"an eval of {num(EVAL_SEGMENTS_PER_LANGUAGE)} segments per language ({num(segments)} in all) "
            f"measures each within +/-{margin:.1%}",
            f"{langs} x ({langs} - 1); margin = 1.96 sqrt(0.25 / {EVAL_SEGMENTS_PER_LANGUAGE})",
            "calc.margin_of_error", "pivoting through English halves the directions and adds a second "
            "translation's errors", uses=(langs_q,))
    minute_tokens = WORDS_PER_MINUTE * TOKENS_PER_WORD
    per_min = calc.api_cost_usd(SMALL_MODEL, 2 * minute_tokens, minute_tokens)
    per_min_large = calc.api_cost_usd(LARGE_MODEL, 2 * minute_tokens, minute_tokens)
    ctx.add("translate_minute", f"Model cost of one minute translated by {ctx.values['product']} into one language", per_min,
            f"{usd(per_min)} on {SMALL_MODEL}, {usd(per_min_large)} on {LARGE_MODEL}, per target language",
            f"{WORDS_PER_MINUTE} words x {TOKENS_PER_WORD} tokens/word, read with context and written once",
            "calc.api_cost_usd", "languages with other scripts use more tokens per word: price them apart",
            uses=(langs_q,))
    ctx.values["languages"] = stated
    ctx.values["eval_segments"] = num(segments)


FACET = Facet(
    name="translation",
    title="Translation across languages",
    cues=((r"translat", 4), (r"interpret(?:er|ing|ation)\b", 3), (r"multilingual|cross[- ]lingual|locali[sz]", 3),
          (r"subtitl|dubb", 3), (r"\blanguages?\b", 1)),
    boost=lambda b: 2.0 if b.first("languages") else 0.0,
    concept_groups=(
        ("translat",),
        ("language pair", "directions", "per language"),
        ("terminology", "glossary"),
        ("comet", "human rating", "bilingual"),
    ),
    domain_terms=("language pair", "glossary", "source language", "target language", "comet"),
    scoping=(
        "Which of the <<languages>> matter most, in which directions, and what quality does each need (gist, "
        "publishable, legally binding)?",
        "Is there a glossary of names and terms that must translate the same way every time in <<product>>?",
        "Who can judge the quality of <<product>> in each language: bilingual reviewers on staff, vendors, or the corrections of <<users>>?",
    ),
    personas=(Persona("end user", "<<users>> who speak different languages",
                      "<<users>> wait for a human translator, use a generic app, or do without",
                      "fluent in their own language; <<users>> can rarely check the other side",
                      "mistranslated names and numbers, and stilted text that signals a machine",
                      "meaning preserved, names and numbers exact, and a way to flag a bad translation"),),
    stages=("source text or transcript --> [language id] --> [translation model + glossary + context] --> [target text]",),
    components=(
        ("Translation model", "A multilingual model translates directly between the <<languages>> of "
         "<<product>>; such models are trained across hundreds of languages, low-resource ones included "
         "[[nllb]], and speech-to-speech systems go further and skip the text step [[seamless]]."),
        ("Glossary and context", "A glossary pins the names, product terms and units of <<product>>; the "
         "previous sentences go with each segment, so pronouns and tone carry across."),
        ("Quality per language", "Each language is evaluated on its own: <<eval_segments>> segments rated by "
         "bilingual reviewers and an automatic metric calibrated on them."),
    ),
    figures=_figures,
    deep_dive=("Quality differs by language",
               "An average over <<languages>> hides the languages where <<product>> fails, usually those with "
               "little training data or another script. Each direction of <<product>> is evaluated apart, with "
               "bilingual reviewers first and an automatic metric only once it agrees with them, and names, "
               "numbers and negations count as critical errors, separately from fluency."),
    risks=(("Low-resource languages", "quality drops sharply where training data is thin [[nllb]]: those of "
            "the <<languages>> launch in <<product>> labelled as beta, with human review."),
           ("Critical errors", "a flipped negation or a wrong number changes the meaning for <<users>>: "
            "numbers and names are checked against the source automatically.")),
    api=("POST /v1/translations   {text | audio_id, source?, target, glossary_id?}  -> text, detected language",),
    api_notes="Pricing <<product>> per character or per minute, per target language, reads naturally to buyers.",
    metrics=(("Human adequacy score of <<product>> per language", ">= 4 of 5 on each launched language", "the worst language sets trust in <<product>>"),
             ("Critical errors (names, numbers, negation) per 1,000 <<items>>", "< 1", "the errors that harm <<users>>")),
    item_noun="translations",
    tradeoffs=(
        ("Route", "direct translation between languages",
         "pivoting through English halves the directions for <<languages>> at the cost of compounding errors"),
        ("Model", "one multilingual model",
         "dedicated models per pair win for the few directions carrying most <<items>>"),
    ),
    recommendation="Launch <<product>> language by language, each with its own eval and glossary, and keep a "
                   "person in the loop where the stakes or the data are thin.",
)
