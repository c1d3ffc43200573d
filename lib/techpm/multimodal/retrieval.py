"""Cross-modal retrieval, real and offline: scikit-learn's handwritten digits and text that describes them.

Two encoders that never saw each other's data: images are 8x8 grey pixels (64 numbers), texts are
TF-IDF vectors of their words. A *shared space* is a pair of linear maps, one per modality, learned from
paired examples (an image and a caption of it) so that an image and its caption land close together.
Then a text query finds images (text -> image) and an image finds its caption (image -> text) by cosine
similarity, and the course's ``calc.recall_at_k`` measures both directions.

Two ways to learn the maps:
- **CCA** (canonical correlation analysis, Hotelling 1936, https://doi.org/10.2307/2333955): find
  directions in each space whose projections are maximally correlated over the pairs. Closed form:
  whiten each side (``C_xx^-1/2``, ``C_yy^-1/2``, with a small ridge), then the SVD of the whitened
  cross-covariance gives the directions and the canonical correlations.
- **Least squares**: regress text vectors on image pixels (ridge), so an image is mapped straight into
  the text space.

CLIP (Radford et al. 2021, https://arxiv.org/abs/2103.00020) learns the same kind of shared space with two
deep encoders trained end to end by a contrastive loss on 400 million image-text pairs from the web: the
matching pairs of a batch must score higher than every mismatched pair. The digits data has ten concepts
and a few hundred pairs each; CLIP's scale is what makes its space hold concepts it was never labelled
for (zero-shot). ``hold_out`` shows the opposite here: a digit absent from the training pairs gets no
place in a space learned from pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from techpm import calc
from techpm.errors import TechpmError

WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# Captions seen in training, and a different phrasing held back for the test queries.
TRAIN_TEMPLATES = ("a handwritten {word}", "the digit {numeral}", "a scanned {word} on a form",
                   "number {numeral}, written by hand")
TEST_TEMPLATE = "an image of the {word} digit {numeral}"
METHODS = ("cca", "least squares")


def caption(label: int, template: str) -> str:
    """The text for digit ``label`` in ``template`` (fields ``{word}`` and ``{numeral}``)."""
    return template.format(word=WORDS[label], numeral=label)


@dataclass(frozen=True)
class Pairs:
    """A train/test split of the digits: images (n x 64 pixel values 0..16), labels, training captions."""

    train_images: np.ndarray
    train_labels: np.ndarray
    train_texts: tuple[str, ...]
    test_images: np.ndarray
    test_labels: np.ndarray


@cache
def _digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.data.astype(float), d.target.astype(int)


def digit_images() -> np.ndarray:
    """The 1,797 digit images as an array of shape (n, 8, 8), grey levels 0..16."""
    return _digits()[0].reshape(-1, 8, 8)


def load_pairs(seed: int = 0, test_fraction: float = 0.3, hold_out: int | None = None) -> Pairs:
    """Split the digits (stratified, seeded); caption each training image with a random training template.

    ``hold_out``: a digit whose images are kept out of the training pairs (they stay in the test set).
    """
    from sklearn.model_selection import train_test_split

    if hold_out is not None and hold_out not in range(10):
        raise TechpmError(f"hold_out must be a digit 0-9 or None, got {hold_out!r}.")
    x, y = _digits()
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=test_fraction, random_state=seed, stratify=y)
    if hold_out is not None:
        keep = y_tr != hold_out
        x_tr, y_tr = x_tr[keep], y_tr[keep]
    rng = np.random.default_rng(seed)
    texts = tuple(caption(int(label), TRAIN_TEMPLATES[rng.integers(len(TRAIN_TEMPLATES))]) for label in y_tr)
    return Pairs(x_tr, y_tr, texts, x_te, y_te)


def _unit(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1.0, norms)


def _inv_sqrt(c: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh(c)
    return vectors @ np.diag(1.0 / np.sqrt(np.maximum(values, 1e-12))) @ vectors.T


class SharedSpace:
    """Linear maps of images and texts into one space, learned from pairs (``method``: 'cca' or 'least squares')."""

    def __init__(self, pairs: Pairs, method: str = "cca", dim: int = 9, ridge: float = 1e-3) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        if method not in METHODS:
            raise TechpmError(f"method must be one of {', '.join(METHODS)}, got {method!r}.")
        self.method = method
        self.vectorizer = TfidfVectorizer(token_pattern=r"(?u)\b\w+\b").fit(pairs.train_texts)
        x = pairs.train_images
        t = self.vectorizer.transform(pairs.train_texts).toarray()
        self.x_mean, self.t_mean = x.mean(axis=0), t.mean(axis=0)
        xc, tc = x - self.x_mean, t - self.t_mean
        n = len(x)
        if method == "cca":
            cxx = xc.T @ xc / (n - 1)
            ctt = tc.T @ tc / (n - 1)
            wx = _inv_sqrt(cxx + ridge * np.trace(cxx) / len(cxx) * np.eye(len(cxx)))
            wt = _inv_sqrt(ctt + ridge * np.trace(ctt) / len(ctt) * np.eye(len(ctt)))
            u, s, vt = np.linalg.svd(wx @ (xc.T @ tc / (n - 1)) @ wt)
            dim = min(dim, len(s))
            self.image_map, self.text_map = wx @ u[:, :dim], wt @ vt.T[:, :dim]
            self.correlations = s[:dim]
        else:  # ridge regression of text vectors on pixels: images land in the text space itself
            lam = ridge * np.trace(xc.T @ xc) / xc.shape[1]
            self.image_map = np.linalg.solve(xc.T @ xc + lam * np.eye(xc.shape[1]), xc.T @ tc)
            self.text_map = np.eye(tc.shape[1])
            self.correlations = np.array([])

    def embed_images(self, images: np.ndarray) -> np.ndarray:
        """Unit vectors in the shared space for images of shape (n, 64)."""
        return _unit((np.asarray(images, dtype=float) - self.x_mean) @ self.image_map)

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors in the shared space for texts (words never seen in training count for nothing)."""
        t = self.vectorizer.transform(list(texts)).toarray()
        return _unit((t - self.t_mean) @ self.text_map)


@dataclass(frozen=True)
class CrossModalScores:
    """Recall@k in both directions on held-out images and held-out caption phrasing."""

    method: str
    image_to_text: dict[int, float]
    text_to_image: dict[int, float]
    per_digit_text_to_image: dict[int, float]
    text_to_image_precision_at_10: float


def evaluate(space: SharedSpace, pairs: Pairs, ks_image_to_text: Sequence[int] = (1, 3),
             ks_text_to_image: Sequence[int] = (25, 50)) -> CrossModalScores:
    """image -> text: rank the ten test captions for each test image (one relevant: its digit's);
    text -> image: rank every test image for each test caption (relevant: the images of that digit)."""
    queries = [caption(d, TEST_TEMPLATE) for d in range(10)]
    img = space.embed_images(pairs.test_images)
    txt = space.embed_texts(queries)
    sims = img @ txt.T  # (n_images, 10)
    order_i2t = np.argsort(-sims, axis=1, kind="stable")
    i2t = {k: float(np.mean([calc.recall_at_k(list(row), {int(y)}, k) for row, y in zip(order_i2t, pairs.test_labels, strict=True)]))
           for k in ks_image_to_text}
    order_t2i = np.argsort(-sims.T, axis=1, kind="stable")
    relevant = [set(np.flatnonzero(pairs.test_labels == d).tolist()) for d in range(10)]
    per_k = {k: [calc.recall_at_k(order_t2i[d].tolist(), relevant[d], k) for d in range(10)] for k in ks_text_to_image}
    t2i = {k: float(np.mean(v)) for k, v in per_k.items()}
    precision = float(np.mean([len(set(order_t2i[d, :10].tolist()) & relevant[d]) / 10 for d in range(10)]))
    return CrossModalScores(space.method, i2t, t2i, dict(enumerate(per_k[ks_text_to_image[-1]])), precision)


def chance_scores(pairs: Pairs, ks_image_to_text: Sequence[int] = (1, 3),
                  ks_text_to_image: Sequence[int] = (25, 50)) -> CrossModalScores:
    """What a random ranking scores on average: k/10 image -> text, k/n text -> image, precision 1/10."""
    n = len(pairs.test_labels)
    return CrossModalScores("chance", {k: k / 10 for k in ks_image_to_text}, {k: k / n for k in ks_text_to_image},
                            dict.fromkeys(range(10), ks_text_to_image[-1] / n), 0.1)


def nearest_images(space: SharedSpace, pairs: Pairs, query: str, k: int = 8) -> list[int]:
    """Indices of the ``k`` test images closest to a text query in the shared space."""
    sims = space.embed_images(pairs.test_images) @ space.embed_texts([query])[0]
    return np.argsort(-sims, kind="stable")[:k].tolist()
