"""The multimodal lab: cross-modal retrieval on scikit-learn's digits, measured; its figures draw."""

from __future__ import annotations

import numpy as np
import pytest

from techpm.errors import TechpmError
from techpm.multimodal import plots, retrieval


@pytest.fixture(scope="module")
def pairs():
    return retrieval.load_pairs()


def test_pairs_are_a_seeded_stratified_split(pairs):
    assert len(pairs.train_labels) + len(pairs.test_labels) == 1797
    assert set(np.unique(pairs.test_labels)) == set(range(10))
    again = retrieval.load_pairs()
    assert again.train_texts == pairs.train_texts and np.array_equal(again.test_images, pairs.test_images)
    label, text = int(pairs.train_labels[0]), pairs.train_texts[0]
    assert text in {retrieval.caption(label, t) for t in retrieval.TRAIN_TEMPLATES}
    assert retrieval.TEST_TEMPLATE not in retrieval.TRAIN_TEMPLATES


def test_our_cca_finds_the_canonical_correlations_sklearn_finds(pairs):
    from sklearn.cross_decomposition import CCA

    space = retrieval.SharedSpace(pairs, "cca", dim=3, ridge=1e-6)
    t = space.vectorizer.transform(pairs.train_texts).toarray()
    ref = CCA(n_components=3, max_iter=2000, scale=False).fit(pairs.train_images, t)
    xs, ys = ref.transform(pairs.train_images, t)
    theirs = [abs(np.corrcoef(xs[:, i], ys[:, i])[0, 1]) for i in range(3)]
    ours_x = (pairs.train_images - space.x_mean) @ space.image_map
    ours_t = (t - space.t_mean) @ space.text_map
    ours = [abs(np.corrcoef(ours_x[:, i], ours_t[:, i])[0, 1]) for i in range(3)]
    assert ours[0] == pytest.approx(space.correlations[0], abs=0.01)
    assert ours[0] >= theirs[0] - 0.01  # the closed form is the optimum; NIPALS approaches it
    assert ours == sorted(ours, reverse=True)


@pytest.mark.parametrize("method", retrieval.METHODS)
def test_retrieval_works_both_ways_far_above_chance(pairs, method):
    scores = retrieval.evaluate(retrieval.SharedSpace(pairs, method), pairs)
    chance = retrieval.chance_scores(pairs)
    assert scores.image_to_text[1] > 0.8 > 5 * chance.image_to_text[1]
    assert scores.text_to_image[50] > 0.7 > 5 * chance.text_to_image[50]
    assert scores.text_to_image_precision_at_10 > 0.9
    assert 0 <= min(scores.per_digit_text_to_image.values())


def test_a_held_out_digit_has_no_place_in_the_space():
    held = retrieval.load_pairs(hold_out=9)
    assert 9 not in held.train_labels and 9 in held.test_labels
    scores = retrieval.evaluate(retrieval.SharedSpace(held), held)
    chance = retrieval.chance_scores(held)
    assert scores.per_digit_text_to_image[9] < 2 * chance.per_digit_text_to_image[9]
    assert min(v for d, v in scores.per_digit_text_to_image.items() if d != 9) > 0.6


def test_nearest_images_answer_a_text_query(pairs):
    space = retrieval.SharedSpace(pairs)
    top = retrieval.nearest_images(space, pairs, "a handwritten seven", k=8)
    assert np.mean(pairs.test_labels[top] == 7) >= 0.75


def test_bad_input_is_one_clear_sentence(pairs):
    with pytest.raises(TechpmError, match="hold_out"):
        retrieval.load_pairs(hold_out=12)
    with pytest.raises(TechpmError, match="method"):
        retrieval.SharedSpace(pairs, "clip")


def test_figures_draw(pairs):
    import matplotlib

    matplotlib.use("Agg")
    from techpm import calc

    space = retrieval.SharedSpace(pairs)
    photo = plots.sample_photo()
    assert photo.shape == (427, 640, 3)
    assert "365 tokens" in plots.patches(photo, show=False).axes[0].get_title()
    assert plots.shared_space(space, pairs, show=False).axes
    assert plots.nearest(pairs, [0, 1, 2], "a seven", show=False).axes
    budgets = [calc.voice_latency_budget(40, 80, 200, 150, 30), calc.speech_to_speech_latency_budget(40, 300, 30)]
    assert plots.latency(budgets, ["cascade", "s2s"], show=False).axes
    full, half = plots.rendered_text(16, 1.0), plots.rendered_text(16, 0.5)
    assert half.shape[1] == pytest.approx(full.shape[1] / 2, abs=1) and full.min() < 0.5 < full.max()
    assert "for OCR" in plots.legibility_strip(16, [1.0, 0.5], show=False).axes[0].get_title(loc="left")
