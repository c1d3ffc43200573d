"""The eval statistics, each hand-written formula checked against scipy or statsmodels (test-only oracles)."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from techpm import calc
from techpm.errors import TechpmError

scipy_stats = pytest.importorskip("scipy.stats")
sm_proportion = pytest.importorskip("statsmodels.stats.proportion")
sm_power = pytest.importorskip("statsmodels.stats.power")
sm_inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
sm_weightstats = pytest.importorskip("statsmodels.stats.weightstats")

CONFIDENCES = [0.8, 0.9, 0.95, 0.99]


# --- quantiles --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("p", [1e-6, 0.01, 0.025, 0.1, 0.5, 0.8, 0.975, 0.995, 1 - 1e-9])
def test_normal_quantile_matches_scipy(p):
    assert calc.normal_quantile(p) == pytest.approx(scipy_stats.norm.ppf(p), abs=1e-9)


@pytest.mark.parametrize("df", [1, 2, 3, 4, 5, 7, 9, 10, 19, 29, 30, 49, 99, 250, 1_000, 10_000, 1e6, 0.5, 2.5, 13.7])
@pytest.mark.parametrize("p", [0.0005, 0.025, 0.1, 0.4, 0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9995])
def test_t_quantile_matches_scipy(df, p):
    expected = scipy_stats.t.ppf(p, df)
    assert calc.t_quantile(p, df) == pytest.approx(expected, rel=1e-9, abs=1e-10)


@settings(max_examples=200, deadline=None)
@given(p=st.floats(1e-7, 1 - 1e-7), df=st.floats(0.3, 5_000))
def test_t_quantile_inverts_the_cdf_and_matches_scipy(p, df):
    t = calc.t_quantile(p, df)
    assert t == pytest.approx(scipy_stats.t.ppf(p, df), rel=1e-7, abs=1e-9)
    assert calc.t_cdf(t, df) == pytest.approx(p, rel=1e-8, abs=1e-12)


@pytest.mark.parametrize("t", [-30.0, -2.5, -1.0, 0.0, 0.3, 1.96, 4.0, 12.0])
@pytest.mark.parametrize("df", [1, 3, 8.5, 40, 3_000])
def test_t_cdf_matches_scipy(t, df):
    assert calc.t_cdf(t, df) == pytest.approx(scipy_stats.t.cdf(t, df), rel=1e-10, abs=1e-14)


def test_t_quantiles_from_the_printed_table():
    # The 97.5% column of any t table: 12.706 (1 df), 2.776 (4), 2.228 (10), 2.042 (30), 1.960 (inf).
    for df, value in [(1, 12.706), (4, 2.776), (10, 2.228), (30, 2.042)]:
        assert calc.t_quantile(0.975, df) == pytest.approx(value, abs=5e-4)
    assert calc.t_quantile(0.975, 1e9) == pytest.approx(calc.normal_quantile(0.975), abs=1e-7)


# --- proportions ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("confidence", CONFIDENCES)
@pytest.mark.parametrize("successes, n", [(0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (84, 100), (1, 500),
                                          (450, 500), (5_000, 10_000), (0, 2_000)])
def test_wilson_matches_statsmodels(successes, n, confidence):
    low, high = calc.wilson_interval(successes, n, confidence)
    ref = sm_proportion.proportion_confint(successes, n, alpha=1 - confidence, method="wilson")
    assert (low, high) == pytest.approx(ref, abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 100_000), data=st.data(), confidence=st.floats(0.5, 0.999))
def test_wilson_matches_statsmodels_everywhere(n, data, confidence):
    k = data.draw(st.integers(0, n))
    ref = sm_proportion.proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    assert calc.wilson_interval(k, n, confidence) == pytest.approx(ref, abs=1e-10)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 20_000), data=st.data())
def test_wilson_properties(n, data):
    k = data.draw(st.integers(0, n))
    low, high = calc.wilson_interval(k, n)
    assert 0 <= low <= k / n <= high <= 1  # contains the observed rate, stays a probability
    low4, high4 = calc.wilson_interval(4 * k, 4 * n)  # same observed rate, four times the items
    assert high4 - low4 < high - low
    low99, high99 = calc.wilson_interval(k, n, 0.99)
    assert low99 <= low and high <= high99  # more confidence, wider interval
    mirror = calc.wilson_interval(n - k, n)  # symmetric in successes and failures
    assert mirror == pytest.approx((1 - high, 1 - low), abs=1e-12)


def test_wilson_stays_honest_where_wald_collapses():
    assert calc.wald_interval(20, 20) == (1.0, 1.0)
    low, high = calc.wilson_interval(20, 20)
    assert high == 1.0 and low == pytest.approx(0.8389, abs=1e-4)


@pytest.mark.parametrize("successes, n", [(3, 10), (84, 100), (450, 500)])
def test_wald_matches_statsmodels_normal(successes, n):
    ref = sm_proportion.proportion_confint(successes, n, alpha=0.05, method="normal")
    assert calc.wald_interval(successes, n) == pytest.approx(ref, abs=1e-12)


@pytest.mark.parametrize("margin", [0.2, 0.1, 0.05, 0.03, 0.02, 0.01, 0.005])
@pytest.mark.parametrize("p", [0.5, 0.7, 0.9, 0.98])
@pytest.mark.parametrize("confidence", CONFIDENCES)
def test_sample_size_for_margin_matches_statsmodels(margin, p, confidence):
    ref = sm_proportion.samplesize_confint_proportion(p, margin, alpha=1 - confidence, method="normal")
    assert calc.sample_size_for_margin(margin, p, confidence) == math.ceil(ref - 1e-9)


def test_sample_size_for_margin_textbook_numbers():
    # 1.96^2 * 0.25 / margin^2: the survey-sampling classics 385, 1,068 (+-3 points) and 9,604.
    assert [calc.sample_size_for_margin(m) for m in (0.05, 0.03, 0.01)] == [385, 1068, 9604]


@settings(max_examples=300, deadline=None)
@given(margin=st.floats(0.002, 0.4), p=st.floats(0.01, 0.99), confidence=st.floats(0.5, 0.999))
def test_sample_size_is_the_smallest_that_reaches_the_margin(margin, p, confidence):
    n = calc.sample_size_for_margin(margin, p, confidence)
    assert calc.margin_of_error(n, p, confidence) <= margin * (1 + 1e-9)
    if n > 1:
        assert calc.margin_of_error(n - 1, p, confidence) > margin * (1 - 1e-9)
    assert calc.sample_size_for_margin(margin / 2, p, confidence) >= 4 * n - 4  # half the margin, 4x items


# --- agreement --------------------------------------------------------------------------------------------

def _table(a, b):
    cats = sorted(set(a) | set(b))
    table = [[0] * len(cats) for _ in cats]
    for x, y in zip(a, b, strict=True):
        table[cats.index(x)][cats.index(y)] += 1
    return table


def test_kappa_worked_example():
    # 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15. p_o = 0.7, p_e = 0.5, kappa = 0.4.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert calc.percent_agreement(a, b) == pytest.approx(0.7)
    assert calc.cohens_kappa(a, b) == pytest.approx(0.4)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), n=st.integers(2, 200), k=st.integers(2, 5))
def test_kappa_matches_statsmodels(data, n, k):
    a = data.draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    b = data.draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    assume(len(set(a) | set(b)) >= 2)
    table = _table(a, b)
    for weights, wt in ((None, None), ("linear", "linear"), ("quadratic", "quadratic")):
        ours = calc.cohens_kappa(a, b, weights=weights)
        ref = sm_inter_rater.cohens_kappa(table, wt=wt, return_results=False)
        if math.isnan(ref):
            assert math.isnan(ours)
        else:
            assert ours == pytest.approx(ref, abs=1e-10)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from("abc"), min_size=2, max_size=60), st.lists(st.sampled_from("abc"), min_size=2, max_size=60))
def test_kappa_properties(a, b):
    n = min(len(a), len(b))
    a, b = a[:n], b[:n]
    assume(len(set(a)) >= 2)
    assert calc.cohens_kappa(a, a) == pytest.approx(1.0)
    if len(set(a) | set(b)) >= 2 and not (len(set(a)) == 1 == len(set(b))):
        kappa = calc.cohens_kappa(a, b)
        assert kappa == pytest.approx(calc.cohens_kappa(b, a))  # symmetric
        assert -1 - 1e-12 <= kappa <= 1 + 1e-12
        assert kappa <= calc.percent_agreement(a, b) + 1e-12 or calc.percent_agreement(a, b) == 1


def test_kappa_is_chance_level_for_independent_raters():
    rng = random.Random(0)
    a = [rng.random() < 0.9 for _ in range(20_000)]
    b = [rng.random() < 0.9 for _ in range(20_000)]
    assert calc.percent_agreement(a, b) == pytest.approx(0.82, abs=0.01)  # raw agreement flatters
    assert calc.cohens_kappa(a, b) == pytest.approx(0.0, abs=0.03)


def test_kappa_is_nan_when_both_raters_never_vary():
    assert math.isnan(calc.cohens_kappa([1, 1, 1], [1, 1, 1]))


@pytest.mark.parametrize("kappa, band", [(-0.1, "poor"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"),
                                         (0.4, "fair"), (0.5, "moderate"), (0.61, "substantial"),
                                         (0.8, "substantial"), (0.81, "almost perfect"), (1.0, "almost perfect")])
def test_landis_koch_bands(kappa, band):
    assert calc.kappa_band(kappa) == band


# --- paired comparison ------------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(data=st.data(), n=st.integers(2, 300), confidence=st.sampled_from(CONFIDENCES))
def test_paired_difference_matches_scipy_and_statsmodels(data, n, confidence):
    a = data.draw(st.lists(st.floats(-10, 10), min_size=n, max_size=n))
    b = data.draw(st.lists(st.floats(-10, 10), min_size=n, max_size=n))
    d = [x - y for x, y in zip(a, b, strict=True)]
    assume(max(d) - min(d) > 1e-6)
    mean, low, high = calc.paired_difference(a, b, confidence)
    ci = scipy_stats.ttest_rel(a, b).confidence_interval(confidence_level=confidence)
    assert (low, high) == pytest.approx((ci.low, ci.high), rel=1e-8, abs=1e-9)
    ref = sm_weightstats.DescrStatsW(d).tconfint_mean(alpha=1 - confidence)
    assert (low, high) == pytest.approx(ref, rel=1e-8, abs=1e-9)
    assert low <= mean <= high


def test_paired_beats_unpaired_when_questions_differ_in_difficulty():
    # 200 questions of varied difficulty; model B is a little better on each. Pairing removes the spread.
    rng = random.Random(1)
    difficulty = [rng.gauss(0, 1) for _ in range(200)]
    a = [1.0 if rng.random() < 1 / (1 + math.exp(x)) else 0.0 for x in difficulty]
    b = [max(s, 1.0 if rng.random() < 0.08 else 0.0) for s in a]
    mean, low, high = calc.paired_difference(b, a)
    unpaired = scipy_stats.ttest_ind(b, a).confidence_interval()
    assert high - low < (unpaired.high - unpaired.low) * 0.5
    assert low > 0 > unpaired.low  # the paired test sees the improvement; the unpaired one does not


# --- A/B tests --------------------------------------------------------------------------------------------

AB_GRID = [(0.10, 0.02), (0.10, -0.02), (0.05, 0.01), (0.5, 0.05), (0.9, 0.03), (0.02, 0.005), (0.3, 0.1)]


@pytest.mark.parametrize("base, effect", AB_GRID)
@pytest.mark.parametrize("alpha, power", [(0.05, 0.8), (0.01, 0.9), (0.1, 0.8)])
def test_ab_sample_size_matches_statsmodels_pooled_formula(base, effect, alpha, power):
    ref = sm_proportion.samplesize_proportions_2indep_onetail(effect, base, power, alpha=alpha, alternative="two-sided")
    assert calc.ab_test_sample_size(base, effect, alpha, power) == math.ceil(ref - 1e-9)


@pytest.mark.parametrize("base, effect", AB_GRID)
def test_ab_sample_size_arcsine_matches_statsmodels_normal_ind_power(base, effect):
    h = sm_proportion.proportion_effectsize(base + effect, base)
    ref = sm_power.NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.8, ratio=1)
    assert calc.ab_test_sample_size(base, effect, method="arcsine") == math.ceil(ref - 1e-9)
    pooled = calc.ab_test_sample_size(base, effect)
    assert pooled == pytest.approx(ref, rel=0.03)  # the two methods agree to a few percent


@pytest.mark.parametrize("base, effect", AB_GRID)
def test_ab_sample_size_reaches_the_power_by_statsmodels(base, effect):
    n = calc.ab_test_sample_size(base, effect)
    # statsmodels computes the power of the same z test, both tails included.
    achieved = sm_proportion.power_proportions_2indep(effect, base, n, alpha=0.05).power
    assert achieved >= 0.8
    assert calc.ab_test_power(base, effect, n) == pytest.approx(achieved, abs=2e-4)
    assert calc.ab_test_power(base, effect, n - 1) < 0.8


def test_ab_worked_example_and_rule_of_thumb():
    assert calc.ab_test_sample_size(0.10, 0.02) == 3841
    assert calc.rule_of_thumb_sample_size(0.10 * 0.90, 0.02) == 3600
    # halving the effect roughly quadruples the users
    assert calc.ab_test_sample_size(0.10, 0.01) / calc.ab_test_sample_size(0.10, 0.02) == pytest.approx(3.9, abs=0.15)


@settings(max_examples=100, deadline=None)
@given(base=st.floats(0.01, 0.9), n=st.integers(50, 1_000_000))
def test_minimum_detectable_effect_inverts_the_sample_size(base, n):
    try:
        mde = calc.minimum_detectable_effect(base, n)
    except TechpmError:  # too few users to detect even a jump to ~1: the error says so instead of a NaN
        assert calc.ab_test_sample_size(base, (1 - base) * (1 - 1e-9)) > n
        return
    assume(base + mde < 0.999)
    assert calc.ab_test_sample_size(base, mde) in (n, n + 1)
    assert calc.ab_test_power(base, mde, n) == pytest.approx(0.8, abs=1e-6)


# --- errors -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, name", [
    (lambda: calc.wilson_interval(11, 10), "successes"),
    (lambda: calc.wilson_interval(1, 0), "n"),
    (lambda: calc.wilson_interval(1, 10, confidence=95), "confidence"),
    (lambda: calc.sample_size_for_margin(0), "margin"),
    (lambda: calc.sample_size_for_margin(0.05, p=1.5), "p"),
    (lambda: calc.cohens_kappa([1, 2], [1]), "labels_a"),
    (lambda: calc.cohens_kappa([1, 2], [1, 2], weights="cubic"), "weights"),
    (lambda: calc.paired_difference([1, 2], [1, "x"]), "scores_b"),
    (lambda: calc.paired_difference([1], [2]), "at least 2"),
    (lambda: calc.ab_test_sample_size(0.1, 0), "minimum_detectable_effect"),
    (lambda: calc.ab_test_sample_size(0.95, 0.1), r"base_rate \+ minimum_detectable_effect"),
    (lambda: calc.ab_test_sample_size(0.1, 0.02, power=80), "power"),
    (lambda: calc.ab_test_sample_size(0.1, 0.02, method="exact"), "method"),
    (lambda: calc.t_quantile(0.975, 0), "df"),
    (lambda: calc.kappa_band(1.5), "kappa"),
])
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(TechpmError, match=name):
        call()


@pytest.mark.parametrize("a, na, b, nb", [(45, 60, 42, 60), (300, 500, 280, 500), (1, 30, 0, 25)])
def test_unpaired_difference_matches_statsmodels_wald(a, na, b, nb):
    mean, low, high = calc.unpaired_difference(a, na, b, nb)
    ref = sm_proportion.confint_proportions_2indep(a, na, b, nb, method="wald", compare="diff")
    assert mean == pytest.approx(a / na - b / nb) and (low, high) == pytest.approx(ref, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 300), st.integers(0, 40), st.integers(1, 40), st.integers(0, 300))
def test_pairing_only_counts_disagreements(both_right, only_a, only_b, both_wrong):
    a, b = calc.outcomes_from_counts(both_right, only_a, only_b, both_wrong)
    n = len(a)
    assume(n >= 2)
    assert sum(a) == both_right + only_a and sum(b) == both_right + only_b
    mean, low, high = calc.paired_difference(b, a)
    assert mean == pytest.approx((only_b - only_a) / n)
    _, ulow, uhigh = calc.unpaired_difference(sum(b), n, sum(a), n)
    if n > 30 and both_right * both_wrong >= only_a * only_b:
        # models that agree more than chance (non-negative covariance): pairing can only narrow the interval,
        # up to the t vs. z quantile and the sample variance's n/(n-1) (e.g. one model always wrong: the
        # covariance is 0 and the paired interval is wider by exactly that factor)
        slack = scipy_stats.t.ppf(0.975, n - 1) / scipy_stats.norm.ppf(0.975) * math.sqrt(n / (n - 1))
        assert high - low <= (uhigh - ulow) * slack * (1 + 1e-9)
