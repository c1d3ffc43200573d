"""Embeddings as a product: an embeddings API priced against the embedding rows of the price table,
dimensions, storage and batch pricing."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import num, size, usd

CORPUS_TOKENS = 1e9           # a customer's first corpus: a billion tokens
DIMS = (256, 1_024, 2_048)


def _embedding_rows() -> list[calc.APIPrice]:
    return sorted((calc.get_api_price(m) for m in calc.api_model_ids()
                   if calc.get_api_price(m).output_usd_per_mtok is None), key=lambda p: p.input_usd_per_mtok)


def _figures(ctx: Ctx) -> None:
    rows = _embedding_rows()
    tokens_q = ctx.take("tokens")
    docs_q = ctx.brief.first("documents")
    corpus = tokens_q.value if tokens_q else CORPUS_TOKENS
    if tokens_q is None:
        ctx.assume("corpus tokens", corpus, f"{num(corpus)} tokens in a customer's first corpus",
                   "the unit a buyer compares prices on")
    if rows:
        low, high = rows[0], rows[-1]
        median = rows[len(rows) // 2]
        ctx.add("embed_market", f"Embedding list prices {ctx.values['product']} competes with", median.input_usd_per_mtok,
                f"{len(rows)} tabled models from ${low.input_usd_per_mtok:g} ({low.id}) to ${high.input_usd_per_mtok:g} "
                f"({high.id}) per million input tokens, median ${median.input_usd_per_mtok:g}; embeddings bill input only",
                "techpm/data/api_prices.json, rows with no output price", "calc.get_api_price",
                "list prices as tabled; batch discounts where the provider offers them")
        costs = ", ".join(f"{usd(calc.embedding_cost_usd(corpus, p.id))} on {p.id}" for p in (low, median, high))
        ctx.add("embed_corpus", f"Embedding {num(corpus)} tokens once", calc.embedding_cost_usd(corpus, median.id),
                costs, f"{num(corpus)} tokens x price per million / 1e6", "calc.embedding_cost_usd",
                "re-embedding after a model change costs it again", uses=(tokens_q,))
        ctx.values["embed_low"] = f"${low.input_usd_per_mtok:g}"
        ctx.values["embed_high"] = f"${high.input_usd_per_mtok:g}"
        ctx.values["embed_median"] = f"${median.input_usd_per_mtok:g}"
    chunks = int(corpus / 500)
    storage = ", ".join(f"{size(calc.embedding_storage_bytes(chunks, d))} at {d:,} dims" for d in DIMS)
    ctx.add("embed_storage", "What the customer stores", calc.embedding_storage_bytes(chunks, DIMS[1]),
            f"{num(chunks)} vectors of 500-token chunks: {storage} (float32)",
            "vectors x dims x 4 bytes", "calc.embedding_storage_bytes",
            "shorter vectors (Matryoshka-style truncation) cut the customer's storage bill, a selling point",
            uses=(docs_q,) if docs_q else ())


FACET = Facet(
    name="embeddings",
    title="Embeddings as a product",
    cues=((r"embeddings? (?:api|model|product|service|endpoint)", 5), (r"\bembeddings?\b", 3),
          (r"vector (?:database|db|store|search)", 1), (r"mteb|dimensions?|matryoshka", 2)),
    boost=lambda b: 1.0 if "pricing" in b.workloads and "embedding" in b.question.lower() else 0.0,
    threshold=5.0,
    concept_groups=(
        ("embedding",),
        ("dimension", "dims"),
        ("per million", "per mtok", "million tokens"),
        ("mteb", "retrieval benchmark", "benchmark"),
        ("batch",),
    ),
    domain_terms=("embeddings api", "matryoshka", "mteb"),
    scoping=(
        "Who buys <<product>>: teams building search and retrieval, or a platform reselling it? What do they "
        "embed (short queries, long documents, code, images) and in which languages?",
        "What quality bar must it beat: the leading rows of the retrieval benchmarks, or the customer's own "
        "labelled queries?",
        "Which dimensions and input lengths will it offer, and will customers re-embed everything when the "
        "model changes?",
    ),
    personas=(Persona("developer", "The search engineer evaluating embedding vendors",
                      "benchmarks two or three providers on their own queries and picks the cheapest that passes",
                      "expert; reads the benchmark tables and distrusts them",
                      "re-embedding costs at every model change, vendor lock-in, and opaque rate limits",
                      "a stable model id, batch pricing, short vectors that keep quality, and clear limits"),),
    stages=("client texts --> [POST /v1/embeddings: tokenize, batch on GPUs] --> vectors (chosen dims) --> customer's index",),
    components=(
        ("The model", "A retrieval-tuned embedding model with a few output sizes: Matryoshka-style training lets "
         "a vector be truncated with little loss, so customers choose size against quality [[matryoshka]]."),
        ("Serving", "Embedding is prefill only, with no decode loop, so it is compute-bound and batches well: "
         "throughput per GPU is high and price can be low."),
        ("Evaluation", "Public retrieval benchmarks for the launch table [[mteb]], and a harness customers run "
         "on their own queries, because benchmark ranks do not transfer to every domain."),
    ),
    figures=_figures,
    deep_dive=("Pricing against the market",
               "Embedding prices are per million input tokens, with no output charge: the tabled models run from "
               "<<embed_low>> to <<embed_high>>, median <<embed_median>>. A new entrant prices near the median "
               "with a batch discount for backfills, a cheaper lite tier for high volume, and shorter vectors "
               "that cut the customer's storage; competing on quality per dollar on the customer's own queries "
               "beats a headline price cut that the next release undoes."),
    risks=(("Re-embedding lock-in", "every model change forces customers to re-embed their corpus: version "
            "models for years, and price re-embedding at the batch rate."),
           ("Benchmark overfitting", "tuning for leaderboard ranks can hurt real domains: publish results on held-out "
            "customer-like sets too [[mteb]].")),
    api=("POST /v1/embeddings   {model, input: [texts], dimensions?, input_type: \"query\" | \"document\"}",
         "POST /v1/batches      (backfills at the batch price)"),
    api_notes="Price per million input tokens, a batch discount, and a free tier sized for a first prototype.",
    metrics=(("Retrieval quality vs the median competitor, customers' own queries", "ahead at the same price", "why anyone switches"),
             ("Price per million tokens vs the tabled median", "within the band", "where buyers compare"),
             ("Tokens embedded per active customer per month", "rising", "usage-based revenue")),
    item_noun="embedding calls",
    users_noun="developers",
    tradeoffs=(
        ("Vector size", "several sizes from one model",
         "one fixed size is simpler to serve for <<product>> but costs customers storage"),
    ),
    recommendation="Price per million input tokens near the market median, with batch and lite tiers, and win "
                   "on quality per dollar measured on customers' own queries.",
)
