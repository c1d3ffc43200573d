"""A retrieval-augmented generation (RAG) pipeline over real text, one stage per module.

    corpus     the Python language reference that every Python ships (``pydoc_data.topics``)
    chunking   fixed-size windows with overlap, or sections split at headings and paragraphs
    lexical    BM25 through the ``bm25s`` library
    dense      embeddings: TF-IDF + truncated SVD offline, a sentence-transformers model when installed
    hybrid     reciprocal rank fusion of several rankings (Cormack et al. 2009)
    store      the embedded vector database (``usearch``): exact and HNSW search, saved to disk
    rerank     a second-stage scorer, and packing chunks into a context-window budget
    generate   answers with citations: extractive offline, Claude with document citations online
    injection  a prompt-injection attack hidden in a document, and its mitigation
    eval       the labelled question set, recall@k / MRR / nDCG for each retrieval variant
    scale      storage, embedding cost and query latency at 10 thousand to 100 million documents

Modules import their libraries lazily, so ``import techpm.rag`` costs nothing until a stage runs.
"""
