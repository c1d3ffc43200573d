"""Recommendation and personalisation: candidate retrieval over embeddings, ranking, an LLM only where it
pays (explanations, cold start), and online experiments."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets._calc import SMALL_MODEL
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import num, pct, size, usd

DEFAULT_ITEMS = 1_000_000
EMBED_DIM = 256
CANDIDATES = 500
LLM_SHARE = 0.05          # share of recommendations that get a generated explanation
BASE_RATE, LIFT = 0.05, 0.002


def _figures(ctx: Ctx) -> None:
    s = ctx.scale
    items_q = ctx.take("documents", "media_items")
    items = items_q.value if items_q else ctx.assume("catalog items", DEFAULT_ITEMS, f"{num(DEFAULT_ITEMS)} items in "
                                                     "the catalog", "a large catalog")
    index = calc.hnsw_index_bytes(int(items), EMBED_DIM)
    users_index = calc.embedding_storage_bytes(int(max(1, s.users)), EMBED_DIM)
    ctx.add("rec_index", f"Embeddings behind {ctx.values['product']}", index,
            f"{size(index)} of item vectors ({EMBED_DIM} dims, HNSW) and {size(users_index)} of user vectors; "
            f"retrieval narrows {num(items)} items to {CANDIDATES} candidates per request",
            f"{num(items)} x ({EMBED_DIM} x 4 bytes + links); {num(s.users)} users x {EMBED_DIM} x 4 bytes",
            "calc.hnsw_index_bytes, calc.embedding_storage_bytes", "a two-tower model; vectors refreshed daily",
            uses=(items_q, s.users_from))
    n = s.per_month * LLM_SHARE
    llm = calc.api_cost_usd(SMALL_MODEL, 600 * n, 60 * n)
    ctx.add("rec_llm", "Generated explanations, only where they pay", llm,
            f"{usd(llm)} a month for {pct(LLM_SHARE)} of {num(s.per_month)} recommendations on {SMALL_MODEL}",
            f"{num(n)} x (600 in + 60 out)", "calc.api_cost_usd",
            "ranking itself runs on small models with no generation", uses=(s.per_day_from,))
    per_arm = calc.ab_test_sample_size(BASE_RATE, LIFT)
    ctx.add("rec_ab", "Users per arm to see a small lift", per_arm,
            f"{num(per_arm)} users per arm to see {BASE_RATE:.1%} -> {BASE_RATE + LIFT:.1%} engagement",
            "two-proportion z-test, alpha 0.05, power 0.8", "calc.ab_test_sample_size",
            "small lifts need large samples: test for weeks, not days")
    ctx.values["candidates"] = str(CANDIDATES)


FACET = Facet(
    name="recommendation",
    title="Recommendation and personalisation",
    cues=((r"recommend", 5), (r"personali[sz]", 3), (r"\bfeed\b|ranking|for you|next[- ]best|discovery", 2),
          (r"streaming service|catalog|subscribers|playlists?", 1)),
    concept_groups=(
        ("candidate", "retrieval"),
        ("ranking", "rank"),
        ("cold start",),
        ("a/b test", "experiment"),
        ("embedding", "vector"),
    ),
    domain_terms=("cold start", "two-tower", "candidate generation"),
    scoping=(
        "What does <<product>> optimise: clicks, watch time, purchases, or long-term satisfaction, and what must "
        "it never do (filter bubbles, unsafe content)?",
        "What signals exist for <<users>> (history, ratings, context), and how are new users and new items "
        "handled (cold start)?",
        "Where does a language model add value in <<product>>: explanations, conversational search, or item "
        "understanding?",
    ),
    personas=(Persona("developer", "the ranking engineer who owns <<product>>",
                      "tunes feature pipelines and ranking models, and runs experiments weekly",
                      "deep ML expertise; skeptical of slow, expensive LLM calls on the hot path",
                      "offline gains that vanish online, and feedback loops that narrow what <<users>> see",
                      "fast experiments, clean logging of impressions, and guardrail metrics"),),
    stages=("user context --> [candidate generation: two-tower embeddings, ANN search] --> <<candidates>> candidates",
            "  --> [ranking model] --> [business rules + diversity] --> feed ; (LLM: explanations, cold-start descriptions)"),
    components=(
        ("Candidate generation", "A two-tower model embeds <<users>> and items in one space; approximate "
         "nearest-neighbour search narrows the catalog in milliseconds [[hnsw]]."),
        ("Ranking", "A ranking model scores the candidates with richer features; diversity and freshness rules "
         "keep <<product>> from showing the same thing twice."),
        ("Where the model helps", "A language model writes item descriptions for cold-start items and short "
         "explanations for a sample of recommendations; it stays off the hot path of <<product>>."),
    ),
    figures=_figures,
    deep_dive=("Offline metrics lie; experiments decide",
               "Recall of held-out interactions guides the candidate stage of <<product>>, but only an online "
               "experiment shows whether <<users>> engage more, and small lifts need many users per arm. "
               "Guardrail metrics (diversity, complaints, long-term retention) catch a ranker that wins clicks "
               "and loses trust."),
    risks=(("Feedback loops", "<<product>> learns from what it showed, so it narrows over time: keep "
            "exploration traffic and measure diversity."),),
    api=("GET  /v1/recommendations?user_id=&context=   -> [{item_id, score, reason?}]",),
    api_notes="Every recommendation of <<product>> is logged with its position and the model version, so "
              "experiments can be analysed.",
    metrics=(("Engagement lift vs control (A/B)", "significant at the planned sample", "the value of <<product>>"),
             ("Catalog coverage and diversity of <<product>>", "above a floor", "no narrowing feed")),
    tradeoffs=(("LLM on the hot path", "no: embeddings and a ranker", "an LLM ranker for small catalogs where <<users>> of <<product>> ask in words"),),
    item_noun="recommendations",
    recommendation="Build <<product>> as retrieval plus ranking, add a language model where it explains or "
                   "fills cold starts, and let experiments decide.",
)
