"""The RAG stages on the real corpus: chunking, BM25, LSA embeddings, fusion, vector store."""

from __future__ import annotations

import numpy as np
import pytest

from techpm.errors import TechpmError
from techpm.rag import chunking, corpus, dense, hybrid, lexical, pipeline, store


@pytest.fixture(scope="module")
def sections():
    return corpus.load_sections()


@pytest.fixture(scope="module")
def pipe():
    return pipeline.build_pipeline("heading", 800)


def test_corpus_is_pythons_language_reference(sections):
    from pydoc_data.topics import topics

    assert len(sections) == len(topics) > 50
    assert corpus.corpus_chars(sections) == sum(map(len, topics.values()))
    assert corpus.section_index(sections)["with"].title == 'The "with" statement'


@pytest.mark.parametrize("size, overlap", [(200, 0), (400, 50), (800, 100), (1600, 300)])
def test_fixed_windows_cover_every_section_within_size(sections, size, overlap):
    chunks = chunking.fixed_size(sections, size, overlap)
    by_section = {}
    for c in chunks:
        assert len(c.text) <= size
        assert corpus.section_index(sections)[c.section_id].text[c.start:c.start + len(c.text)] == c.text
        by_section.setdefault(c.section_id, []).append(c)
    for s in sections:
        spans = sorted((c.start, c.start + len(c.text)) for c in by_section[s.id])
        assert spans[0][0] == 0 and spans[-1][1] == len(s.text)
        for (a0, a1), (b0, _) in zip(spans, spans[1:], strict=False):
            assert b0 <= a1, "a gap between windows"
            assert a1 - b0 >= min(overlap, a1 - a0) - 1 or overlap == 0


def test_heading_chunks_follow_the_documents_headings(sections):
    chunks = chunking.by_heading(sections, 800)
    assert all(len(c.text) <= 800 for c in chunks)
    headings = {c.heading for c in chunks if c.section_id == "try"}
    assert {'"except" clause', '"finally" clause'} <= headings
    text = corpus.section_index(sections)["try"].text
    assert "".join(c.text for c in chunks if c.section_id == "try").split() == text.split()


def test_chunking_rejects_bad_sizes(sections):
    with pytest.raises(TechpmError, match="size_chars"):
        chunking.fixed_size(sections, 10)
    with pytest.raises(TechpmError, match="overlap_chars"):
        chunking.fixed_size(sections, 400, 300)
    with pytest.raises(TechpmError, match="strategy"):
        chunking.chunk_corpus(sections, "sentences")


def test_tokenizer_keeps_python_keywords_and_dunders():
    assert lexical.tokenize("The with statement calls __exit__ if it is not None") == [
        "with", "statement", "calls", "__exit__", "if", "is", "not", "none"]


def test_bm25_scores_match_the_lucene_formula():
    texts = ["the with statement", "a for loop and a for statement", "class definitions", "with with with"]
    index = lexical.BM25Index(texts)
    docs = [lexical.tokenize(t) for t in texts]
    avgdl = sum(map(len, docs)) / len(docs)
    for query in ("with statement", "for loop", "class"):
        expected = []
        for d in docs:
            s = 0.0
            for term in set(lexical.tokenize(query)):
                df = sum(term in x for x in docs)
                idf = np.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                tf = d.count(term)
                s += idf * tf / (tf + 1.5 * (1 - 0.75 + 0.75 * len(d) / avgdl))
            expected.append(s)
        assert index.scores(query) == pytest.approx(expected, rel=1e-5)


def test_tfidf_and_svd_match_scikit_learn(sections):
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [c.text for c in chunking.by_heading(sections[:30], 800)]
    emb = dense.LSAEmbedder(dim=20).fit(texts)
    vec = TfidfVectorizer(analyzer=lexical.tokenize, sublinear_tf=True)
    reference = vec.fit_transform(texts)
    assert vec.vocabulary_ == emb.vocab
    ours = dense.tfidf_matrix([lexical.tokenize(t) for t in texts], emb.vocab, emb.idf)
    assert abs(ours - reference).max() < 1e-12
    svd = TruncatedSVD(20, algorithm="arpack").fit(reference)
    assert emb.singular_values == pytest.approx(svd.singular_values_, rel=1e-6)
    overlap = np.abs(emb.components @ svd.components_.T)  # the same directions, up to sign
    assert np.allclose(np.diag(overlap), 1, atol=1e-6)


def test_embeddings_are_unit_length_and_put_paraphrases_near(pipe):
    assert np.allclose(np.linalg.norm(pipe.vectors, axis=1), 1, atol=1e-5)
    with pytest.raises(TechpmError, match="fit"):
        dense.LSAEmbedder().encode(["x"])
    best = pipe.sections(pipe.search("splitting a string into pieces at a separator", "dense", 5))
    assert "string-methods" in best


def test_neural_embedder_wraps_any_sentence_transformers_like_model():
    class Model:  # the interface of SentenceTransformer.encode, returning unnormalized rows
        def encode(self, texts, **kwargs):
            assert kwargs["convert_to_numpy"]
            return np.array([[3.0, 4.0]] * len(texts))

    vectors = dense.NeuralEmbedder(model=Model()).encode(["a", "b"])
    assert vectors.shape == (2, 2) and np.allclose(vectors, [0.6, 0.8])


def test_auto_embedder_stays_offline_without_the_model(monkeypatch):
    monkeypatch.setattr(dense, "neural_available", lambda name=dense.DEFAULT_NEURAL_MODEL: False)
    assert isinstance(dense.make_embedder("auto"), dense.LSAEmbedder)
    with pytest.raises(TechpmError, match="kind"):
        dense.make_embedder("word2vec")


def test_rrf_follows_the_paper():
    fused = dict(hybrid.rrf([["a", "b", "c"], ["c", "a", "d"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert fused["d"] == pytest.approx(1 / 63)
    assert [d for d, _ in hybrid.rrf([["x", "y"]])] == ["x", "y"]  # one ranking: unchanged
    with pytest.raises(TechpmError, match="repeats"):
        hybrid.rrf([["a", "a"]])


def test_search_methods_find_the_obvious_section(pipe):
    for method in pipeline.METHODS:
        assert "nonlocal" in pipe.sections(pipe.search("the nonlocal statement", method, 5))
    with pytest.raises(TechpmError, match="method"):
        pipe.search("x", "grep")


def test_vector_store_exact_search_equals_numpy_and_survives_a_save(pipe, tmp_path):
    vs = store.VectorStore.from_vectors(pipe.vectors)
    queries = pipe.vectors[:7]
    exact = vs.search(queries, 5, exact=True)
    truth = np.argsort(-(queries @ pipe.vectors.T), axis=1, kind="stable")[:, :5]
    sims = queries @ pipe.vectors.T
    for q in range(7):  # same similarities (ties may swap keys)
        assert np.allclose(np.sort(sims[q, exact[q]]), np.sort(sims[q, truth[q]]), atol=1e-5)
    assert store.recall_vs_exact(vs.search(queries, 5), exact) > 0.9
    path = vs.save(tmp_path / "chunks.usearch")
    for view in (False, True):
        again = store.VectorStore.load(path, view=view)
        assert len(again) == len(pipe.vectors)
        assert (again.search(queries, 5, exact=True) == exact).all()


def test_hnsw_recall_falls_and_exact_time_grows_with_size(pipe):
    points = store.measure_scaling(pipe.vectors, pipe.vectors[:40], [500, 4000], k=10)
    assert all(0 < p.recall <= 1 for p in points)
    assert points[1].index_bytes > points[0].index_bytes * 6
    assert points[1].vector_bytes == 4000 * pipe.vectors.shape[1] * 4
