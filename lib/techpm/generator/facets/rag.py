"""Retrieval: answering from a body of documents with search, reranking and cited generation."""

from __future__ import annotations

import math

from techpm import calc
from techpm.generator.facets._calc import EMBEDDING_MODEL, workload_cost
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import count, num, size, usd
from techpm.generator.reading import named_items, say

CHUNK_TOKENS = 500
TOP_K = 8
RERANK_CANDIDATES = 50
SYSTEM_TOKENS = 1_500
QUESTION_TOKENS = 100
ANSWER_TOKENS = 400
EMBED_DIM = 1_024            # voyage-4's default output dimension
RAM_PER_NODE_BYTES = 64e9    # one memory-optimised search node
DEFAULT_DOCUMENTS = 100_000
TOKENS_PER_ITEM = {"articles": 1_200, "pages": 600, "emails": 400, "tickets": 500, "messages": 150,
                   "products": 300, "listings": 300, "contracts": 8_000, "filings": 30_000, "papers": 9_000,
                   "manuals": 40_000, "books": 120_000, "reports": 6_000, "patents": 10_000, "posts": 300,
                   "reviews": 150, "transcripts": 8_000, "faqs": 200, "questions": 200, "records": 800}


def _figures(ctx: Ctx) -> None:
    docs_q = ctx.take("documents")
    tokens_q = ctx.brief.first("tokens")
    if docs_q is not None:
        docs, noun = docs_q.value, docs_q.unit
    else:
        docs, noun = DEFAULT_DOCUMENTS, named_items(ctx.brief.question) or "documents"
        ctx.assume("documents", docs, f"{num(docs)} {noun}", "a mid-sized corpus; yours sets every figure below")
    per_doc = TOKENS_PER_ITEM.get(noun, 3_000)
    ctx.assume(f"tokens per {noun.rstrip('s')}", per_doc, f"{num(per_doc)} tokens per {noun.rstrip('s')}",
               "a typical length for this kind of text")
    corpus = tokens_q.value if tokens_q is not None else docs * per_doc
    if tokens_q is not None:
        ctx.take("tokens")
    chunks = max(1, math.ceil(corpus / CHUNK_TOKENS))
    stated = f"{say(docs_q)} {noun}" if docs_q else f"the {noun}"
    ctx.add("chunks", "Corpus to index", chunks, f"{num(docs)} {noun}: {num(corpus)} tokens in {num(chunks)} chunks",
            f"{num(docs)} x {num(per_doc)} tokens / {CHUNK_TOKENS} tokens per chunk", "arithmetic",
            f"{num(per_doc)} tokens per {noun.rstrip('s')} is an assumption", uses=(docs_q, tokens_q))
    embed = calc.embedding_cost_usd(corpus, EMBEDDING_MODEL)
    embed_batch = calc.embedding_cost_usd(corpus, EMBEDDING_MODEL, batch=True)
    index32 = calc.hnsw_index_bytes(chunks, EMBED_DIM)
    index8 = calc.hnsw_index_bytes(chunks, EMBED_DIM, bytes_per_value=1)
    shards = calc.vector_shards_needed(index32, RAM_PER_NODE_BYTES)
    ctx.add("index", "Embedding and indexing the corpus", index32,
            f"{usd(embed)} to embed once ({usd(embed_batch)} in batch); an index of {size(index32)} as float32 "
            f"({count(shards, 'node')} of {size(RAM_PER_NODE_BYTES)} RAM) or {size(index8)} as int8",
            f"{num(corpus)} tokens x ${calc.get_api_price(EMBEDDING_MODEL).input_usd_per_mtok:g}/MTok; "
            f"{num(chunks)} x ({EMBED_DIM:,} dims x 4 bytes + graph links)",
            "calc.embedding_cost_usd, calc.hnsw_index_bytes, calc.vector_shards_needed",
            f"{EMBEDDING_MODEL} list price; HNSW with M = 16; nodes filled to 70%", uses=(docs_q,))
    prompt = SYSTEM_TOKENS + TOP_K * CHUNK_TOKENS + QUESTION_TOKENS
    ctx.notes["rag_prompt_tokens"] = prompt
    ctx.values["k"], ctx.values["chunk"] = str(TOP_K), str(CHUNK_TOKENS)
    ctx.values["candidates"] = str(RERANK_CANDIDATES)
    ctx.values["docs"] = stated
    s = ctx.scale
    workload_cost(ctx, "rag_cost", "question", prompt, ANSWER_TOKENS, s.per_month, cached_prefix=SYSTEM_TOKENS,
                  uses=(s.users_from, s.per_day_from),
                  basis=f"{num(SYSTEM_TOKENS)} instructions + {TOP_K} chunks x {CHUNK_TOKENS} + a question; "
                        f"{num(s.per_day)} questions a day")


FACET = Facet(
    name="rag",
    title="Retrieval over a corpus",
    cues=((r"\brag\b", 4), (r"retriev", 3), (r"knowledge base", 3), (r"semantic search|enterprise search", 3),
          (r"\bsearch(?:es|ing)?\b", 2), (r"\bcorpus\b|\barchive", 2), (r"question[- ]answering|\bq&a\b", 3),
          (r"chat with (?:our|your|their|the)|over (?:our|their|its|the) (?:docs|documents)", 3),
          (r"\bwiki\b|confluence|sharepoint|documentation (?:assistant|bot)|help[- ]cent(?:er|re)", 2),
          (r"knowledge (?:assistant|management|bot)|internal knowledge|slack (?:history|messages|and)", 2),
          (r"\bcit(?:e|ation)s?\b|grounded", 1), (r"look ?up|find (?:the|relevant)", 1),
          (r"\b(?:over|across|from|on) (?:[\d,.]+\s*\w*\s+)?(?:past |our |their |the |its |internal )?(?:documents|contracts|"
           r"articles|pages|files|records|papers|manuals|reports|emails|notes|filings|policies|faqs?)\b", 3)),
    boost=lambda b: (1.0 if any(q.role in ("documents", "media_hours") for q in b.quantities) else 0.0)
    + (1.0 if "rag" in b.workloads and any(q.role == "documents" for q in b.quantities) else 0.0),
    concept_groups=(
        ("retriev", "search"),
        ("chunk",),
        ("rerank", "re-rank", "cross-encoder"),
        ("hybrid", "bm25", "keyword"),
        ("citation", "cite", "cited"),
        ("recall@", "recall at", "retrieval recall"),
    ),
    domain_terms=("rerank", "bm25", "vector index", "recall@"),
    scoping=(
        "What is in <<docs>> (born-digital or scanned, how long, how many languages, how fast it changes), "
        "and who may see which part, so that permissions survive retrieval?",
        "What do <<users>> ask of <<product>>: a single fact, a comparison across many sources, or a summary, "
        "each with a different retrieval depth?",
        "Must every claim cite a passage, and is \"I could not find it\" an acceptable answer for <<users>>?",
    ),
    personas=(Persona("developer", "the search engineer who owns ingestion and ranking for <<product>>",
                      "keeps keyword search over <<docs>> and brittle import scripts alive by hand",
                      "strong backend skills; new to embeddings, rerankers and grading the answers of <<product>>",
                      "silent failures: a changed source format breaks parsing of <<docs>> and nobody notices",
                      "connectors, per-stage traces of each <<item>> (which passages, which scores) and a "
                      "retrieval eval in CI"),),
    stages=("sources --> [parse + clean] --> [chunk ~<<chunk>> tokens + context line] --> [embed] --> (vector index + BM25 index)",
            "question --> [hybrid search: BM25 + vectors, permission filter] --> [rerank <<candidates>> -> top <<k>>]",
            "  --> [prompt: instructions + <<k>> passages + question] --> [model, streamed] --> [citation check] --> answer"),
    components=(
        ("Ingestion", "Parse the sources of <<product>>, split them on their structure into chunks of about "
         "<<chunk>> tokens, and prepend to each chunk a short context (which source, which section) before "
         "embedding; Anthropic's Contextual Retrieval has a model write that context and reports far fewer "
         "failed retrievals, more again with reranking [[contextual_retrieval]]."),
        ("Retrieval", "Hybrid search: BM25 catches exact terms (names, codes, quoted phrases) and dense vectors "
         "catch paraphrase; fuse the rankings, rerank the top <<candidates>> with a cross-encoder and keep <<k>> "
         "(a design choice to tune on the eval: the Contextual Retrieval post reranks 150 and keeps 20 [[contextual_retrieval]]). An HNSW "
         "index answers in milliseconds over <<docs>> [[hnsw]], filtered by what the asker may read before ranking."),
        ("Cited generation", "The prompt of <<product>> puts the strongest passages first and last, since models "
         "use the middle of a long prompt least [[lost_middle]]; the answer quotes and cites passage ids, and "
         "may say the sources do not answer the question [[rag]]."),
    ),
    figures=_figures,
    deep_dive=("Retrieval quality, measured apart from generation",
               "An answer from <<product>> fails in one of two places, and the fix differs: retrieval (the right "
               "passage was not among the <<k>> kept) or generation (it was there and the model ignored or "
               "distorted it). Measure them apart: recall@<<k>> on questions labelled with the passages that "
               "answer them, and faithfulness of each cited claim, graded by a judge calibrated on labels from "
               "<<users>> [[ragas]] [[llm_judge]]. Chunk size is the first dial for <<docs>>; the context line, hybrid "
               "search and reranking each cut misses and they stack. Fine-tuning would teach <<product>> a format, "
               "not facts that change: it retrieves the facts."),
    risks=(("Prompt injection through sources", "a passage in <<docs>> can carry instructions "
            "[[prompt_injection]]: retrieved text is data to <<product>>, never instructions, and permissions are "
            "checked before retrieval."),
           ("Stale or missing passages", "answers from <<docs>> are only as fresh as the index: re-index "
            "incrementally and track how old the newest indexed item is.")),
    api=("POST /v1/answers            {question, collection_id, filters, stream: true} -> passages, text, citations",
         "POST /v1/collections/{id}/sources   (upload or connector sync; webhook when indexed)"),
    api_notes="Each answer returns the passages it used and their scores, so integrators of <<product>> can "
              "show sources and debug misses.",
    metrics=(("Retrieval recall@<<k>> on the labelled questions", ">= 90%", "an answer can only use what retrieval found for <<users>>"),
             ("Cited claims of <<product>> supported by their passage", ">= 95%", "the trust bar of <<users>>"),
             ("Cost per question", "<= <<cost_per_item>>", "from the deep dive, at the volume of <<product>>")),
    tradeoffs=(
        ("Retrieval", "hybrid BM25 + dense vectors, then a reranker",
         "dense-only is simpler and enough when <<docs>> rarely contain exact codes or names"),
        ("Context", "top <<k>> passages of ~<<chunk>> tokens",
         "whole documents in a long context win when each question of <<users>> needs one entire document"),
        ("Freshness", "incremental re-indexing",
         "a nightly rebuild is simpler when <<docs>> change slowly"),
    ),
    item_noun="questions",
    recommendation="Start <<product>> with hybrid search, reranking and cited, streamed answers; grow the "
                   "labelled question set with <<users>> before tuning anything else.",
)
