"""The RLHF lab: the shipped data, the Bradley-Terry fit (scikit-learn as oracle), the toy policy's PPO and
DPO (scipy and finite differences as oracles) and the over-optimisation curves (Monte Carlo as oracle)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import optimize, stats
from sklearn.linear_model import LogisticRegression

from techpm import calc
from techpm.errors import TechpmError
from techpm.rlhf import goodhart, preferences, reward_model, toy_policy


@pytest.fixture(scope="module")
def data():
    return reward_model.load_preferences()


@pytest.fixture(scope="module")
def fitted(data):
    train = data.train()
    return reward_model.fit_bradley_terry(train.features_a, train.features_b, train.a_preferred,
                                          feature_names=data.feature_names)


# --- the shipped data set -----------------------------------------------------------------------------------

def test_shipped_file_is_what_the_script_writes():
    assert preferences.load_raw() == json.loads(json.dumps(preferences.generate()))


def test_features_are_read_from_the_text(data):
    index = {slug: i for i, (slug, *_rest) in enumerate(preferences.PROMPTS)}
    for k in range(len(data)):
        q = index[str(data.prompt[k])]
        assert preferences.featurize(data.texts_a[k], q) == list(data.features_a[k])
        assert preferences.featurize(data.texts_b[k], q) == list(data.features_b[k])
        assert data.texts_a[k] != data.texts_b[k]


def test_features_from_parts_equal_features_from_text():
    for q in range(0, len(preferences.PROMPTS), 3):
        for answer in goodhart.all_answers()[::7] + (preferences.Answer("wrong", True, "flattery", 2, (5, 1), 1, 1),):
            assert preferences.answer_features(q, answer) == preferences.featurize(preferences.compose(q, answer), q)


def test_size_split_and_label_balance(data):
    assert len(data) == 400 and data.is_test.sum() == 100
    assert not set(data.train().prompt) & set(data.test().prompt)  # held-out questions, not just held-out pairs
    assert 0.4 < data.a_preferred.mean() < 0.6
    # every core kind appears, and lengths vary (the feature the labellers over-reward)
    assert data.features_a[:, 0].sum() > 50 and data.features_a[:, 1].sum() > 20
    assert data.features_a[:, -1].std() > 0.1


def test_reference_policy_probabilities_cover_every_kind_of_answer():
    total = sum(toy_policy.answer_ref_prob(a) for a in goodhart.all_answers())
    assert total == pytest.approx(1.0)


# --- Bradley-Terry reward model --------------------------------------------------------------------------

@pytest.mark.parametrize("l2", [0.1, 1.0, 10.0])
def test_bradley_terry_fit_matches_scikit_learn(data, l2):
    train = data.train()
    ours = reward_model.fit_bradley_terry(train.features_a, train.features_b, train.a_preferred, l2=l2)
    x = train.features_a - train.features_b
    sk = LogisticRegression(fit_intercept=False, C=1 / l2, tol=1e-12, max_iter=10_000).fit(x, train.a_preferred)
    np.testing.assert_allclose(ours.weights, sk.coef_[0], atol=1e-5)
    np.testing.assert_allclose(ours.prob_a_preferred(train.features_a, train.features_b),
                               sk.predict_proba(x)[:, 1], atol=1e-6)


def test_unpenalised_fit_matches_scikit_learn(data):
    train = data.train()
    ours = reward_model.fit_bradley_terry(train.features_a, train.features_b, train.a_preferred, l2=0)
    sk = LogisticRegression(fit_intercept=False, C=np.inf, tol=1e-12, max_iter=10_000)
    sk.fit(train.features_a - train.features_b, train.a_preferred)
    np.testing.assert_allclose(ours.weights, sk.coef_[0], atol=1e-4)


def test_fit_recovers_known_weights_from_many_pairs():
    rng = np.random.default_rng(0)
    w = np.array([1.5, -2.0, 0.5])
    fa, fb = rng.normal(size=(20_000, 3)), rng.normal(size=(20_000, 3))
    y = rng.random(20_000) < 1 / (1 + np.exp(-(fa - fb) @ w))
    model = reward_model.fit_bradley_terry(fa, fb, y, l2=0)
    np.testing.assert_allclose(model.weights, w, atol=0.08)
    assert model.iterations < 15


def test_held_out_accuracy_beats_heuristics_and_nears_the_labellers_ceiling(data, fitted):
    test = data.test()
    acc = reward_model.pairwise_accuracy(fitted, test.features_a, test.features_b, test.a_preferred)
    longer = reward_model.heuristic_accuracy(test.features_a[:, -1], test.features_b[:, -1], test.a_preferred)
    truth = np.array([preferences.LABELLER_WEIGHTS[f] for f in preferences.FEATURES])
    oracle = reward_model.BradleyTerryModel(truth, preferences.FEATURES, 0.0, 0)
    ceiling = reward_model.pairwise_accuracy(oracle, test.features_a, test.features_b, test.a_preferred)
    assert acc > longer + 0.1 and acc > 0.65
    assert acc >= ceiling - 0.05
    # the model learned the labellers' length bias: a positive weight on words
    assert fitted.weights_by_name()["words_100"] > 0 > preferences.USER_WEIGHTS["words_100"]


def test_accuracy_counts_ties_as_half():
    model = reward_model.BradleyTerryModel(np.array([1.0]), ("x",), 0.0, 0)
    fa, fb = np.array([[1.0], [0.0], [2.0]]), np.array([[0.0], [0.0], [3.0]])
    assert reward_model.pairwise_accuracy(model, fa, fb, np.array([True, True, True])) == pytest.approx(0.5)
    assert reward_model.labeller_agreement(reward_model.load_preferences()) > 0.6


def test_fit_rejects_bad_shapes():
    with pytest.raises(TechpmError, match="same shape"):
        reward_model.fit_bradley_terry(np.zeros((3, 2)), np.zeros((3, 3)), np.ones(3, bool))
    with pytest.raises(TechpmError, match="one label per pair"):
        reward_model.fit_bradley_terry(np.zeros((3, 2)), np.zeros((3, 2)), np.ones(2, bool))


# --- toy policy: the RLHF optimum, PPO and DPO ------------------------------------------------------------

@pytest.fixture(scope="module")
def toy(fitted):
    return toy_policy.toy_problem(fitted.weights)


@pytest.mark.parametrize("beta", [0.1, 0.5, 2.0])
def test_optimal_policy_maximises_the_kl_penalised_objective(toy, beta):
    def negative_j(theta):
        return -toy_policy.rlhf_objective(toy_policy.softmax(theta), toy.ref_probs, toy.rewards, beta)

    res = optimize.minimize(negative_j, np.zeros(5), method="BFGS", options={"gtol": 1e-10})
    np.testing.assert_allclose(toy_policy.softmax(res.x), toy_policy.optimal_policy(toy.ref_probs, toy.rewards, beta),
                               atol=1e-4)


def test_rlhf_objective_is_reward_minus_beta_kl(toy):
    pi = toy_policy.optimal_policy(toy.ref_probs, toy.rewards, 0.5)
    expected = pi @ toy.rewards - 0.5 * stats.entropy(pi, toy.ref_probs)
    assert toy_policy.rlhf_objective(pi, toy.ref_probs, toy.rewards, 0.5) == pytest.approx(expected)
    assert toy_policy.kl_divergence(pi, toy.ref_probs) == pytest.approx(stats.entropy(pi, toy.ref_probs))


def _numeric_grad(f, theta, eps=1e-6):
    return np.array([(f(theta + eps * e) - f(theta - eps * e)) / (2 * eps) for e in np.eye(len(theta))])


def test_ppo_surrogate_gradient_matches_finite_differences(toy):
    theta_old = np.log(toy.ref_probs)
    theta = theta_old + np.array([0.05, -0.03, 0.02, 0.0, -0.04])  # ratios inside the clip range

    def value(t):
        return toy_policy.ppo_surrogate(t, theta_old, toy.ref_probs, toy.rewards, 0.3)[0]

    np.testing.assert_allclose(toy_policy.ppo_surrogate(theta, theta_old, toy.ref_probs, toy.rewards, 0.3)[1],
                               _numeric_grad(value, theta), atol=1e-7)


def test_ppo_clipping_stops_the_push():
    ref = np.array([0.5, 0.5])
    theta_old = np.log(ref)
    theta = theta_old + np.array([0.5, -0.5])  # answer 0 now has ratio > 1.2, and the better advantage
    _, grad = toy_policy.ppo_surrogate(theta, theta_old, ref, np.array([1.0, 0.0]), beta=0.0, clip=0.2)
    np.testing.assert_allclose(grad, 0.0, atol=1e-12)


@pytest.mark.parametrize("beta", [0.2, 1.0])
def test_ppo_converges_to_the_kl_regularised_optimum(toy, beta):
    history = toy_policy.ppo_optimize(toy.ref_probs, toy.rewards, beta, iterations=400)
    target = toy_policy.optimal_policy(toy.ref_probs, toy.rewards, beta)
    assert toy_policy.kl_divergence(target, history[-1]) < 1e-3
    objective = [toy_policy.rlhf_objective(p, toy.ref_probs, toy.rewards, beta) for p in history]
    assert objective[-1] > objective[0] and np.all(np.diff(objective) > -1e-9)


def test_dpo_gradient_matches_finite_differences_of_the_loss(toy):
    theta = np.log(toy.ref_probs) + np.array([0.3, -0.2, 0.1, 0.0, 0.2])
    log_ref = np.log(toy.ref_probs)

    def loss(t):
        lp = toy_policy.log_softmax(t)
        return calc.dpo_loss(lp[0], lp[4], log_ref[0], log_ref[4], 0.7)

    np.testing.assert_allclose(toy_policy.dpo_gradient(theta, toy.ref_probs, 0, 4, 0.7), _numeric_grad(loss, theta),
                               atol=1e-7)


def test_one_dpo_step_lowers_the_loss_and_moves_mass_to_the_chosen_answer(toy):
    theta = np.log(toy.ref_probs)
    new, before, after = toy_policy.dpo_step(theta, toy.ref_probs, chosen=0, rejected=1, beta=0.1, lr=5.0)
    assert before == pytest.approx(np.log(2)) and after < before
    p0, p1 = toy_policy.softmax(theta), toy_policy.softmax(new)
    assert p1[0] > p0[0] and p1[1] < p0[1]


@pytest.mark.parametrize("beta", [0.1, 0.5, 2.0])
def test_dpo_on_bradley_terry_preferences_finds_the_same_policy_as_rlhf(toy, beta):
    pref = np.array([[calc.bradley_terry_prob(a, b) for b in toy.rewards] for a in toy.rewards])
    np.testing.assert_allclose(toy_policy.dpo_fit(toy.ref_probs, pref, beta),
                               toy_policy.optimal_policy(toy.ref_probs, toy.rewards, beta), atol=1e-6)


def test_beta_controls_the_distance_from_the_reference(toy):
    rows = toy_policy.beta_table(toy, (0.02, 0.1, 0.5, 2.0, 10.0))
    kls = [r["kl"] for r in rows]
    assert kls == sorted(kls, reverse=True) and kls[-1] < 0.05
    assert rows[0]["correct + padded"] > 0.9  # a tiny beta collapses onto the learned reward's favourite
    with pytest.raises(TechpmError, match="beta"):
        toy_policy.optimal_policy(toy.ref_probs, toy.rewards, 0)


# --- over-optimisation ------------------------------------------------------------------------------------

def test_best_of_n_policy_matches_monte_carlo():
    rng = np.random.default_rng(1)
    ref = np.array([0.4, 0.3, 0.2, 0.1])
    proxy = np.array([0.0, 1.0, 1.0, 3.0])  # a tie between answers 1 and 2
    exact = goodhart.best_of_n_policy(ref, proxy, 3)
    draws = rng.choice(4, p=ref, size=(200_000, 3))
    best = proxy[draws].max(axis=1)
    picked = np.where(best[:, None] == proxy[draws], draws, -1)
    choice = np.array([row[row >= 0][0] for row in picked[:20_000]])  # first drawn among the tied best
    np.testing.assert_allclose(np.bincount(choice, minlength=4) / len(choice), exact, atol=0.012)
    assert exact.sum() == pytest.approx(1.0)


def test_exact_best_of_n_kl_approaches_the_formula_and_never_exceeds_it():
    ref = np.full(20_000, 1 / 20_000)
    proxy = np.arange(20_000, dtype=float)
    for n in (2, 8, 64):
        pi = goodhart.best_of_n_policy(ref, proxy, n)
        kl = toy_policy.kl_divergence(pi, ref)
        assert kl <= calc.best_of_n_kl(n) + 1e-12
        assert kl == pytest.approx(calc.best_of_n_kl(n), abs=2e-3)


def test_overoptimisation_on_the_shipped_data(fitted):
    pool = goodhart.answer_pool("test")
    betas = np.r_[np.inf, np.logspace(1, -2, 31)]
    curve = goodhart.kl_regularised_curve(pool, fitted.weights, preferences.USER_WEIGHTS, betas)
    assert curve.kl[0] == pytest.approx(0.0, abs=1e-12)  # beta = inf is the reference policy
    assert np.all(np.diff(curve.kl) > 0) and np.all(np.diff(curve.proxy) > 0)  # optimising harder: further, higher
    assert 0 < curve.peak < len(betas) - 1  # the users' reward peaks in between ...
    assert curve.gold[-1] < curve.gold[curve.peak] - 0.5  # ... and then falls back (Goodhart)
    bon = goodhart.best_of_n_curve(pool, fitted.weights, preferences.USER_WEIGHTS, 2 ** np.arange(0, 13))
    assert bon.kl[0] == pytest.approx(0.0, abs=1e-12) and 0 < bon.peak < 12
    assert bon.gold[0] == pytest.approx(curve.gold[0])  # best-of-1 is the reference too
    assert np.all(bon.kl <= np.array([calc.best_of_n_kl(int(n)) for n in bon.knob]) + 1e-9)


def test_answer_pool_rejects_unknown_split():
    with pytest.raises(TechpmError, match="split"):
        goodhart.answer_pool("dev")


# --- exercise checks ---------------------------------------------------------------------------------------

def test_checks_accept_the_right_answers_and_name_the_usual_mistakes():
    from techpm.checks import rlhf as check

    p = calc.bradley_terry_prob(check.REWARD_A, check.REWARD_B)
    assert check.preference_probability(p).passed
    assert "probability of B" in check.preference_probability(1 - p).message
    assert "not done" in check.preference_probability(...).message
    loss = calc.dpo_loss(**check.DPO_PAIR)
    assert check.dpo_loss_value(loss).passed
    assert "beta" in check.dpo_loss_value(calc.dpo_loss(**{**check.DPO_PAIR, "beta": 1.0})).message
    gb = calc.rlhf_memory_bytes(check.PPO_POLICY_PARAMS, "ppo").total_bytes / 1e9
    assert check.ppo_memory_gb(gb).passed and "DPO" in check.ppo_memory_gb(gb / 2).message
    assert check.comparisons_from_rankings(check.RANKED_PROMPTS * 15).passed
    assert "K(K-1)/2" in check.comparisons_from_rankings(check.RANKED_PROMPTS * 36).message
    one_pass = calc.api_cost_usd("claude-haiku-5-5", 200_000 * 900, 200_000 * 80)
    assert check.ai_labeling_cost(2 * one_pass, "claude-haiku-5-5").passed
    assert "twice" in check.ai_labeling_cost(one_pass, "claude-haiku-5-5").message
    assert check.dominant_cost("labels").passed and not check.dominant_cost("compute").passed


def test_best_beta_check_uses_the_lab(fitted):
    from techpm.checks import rlhf as check

    curve = goodhart.kl_regularised_curve(goodhart.answer_pool("test"), fitted.weights, preferences.USER_WEIGHTS,
                                          list(check.BETA_CHOICES))
    best = check.BETA_CHOICES[curve.peak]
    assert check.best_beta(best).passed and check.best_beta(str(best)).passed
    wrong = next(b for b in check.BETA_CHOICES if b != best)
    assert not check.best_beta(wrong).passed and "users' reward" in check.best_beta(wrong).message


def test_overoptimisation_image_is_a_png(fitted):
    pool = goodhart.answer_pool("test")
    curve = goodhart.kl_regularised_curve(pool, fitted.weights, preferences.USER_WEIGHTS, [1.0, 0.1])
    assert goodhart.overoptimisation_image(curve).data[:4] == b"\x89PNG"
