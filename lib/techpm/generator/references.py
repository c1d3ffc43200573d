"""The curated reading list the offline generator cites: papers, lab engineering posts and docs.

Every entry is a real, stable address (an arXiv abstract page, a lab's engineering post, a vendor's
documentation page), checked with the project's search tools on 2026-11-29. The offline answer links
them inline next to the claim they support, the way the method asks a good answer to do, and lists them
again under "Sources". The Claude backend does its own web research instead.

    from techpm.generator.references import REFERENCES, get_reference
    get_reference("rag").link()      # '[Lewis et al. 2020, Retrieval-Augmented Generation](https://...)'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["REFERENCES", "Reference", "get_reference"]


@dataclass(frozen=True)
class Reference:
    """A source: a short key, a human title, its address and the claim it supports."""

    key: str
    title: str
    url: str
    supports: str

    def link(self) -> str:
        return f"[{self.title}]({self.url})"


REFERENCES: tuple[Reference, ...] = (
    # --- retrieval ---------------------------------------------------------------------------------
    Reference("rag", "Lewis et al. 2020, Retrieval-Augmented Generation", "https://arxiv.org/abs/2005.11401", "retrieval plus generation grounds answers in a corpus and lets them cite it"),
    Reference("contextual_retrieval", "Anthropic 2024, Contextual Retrieval",
              "https://www.anthropic.com/engineering/contextual-retrieval",
              "a model writes a short context for each chunk before it is embedded and BM25-indexed; with "
              "reranking (top 150 candidates, 20 kept) failed retrievals fell by 67%"),
    Reference("hnsw", "Malkov & Yashunin 2016, HNSW", "https://arxiv.org/abs/1603.09320",
              "approximate nearest-neighbour search in logarithmic time; memory per vector"),
    Reference("lost_middle", "Liu et al. 2023, Lost in the Middle", "https://arxiv.org/abs/2307.03172", "models use facts at the start and end of a long context best"),
    Reference("ragas", "Es et al. 2023, RAGAS", "https://arxiv.org/abs/2309.15217",
              "reference-free metrics for faithfulness, answer relevance and context relevance"),
    # --- agents ------------------------------------------------------------------------------------
    Reference("effective_agents", "Anthropic 2024, Building effective agents",
              "https://www.anthropic.com/engineering/building-effective-agents",
              "workflows before agents; the augmented LLM; orchestrator-workers; tool design"),
    Reference("react", "Yao et al. 2022, ReAct", "https://arxiv.org/abs/2210.03629",
              "interleaving reasoning and tool actions in one loop"),
    Reference("tool_use", "Anthropic, Tool use with Claude",
              "https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview",
              "tool schemas, tool_use / tool_result blocks, client and server tools"),
    Reference("mcp", "Model Context Protocol specification", "https://modelcontextprotocol.io/specification/2025-11-25", "a standard interface between models and tools or data sources"),
    Reference("swe_bench", "Jimenez et al. 2023, SWE-bench", "https://arxiv.org/abs/2310.06770", "agents judged on real GitHub issues with the repository's own tests"),
    # --- inference ---------------------------------------------------------------------------------
    Reference("scaling_book", "Austin et al. 2025, How to Scale Your Model",
              "https://jax-ml.github.io/scaling-book/",
              "roofline analysis: prefill is compute-bound, decode is memory-bound"),
    Reference("vllm", "Kwon et al. 2023, PagedAttention (vLLM)", "https://arxiv.org/abs/2309.06180", "paging the KV cache removes fragmentation and raises batch size"),
    Reference("orca", "Yu et al. 2022, Orca (continuous batching)",
              "https://www.usenix.org/conference/osdi22/presentation/yu",
              "iteration-level scheduling: new requests join a running batch"),
    Reference("speculative", "Leviathan et al. 2023, Speculative Decoding", "https://arxiv.org/abs/2211.17192", "a draft model's guesses verified in one pass; identical outputs"),
    Reference("flash_attention", "Dao et al. 2022, FlashAttention", "https://arxiv.org/abs/2205.14135", "IO-aware exact attention: fewer memory reads, longer contexts"),
    Reference("gptq", "Frantar et al. 2022, GPTQ", "https://arxiv.org/abs/2210.17323",
              "4-bit post-training weight quantization with small accuracy loss"),
    Reference("awq", "Lin et al. 2023, AWQ", "https://arxiv.org/abs/2306.00978",
              "activation-aware 4-bit weight quantization"),
    Reference("distillation", "Hinton et al. 2015, Distilling the Knowledge in a Neural Network",
              "https://arxiv.org/abs/1503.02531",
              "a small student trained on a large teacher's outputs"),
    Reference("attention", "Vaswani et al. 2017, Attention Is All You Need", "https://arxiv.org/abs/1706.03762", "the transformer; attention cost grows with context length"),
    # --- evaluation --------------------------------------------------------------------------------
    Reference("error_bars", "Miller 2024, Adding Error Bars to Evals", "https://arxiv.org/abs/2411.00640", "report standard errors; paired comparisons; power analysis"),
    Reference("llm_judge", "Zheng et al. 2023, Judging LLM-as-a-Judge", "https://arxiv.org/abs/2306.05685", "strong-model judges agree with humans ~80%; position and "
              "verbosity biases"),
    Reference("helm", "Liang et al. 2022, HELM", "https://arxiv.org/abs/2211.09110",
              "holistic evaluation across scenarios and metrics"),
    Reference("selfcheck", "Manakul et al. 2023, SelfCheckGPT", "https://arxiv.org/abs/2303.08896", "hallucination detection by sampling consistency"),
    Reference("reduce_hallucinations", "Anthropic, Reduce hallucinations",
              "https://platform.claude.com/docs/en/test-and-evaluate/strengthen-guardrails/reduce-hallucinations", "let the model say it does not know; quote sources first; verify with citations"),
    # --- fine-tuning and RLHF ----------------------------------------------------------------------
    Reference("instructgpt", "Ouyang et al. 2022, InstructGPT", "https://arxiv.org/abs/2203.02155", "SFT, a reward model from comparisons, PPO with a KL penalty"),
    Reference("dpo", "Rafailov et al. 2023, Direct Preference Optimization", "https://arxiv.org/abs/2305.18290", "preference tuning without a separate reward model or RL loop"),
    Reference("ppo", "Schulman et al. 2017, Proximal Policy Optimization", "https://arxiv.org/abs/1707.06347", "the clipped policy-gradient update used in RLHF"),
    Reference("cai", "Bai et al. 2022, Constitutional AI", "https://arxiv.org/abs/2212.08073", "AI feedback against written principles replaces most human harm labels"),
    Reference("rlaif", "Lee et al. 2023, RLAIF", "https://arxiv.org/abs/2309.00267",
              "AI-labelled preferences reach parity with human ones on summarization"),
    Reference("lora", "Hu et al. 2021, LoRA", "https://arxiv.org/abs/2106.09685",
              "low-rank adapters: train ~0.01% of the weights, swap adapters per customer"),
    Reference("chinchilla", "Hoffmann et al. 2022, Chinchilla", "https://arxiv.org/abs/2203.15556", "compute-optimal training: about 20 tokens per parameter"),
    # --- API platform ------------------------------------------------------------------------------
    Reference("prompt_caching", "Anthropic, Prompt caching",
              "https://platform.claude.com/docs/en/build-with-claude/prompt-caching",
              "cached prompt prefixes are read at a fraction of the input price"),
    Reference("batches", "Anthropic, Message Batches",
              "https://platform.claude.com/docs/en/build-with-claude/batch-processing", "asynchronous batches at half price"),
    Reference("pricing", "Anthropic, Pricing", "https://platform.claude.com/docs/en/about-claude/pricing",
              "per-million-token list prices"),
    Reference("rate_limits", "Anthropic, Rate limits", "https://platform.claude.com/docs/en/api/rate-limits", "token-bucket limits per minute; 429 with retry-after"),
    Reference("stripe_versioning", "Stripe 2017, APIs as infrastructure: future-proofing Stripe with versioning",
              "https://stripe.com/blog/api-versioning",
              "date-pinned versions and small version changes keep old integrations working"),
    Reference("littles_law", "Little 1961, A Proof for the Queuing Formula L = λW",
              "https://doi.org/10.1287/opre.9.3.383",
              "requests in flight = arrival rate x time in system"),
    # --- safety ------------------------------------------------------------------------------------
    Reference("rsp", "Anthropic, Responsible Scaling Policy", "https://www.anthropic.com/responsible-scaling-policy", "capability thresholds that trigger stronger safeguards"),
    Reference("red_teaming", "Ganguli et al. 2022, Red Teaming Language Models to Reduce Harms",
              "https://arxiv.org/abs/2209.07858", "methods and scaling of red teaming"),
    Reference("llama_guard", "Inan et al. 2023, Llama Guard", "https://arxiv.org/abs/2312.06674", "an LLM-based input/output safety classifier with a taxonomy"),
    Reference("constitutional_classifiers", "Sharma et al. 2025, Constitutional Classifiers",
              "https://arxiv.org/abs/2501.18837",
              "input/output classifiers against universal jailbreaks, at a measured compute overhead"),
    Reference("prompt_injection", "Greshake et al. 2023, Indirect Prompt Injection",
              "https://arxiv.org/abs/2302.12173",
              "instructions hidden in retrieved content can take over an LLM application"),
    Reference("owasp_llm", "OWASP Top 10 for LLM Applications",
              "https://owasp.org/www-project-top-10-for-large-language-model-applications/", "the common security risks of LLM applications"),
    # --- multimodal --------------------------------------------------------------------------------
    Reference("vision_docs", "Anthropic, Vision", "https://platform.claude.com/docs/en/build-with-claude/vision", "image limits and token cost; resize before upload for faster first tokens"),
    Reference("clip", "Radford et al. 2021, CLIP", "https://arxiv.org/abs/2103.00020",
              "a shared image-text embedding space for cross-modal retrieval"),
    Reference("whisper", "Radford et al. 2022, Whisper", "https://arxiv.org/abs/2212.04356",
              "robust speech recognition trained on 680,000 hours of audio"),
    Reference("llava", "Liu et al. 2023, Visual Instruction Tuning (LLaVA)", "https://arxiv.org/abs/2304.08485", "a vision encoder connected to an LLM, then instruction-tuned"),
    # --- embeddings, translation, cost --------------------------------------------------------------
    Reference("mteb", "Muennighoff et al. 2022, MTEB: Massive Text Embedding Benchmark",
              "https://arxiv.org/abs/2210.07316",
              "8 embedding tasks, 58 datasets, 112 languages; no embedding method dominates every task"),
    Reference("matryoshka", "Kusupati et al. 2022, Matryoshka Representation Learning",
              "https://arxiv.org/abs/2205.13147",
              "one embedding whose shorter prefixes are usable embeddings: size traded for quality"),
    Reference("nllb", "NLLB Team 2022, No Language Left Behind", "https://arxiv.org/abs/2207.04672", "one model translating between 200 languages, including low-resource ones"),
    Reference("seamless", "Seamless Communication 2023, SeamlessM4T", "https://arxiv.org/abs/2308.11596", "one model for speech and text translation and speech recognition, ~100 languages"),
    Reference("frugalgpt", "Chen et al. 2023, FrugalGPT", "https://arxiv.org/abs/2305.05176",
              "an LLM cascade (cheap models first, escalate when unsure) matched the best model at far lower cost"),
    Reference("rule_of_three", "Hanley & Lippman-Hand 1983, If Nothing Goes Wrong, Is Everything All Right?",
              "https://doi.org/10.1001/jama.1983.03330370053031",
              "after n trials with no failure, the 95% upper bound on the failure rate is about 3 / n"),
    # --- regulated data (official pages of the regulators and standards bodies) ------------------------
    Reference("pci_dss", "PCI Security Standards Council, PCI DSS",
              "https://www.pcisecuritystandards.org/standards/pci-dss/",
              "requirements for any system that stores, processes or transmits cardholder data; scope follows the data"),
    Reference("hipaa", "HHS, Business Associate Contracts (HIPAA)",
              "https://www.hhs.gov/hipaa/for-professionals/covered-entities/sample-business-associate-agreement-provisions/index.html", "vendors handling protected health information sign a business associate contract"),
    Reference("coppa", "FTC, Children's Online Privacy Protection Rule (COPPA)",
              "https://www.ftc.gov/legal-library/browse/rules/childrens-online-privacy-protection-rule-coppa", "verifiable parental consent before collecting personal information from children under 13"),
    Reference("ferpa", "US Department of Education, FERPA", "https://studentprivacy.ed.gov/ferpa", "education records disclosed without consent only to school officials with a "
              "legitimate educational interest, among narrow exceptions"),
    Reference("gdpr", "Regulation (EU) 2016/679 (GDPR)", "https://eur-lex.europa.eu/eli/reg/2016/679/oj", "lawful basis, data minimisation, and the rights of access and erasure"),
    # --- quality levers ----------------------------------------------------------------------------
    Reference("cot", "Wei et al. 2022, Chain-of-Thought Prompting", "https://arxiv.org/abs/2201.11903",
              "reasoning steps before the answer raise accuracy on multi-step problems"),
    Reference("self_consistency", "Wang et al. 2022, Self-Consistency", "https://arxiv.org/abs/2203.11171",
              "sample several reasoning paths and take the majority answer"),
)

_BY_KEY = {ref.key: ref for ref in REFERENCES}


def get_reference(key: str) -> Reference:
    """The reference called ``key``; an unknown key is a clear error with a suggestion."""
    if key not in _BY_KEY:
        from techpm.errors import unknown_name

        raise unknown_name("reference", key, _BY_KEY)
    return _BY_KEY[key]
