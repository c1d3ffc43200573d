"""Dense retrieval: embed chunks and queries as vectors; similar meaning, nearby vectors.

Offline by default: latent semantic analysis (Deerwester et al. 1990, https://doi.org/10.1002/(SICI)1097-4571(199009)41:6%3C391::AID-ASI1%3E3.0.CO;2-9):
a TF-IDF matrix X (chunks × words) factored by a truncated SVD, X ≈ U S Vᵀ, keeping ``dim`` directions.
A chunk's embedding is its row of X Vᵀ; a query is projected the same way. Words that co-occur share
directions, so "dictionary" and "mapping" land near each other even when a chunk uses only one.

TF-IDF is scikit-learn's definition (``TfidfVectorizer(sublinear_tf=True)``):
    tf = 1 + ln(count),  idf = ln((1 + n) / (1 + df)) + 1,  each row scaled to unit length.
The truncated SVD is exact (an eigendecomposition of the small Gram matrix), as
``sklearn.decomposition.TruncatedSVD(algorithm="arpack")`` computes it. Both are written here in
numpy/scipy because importing scikit-learn costs over a second, more than the rest of the lesson; the
tests check both against scikit-learn.

With ``sentence-transformers`` installed (Colab preinstalls it), ``NeuralEmbedder`` uses a pretrained
sentence-embedding model instead. It is chosen only when the model is already on disk or the notebook runs
in Colab (which may download it); tests never download.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence

import numpy as np

from techpm.errors import TechpmError
from techpm.rag.lexical import tokenize

DEFAULT_NEURAL_MODEL = "sentence-transformers/all-MiniLM-L6-v2"  # 384 dims, https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2


def _unit_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1.0, norms)


def tfidf_matrix(docs: Sequence[Sequence[str]], vocab: dict[str, int], idf: np.ndarray):
    """Sparse TF-IDF rows (sublinear tf, unit length) for tokenized ``docs`` over ``vocab``."""
    from scipy import sparse

    rows, cols = [], []
    for r, tokens in enumerate(docs):
        ids = [vocab[t] for t in tokens if t in vocab]
        rows += [r] * len(ids)
        cols += ids
    counts = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(docs), len(vocab)))
    counts.sum_duplicates()
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1))).ravel()
    return sparse.diags(1.0 / np.where(norms == 0, 1.0, norms)) @ counts


def truncated_svd(x, dim: int):
    """Top ``dim`` singular values and right singular vectors of the sparse matrix ``x`` (rows = chunks).

    Exact, through the chunk-by-chunk Gram matrix: X Xᵀ = U S² Uᵀ, so S = sqrt(eigenvalues) and
    Vᵀ = S⁻¹ Uᵀ X. With fewer chunks than words this is the small side of the problem (hundreds of rows,
    where a QR of the words side would be thousands). Signs follow scikit-learn's ``svd_flip``: each
    vector's largest entry is positive, so results do not depend on the LAPACK build."""
    gram = (x @ x.T).toarray()
    with _one_blas_thread():
        w, u = np.linalg.eigh(gram)
    top = np.argsort(w)[::-1][:dim]
    s = np.sqrt(np.clip(w[top], 0, None))
    vt = np.asarray((x.T @ (u[:, top] / np.where(s == 0, 1, s))).T)
    signs = np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])
    return s, vt * np.where(signs == 0, 1, signs)[:, None]


def _one_blas_thread():
    """Limit BLAS to one thread where threadpoolctl is installed: a small eigendecomposition gains
    nothing from threads, and on a busy machine spinning BLAS threads make it many times slower."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(1)


class LSAEmbedder:
    """TF-IDF + truncated SVD: ``LSAEmbedder(dim).fit(texts)``, then ``.encode(texts)`` -> unit rows."""

    kind = "lsa"

    def __init__(self, dim: int = 128) -> None:
        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 2:
            raise TechpmError(f"dim must be a whole number of at least 2, got {dim!r}.")
        self.dim = dim
        self.name = f"TF-IDF + SVD ({dim} dims)"

    def fit(self, texts: Sequence[str]) -> LSAEmbedder:
        docs = [tokenize(t) for t in texts]
        vocab: dict[str, int] = {}
        for t in sorted({t for d in docs for t in d}):
            vocab[t] = len(vocab)
        df = np.zeros(len(vocab))
        for d in docs:
            df[[vocab[t] for t in set(d)]] += 1
        self.vocab, self.idf = vocab, np.log((1 + len(docs)) / (1 + df)) + 1
        x = tfidf_matrix(docs, vocab, self.idf)
        dim = min(self.dim, min(x.shape) - 1)
        self.singular_values, self.components = truncated_svd(x, dim)
        return self

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not hasattr(self, "components"):
            raise TechpmError("call .fit(texts) on the chunk texts before .encode(...).")
        x = tfidf_matrix([tokenize(t) for t in texts], self.vocab, self.idf)
        return _unit_rows(np.asarray(x @ self.components.T, dtype=np.float32))


class NeuralEmbedder:
    """A sentence-transformers model (``all-MiniLM-L6-v2`` by default); ``fit`` does nothing."""

    kind = "neural"

    def __init__(self, model_name: str = DEFAULT_NEURAL_MODEL, model: object | None = None) -> None:
        if model is None:
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(model_name)
        self.model, self.name = model, model_name

    def fit(self, texts: Sequence[str]) -> NeuralEmbedder:
        return self

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(list(texts), batch_size=64, convert_to_numpy=True, show_progress_bar=False)
        return _unit_rows(np.asarray(vectors, dtype=np.float32))


def neural_available(model_name: str = DEFAULT_NEURAL_MODEL) -> bool:
    """True when sentence-transformers is installed and the model is on disk, or we run in Colab."""
    if importlib.util.find_spec("sentence_transformers") is None:
        return False
    from techpm.keys import in_colab

    if in_colab():
        return True
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    return isinstance(try_to_load_from_cache(model_name, "config.json"), str)


def make_embedder(kind: str = "auto", dim: int = 128, model_name: str = DEFAULT_NEURAL_MODEL):
    """'lsa' (offline TF-IDF + SVD), 'neural' (sentence-transformers), or 'auto': neural where available."""
    if kind == "auto":
        kind = "neural" if neural_available(model_name) else "lsa"
    if kind == "lsa":
        return LSAEmbedder(dim)
    if kind == "neural":
        if importlib.util.find_spec("sentence_transformers") is None:
            raise TechpmError("kind='neural' needs sentence-transformers (pip install sentence-transformers); "
                              "use kind='lsa' to stay offline.")
        return NeuralEmbedder(model_name)
    raise TechpmError(f"kind must be 'auto', 'lsa' or 'neural', got {kind!r}.")
