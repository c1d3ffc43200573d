"""Statistics for evals: is a model change real, and how many items or users does it take to know?

Every formula here is written out by hand (the formulas are the lesson) using only ``math`` and
``statistics``; the tests check each one against scipy or statsmodels.

    normal quantile   z_p = Phi^-1(p)                        statistics.NormalDist().inv_cdf
    t quantile        t_{p,nu}: the CDF is  1 - I_x(nu/2, 1/2) / 2  for t > 0, x = nu / (nu + t^2)
                      (Abramowitz & Stegun 26.7.1 and 26.5.27), I evaluated by its continued fraction
                      (Press et al., "Numerical Recipes", 3rd ed., section 6.4), inverted by Newton's
                      method from the Cornish-Fisher start (A&S 26.7.5). Matches scipy.stats.t.ppf.
    Wilson interval   (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)
                      Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical
                      inference", JASA 22(158), 209-212, https://doi.org/10.1080/01621459.1927.10502953
    margin -> n       n = ceil(z^2 p (1-p) / margin^2)       (the normal-approximation half-width)
    Cohen's kappa     (p_o - p_e) / (1 - p_e)                Cohen, J. (1960), "A coefficient of agreement
                      for nominal scales", Educational and Psychological Measurement 20(1), 37-46,
                      https://doi.org/10.1177/001316446002000104; weighted form: Cohen (1968),
                      Psychological Bulletin 70(4), 213-220. Bands: Landis & Koch (1977), Biometrics
                      33(1), 159-174, https://doi.org/10.2307/2529310
    paired t          mean(d) -+ t_{1-a/2, n-1} sd(d)/sqrt(n),  d = a - b per question
    A/B sample size   n = (z_{1-a/2} sqrt(2 pbar qbar) + z_{power} sqrt(p1 q1 + p2 q2))^2 / delta^2 per arm
                      (pooled variance under H0, unpooled under H1: Fleiss, Levin & Paik, "Statistical
                      Methods for Rates and Proportions", 3rd ed. 2003, ch. 4, without continuity
                      correction; statsmodels' samplesize_proportions_2indep_onetail computes the same).
                      method="arcsine" uses Cohen's h = 2 asin(sqrt p2) - 2 asin(sqrt p1) instead; the
                      transform has variance 1/n in each arm whatever p, so n = 2 ((z_{1-a/2} + z_power) / h)^2
                      (Cohen 1988, "Statistical Power Analysis for the Behavioral Sciences", ch. 6;
                      statsmodels' NormalIndPower + proportion_effectsize).
                      The two differ by well under 1% for rates between 5% and 95%.
    rule of thumb     n = 16 sigma^2 / delta^2 per variant at alpha 0.05, power 0.8 (Kohavi, Tang & Xu
                      2020, "Trustworthy Online Controlled Experiments", ch. 17; van Belle, "Statistical
                      Rules of Thumb", section 2.1).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Sequence

from techpm.calc._validate import MAX_LOOP, non_negative_int, positive, positive_int, probability
from techpm.errors import TechpmError

__all__ = [
    "normal_quantile",
    "t_quantile",
    "t_cdf",
    "wald_interval",
    "wilson_interval",
    "sample_size_for_margin",
    "margin_of_error",
    "cohens_kappa",
    "percent_agreement",
    "kappa_band",
    "KAPPA_BANDS",
    "paired_difference",
    "unpaired_difference",
    "outcomes_from_counts",
    "ab_test_sample_size",
    "ab_test_power",
    "minimum_detectable_effect",
    "rule_of_thumb_sample_size",
]

_NORMAL = statistics.NormalDist()


def _confidence(confidence: float) -> float:
    return probability("confidence", confidence, open_interval=True)


def normal_quantile(p: float) -> float:
    """``z`` with ``P(Z <= z) = p`` for a standard normal: 1.96 for p = 0.975.

    Source: Python's ``statistics.NormalDist().inv_cdf`` (the standard normal quantile).
    Used in: 04 (via checks.evals).
    """
    probability("p", p, open_interval=True)
    return _NORMAL.inv_cdf(p)


def _two_sided_z(confidence: float) -> float:
    return _NORMAL.inv_cdf(0.5 + _confidence(confidence) / 2)


# --- Student's t -----------------------------------------------------------------------------------------

def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes 6.4)."""
    tiny, eps = 1e-300, 1e-16
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)),
                   -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < eps:
            return h
    raise ArithmeticError("incomplete beta continued fraction did not converge")  # pragma: no cover


def _regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularized incomplete beta function (A&S 26.5.1)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1.0 - x) / b


def _t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for t >= 0: I_x(df/2, 1/2) / 2 with x = df / (df + t^2) (A&S 26.7.1 with 26.5.27)."""
    return 0.5 * _regularized_beta(df / 2.0, 0.5, df / (df + t * t))


def _t_pdf(t: float, df: float) -> float:
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - (df + 1) / 2 * math.log1p(t * t / df))


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom.

    Source: Abramowitz & Stegun 26.7.1, 26.5.27 and 26.7.5; Press et al., "Numerical Recipes", 3rd ed.,
        section 6.4 (checked against scipy.stats.t).
    Used in: no lesson yet (library use only).
    """
    positive("df", df)
    if not isinstance(t, (int, float)) or isinstance(t, bool) or not math.isfinite(t):
        raise TechpmError(f"t must be a finite number, got {t!r}.")
    tail = _t_upper_tail(abs(t), df)
    return 1.0 - tail if t >= 0 else tail


def _cornish_fisher(z: float, df: float) -> float:
    """The t quantile as a series in 1/df around the normal quantile z (A&S 26.7.5)."""
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    g5 = (27 * z**11 + 339 * z**9 + 930 * z**7 - 1782 * z**5 - 765 * z**3 + 17955 * z) / 368640
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4 + g5 / df**5


T_QUANTILE_MIN_DF = 0.1
KAPPA_MAX_CATEGORIES = 1_000
_SERIES_DF = 2_000  # above this many degrees of freedom the Cornish-Fisher series alone is used


def t_quantile(p: float, df: float) -> float:
    """``t`` with ``P(T <= t) = p`` for Student's t with ``df >= 0.1`` degrees of freedom.

    Below 0.1 degrees of freedom the tails are so heavy that the quantiles run past what a float holds
    (at df = 0.01 the 90th percentile is about 4e68, the 99.9999th beyond 1e308), so such a df is a
    ``TechpmError``; so is a p so extreme that the quantile overflows. A sample of n items has n - 1 >= 1.

    2.776 for p = 0.975, df = 4; 1.960 as df grows. df = 1 and 2 have closed forms (A&S 26.7.3-4);
    above 2,000 df the Cornish-Fisher series (A&S 26.7.5, five terms) is exact to ~1e-13; otherwise
    Newton's method on the exact CDF, started from that series and kept inside a bracket, converges
    to ~1e-12 (tested against scipy.stats.t.ppf).

    Source: Abramowitz & Stegun 26.7.1, 26.5.27 and 26.7.5; Press et al., "Numerical Recipes", 3rd ed.,
        section 6.4 (checked against scipy.stats.t).
    Used in: no lesson directly; inside ``paired_difference``.
    """
    probability("p", p, open_interval=True)
    positive("df", df)
    if df < T_QUANTILE_MIN_DF:
        raise TechpmError(f"df must be at least {T_QUANTILE_MIN_DF} for a t quantile (below it the quantiles "
                          f"overflow), got {df!r}.")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    q = 1.0 - p  # upper-tail probability: solving on it avoids cancellation near p = 1
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    start = _cornish_fisher(_NORMAL.inv_cdf(p), df)
    if df > _SERIES_DF:  # the series is exact to ~1e-13 here, and lgamma loses digits at huge df
        return start
    t = max(start, 1e-8)
    lo, hi = 0.0, math.inf
    for _ in range(200):
        gap = _t_upper_tail(t, df) - q  # > 0: t is too small
        if gap > 0:
            lo = t
        else:
            hi = t
        density = _t_pdf(t, df)
        if density == 0.0 and not math.isfinite(hi):  # t is so far out that the density underflows
            raise TechpmError(f"df={df!r} is too small for p={p!r}: that t quantile is beyond what a float holds.")
        new = t + gap / density if density > 0.0 else (lo + hi) / 2
        if not lo < new < hi:  # Newton left the bracket: bisect (or expand when no upper bound yet)
            new = (lo + hi) / 2 if math.isfinite(hi) else 2 * max(t, 1.0)
        if abs(new - t) <= 1e-13 * max(1.0, abs(t)):
            return new
        t = new
    return t  # pragma: no cover


# --- proportions -----------------------------------------------------------------------------------------

def _counts(successes: int, n: int, names: tuple[str, str] = ("successes", "n")) -> tuple[int, int]:
    positive_int(names[1], n)
    non_negative_int(names[0], successes)
    if successes > n:
        raise TechpmError(f"{names[0]} ({successes}) cannot exceed {names[1]} ({n}).")
    return successes, n


def wald_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The textbook interval p -+ z sqrt(p(1-p)/n), clipped to [0, 1].

    Shown for contrast: at 20 of 20 correct it claims [1, 1], certainty from twenty items. Use
    ``wilson_interval``.

    Source: the normal approximation to the binomial (Wald interval); compare Wilson 1927, "Probable
        inference, the law of succession, and statistical inference", JASA 22(158),
        https://doi.org/10.1080/01621459.1927.10502953.
    Used in: 04 §3; 07 (via checks.agents).
    """
    successes, n = _counts(successes, n)
    z = _two_sided_z(confidence)
    p = successes / n
    half = z * math.sqrt(p * (1 - p) / n)
    return max(0.0, p - half), min(1.0, p + half)


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval for a rate: ``successes`` correct out of ``n`` items.

        center = (p + z^2/(2n)) / (1 + z^2/n)
        half   = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/(4 n^2))

    It inverts the score test, so it stays inside [0, 1] and is sensible at 0 or n successes, where
    the Wald interval collapses to a point (Wilson 1927; Brown, Cai & DasGupta 2001, "Interval
    Estimation for a Binomial Proportion", Statistical Science 16(2), recommend it for small n).
    84 of 100: (0.756, 0.899). Same as statsmodels ``proportion_confint(method="wilson")``.

    Source: Wilson 1927, "Probable inference, the law of succession, and statistical inference", JASA 22(158),
        https://doi.org/10.1080/01621459.1927.10502953.
    Used in: 04 §3, §7, exercises; 07 exercises.
    """
    successes, n = _counts(successes, n)
    z = _two_sided_z(confidence)
    p = successes / n
    z2n = z * z / n
    center = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low = 0.0 if successes == 0 else max(0.0, center - half)
    high = 1.0 if successes == n else min(1.0, center + half)
    return low, high


def margin_of_error(n: int, p: float = 0.5, confidence: float = 0.95) -> float:
    """Half-width z sqrt(p(1-p)/n) of a rate measured on ``n`` items: 0.098 for 100 items at p = 0.5.

    Source: the normal-approximation half-width z sqrt(p(1-p)/n).
    Used in: 04 §4.
    """
    positive_int("n", n)
    probability("p", p)
    return _two_sided_z(confidence) * math.sqrt(p * (1 - p) / n)


def sample_size_for_margin(margin: float, p: float = 0.5, confidence: float = 0.95) -> int:
    """Eval items needed to measure a rate near ``p`` to within +-``margin`` (normal approximation).

        n = ceil(z^2 p (1 - p) / margin^2)

    p = 0.5 is the worst case: +-5 points at 95% takes 385 items, +-2 points 2,401, +-1 point 9,604.
    Halving the margin quadruples the items. A model near 90% accuracy needs fewer (p(1-p) = 0.09 vs
    0.25). Same as statsmodels ``samplesize_confint_proportion(p, margin, method="normal")``, rounded up.

    Source: the normal-approximation half-width z sqrt(p(1-p)/n), solved for n.
    Used in: 04 §3, §4, §7, exercises; 07 §3; 09 §7, exercises.
    """
    positive("margin", margin)
    if margin >= 1:
        raise TechpmError(f"margin must be below 1 (it is a half-width on a 0-1 rate), got {margin!r}.")
    probability("p", p)
    z = _two_sided_z(confidence)
    n = z * z * p * (1 - p) / (margin * margin)
    return max(1, math.ceil(n - 1e-9))


# --- agreement -------------------------------------------------------------------------------------------

KAPPA_BANDS: tuple[tuple[float, str], ...] = (
    (0.0, "poor"), (0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"),
    (1.0, "almost perfect"),
)
"""Landis & Koch (1977): <0 poor, 0-0.20 slight, 0.21-0.40 fair, 0.41-0.60 moderate, 0.61-0.80
substantial, 0.81-1.00 almost perfect. Conventions, not laws: they rest on the authors' judgement,
not on data. Each entry is (upper bound, label)."""


def kappa_band(kappa: float) -> str:
    """The Landis & Koch (1977) label for a kappa: 0.65 -> 'substantial'.

    Source: Landis & Koch 1977, Biometrics 33(1), https://doi.org/10.2307/2529310.
    Used in: 04 §6.
    """
    if isinstance(kappa, bool) or not isinstance(kappa, (int, float)) or not -1 <= kappa <= 1:
        raise TechpmError(f"kappa must be a number between -1 and 1, got {kappa!r}.")
    if kappa < 0:
        return "poor"
    for upper, label in KAPPA_BANDS[1:]:
        if kappa <= upper:
            return label
    return KAPPA_BANDS[-1][1]  # pragma: no cover


def _paired_labels(labels_a: Sequence[Hashable], labels_b: Sequence[Hashable]) -> tuple[list, list]:
    try:
        a, b = list(labels_a), list(labels_b)
    except TypeError:
        raise TechpmError("labels_a and labels_b must be sequences of labels, one per item.") from None
    if len(a) != len(b):
        raise TechpmError(f"labels_a and labels_b must label the same items: got {len(a)} and {len(b)} labels.")
    if not a:
        raise TechpmError("labels_a and labels_b are empty: there is nothing to compare.")
    return a, b


def percent_agreement(labels_a: Sequence[Hashable], labels_b: Sequence[Hashable]) -> float:
    """Share of items on which two raters give the same label (kappa's p_o).

    Source: a definition, stated in the formula above (no external figure).
    Used in: 04 §6.
    """
    a, b = _paired_labels(labels_a, labels_b)
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def cohens_kappa(labels_a: Sequence[Hashable], labels_b: Sequence[Hashable],
                 weights: str | None = None) -> float:
    """Agreement between two raters beyond what chance would give: ``(p_o - p_e) / (1 - p_e)``.

    ``p_o`` is the share of items on which they agree; ``p_e`` the agreement expected if each rater
    labelled at random with their own label frequencies, ``sum_k p_a(k) p_b(k)`` (Cohen 1960).
    1 is perfect agreement, 0 is chance level, below 0 worse than chance. Two raters who say "pass"
    90% of the time agree 82% of the time by chance alone: that is why raw agreement flatters.

    ``weights="linear"`` or ``"quadratic"`` gives Cohen's (1968) weighted kappa for ordinal grades
    (0/1/2): a 0-vs-2 disagreement counts more than 0-vs-1. Categories are the sorted labels seen,
    weighted by their rank, as statsmodels ``cohens_kappa(table, wt=...)`` and scikit-learn do.
    Returns ``nan`` when chance agreement is 1 (both raters gave every item the same single label):
    kappa is undefined there; report percent agreement instead. At most ``KAPPA_MAX_CATEGORIES``
    (1,000) distinct labels.

    Source: Cohen 1960, Educational and Psychological Measurement 20(1),
        https://doi.org/10.1177/001316446002000104; weighted: Cohen 1968, Psychological Bulletin 70(4).
    Used in: 04 §6, exercises.
    """
    a, b = _paired_labels(labels_a, labels_b)
    if weights not in (None, "linear", "quadratic"):
        raise TechpmError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}.")
    try:
        categories = sorted(set(a) | set(b))
    except TypeError:
        if weights is not None:
            raise TechpmError("weighted kappa needs labels that can be ordered (such as grades 0, 1, 2).") from None
        categories = list(dict.fromkeys(a + b))
    if len(categories) > KAPPA_MAX_CATEGORIES:  # the k x k tables below would take k**2 memory and time
        raise TechpmError(f"labels_a and labels_b use {len(categories):,} different labels; kappa allows at most "
                          f"{KAPPA_MAX_CATEGORIES:,} categories (are these ids rather than labels?).")
    index = {c: i for i, c in enumerate(categories)}
    k, n = len(categories), len(a)
    if weights is None:
        dist = [[0.0 if i == j else 1.0 for j in range(k)] for i in range(k)]
    else:
        power = 1 if weights == "linear" else 2
        span = max(k - 1, 1)
        dist = [[(abs(i - j) / span) ** power for j in range(k)] for i in range(k)]
    observed = [[0.0] * k for _ in range(k)]
    for x, y in zip(a, b, strict=True):
        observed[index[x]][index[y]] += 1 / n
    row = [sum(r) for r in observed]
    col = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    disagree_obs = sum(dist[i][j] * observed[i][j] for i in range(k) for j in range(k))
    disagree_exp = sum(dist[i][j] * row[i] * col[j] for i in range(k) for j in range(k))
    if disagree_exp <= 1e-15:
        return math.nan
    return 1.0 - disagree_obs / disagree_exp


# --- comparing two models on the same questions ----------------------------------------------------------

def _scores(name: str, values: Sequence[float]) -> list[float]:
    try:
        out = [float(v) for v in values]
    except (TypeError, ValueError):
        raise TechpmError(f"{name} must be a sequence of numbers, one score per question.") from None
    if not all(math.isfinite(v) for v in out):
        raise TechpmError(f"{name} contains a value that is not a finite number.")
    return out


def paired_difference(scores_a: Sequence[float], scores_b: Sequence[float],
                      confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean of ``a - b`` over the same questions, with its t interval: ``(mean, low, high)``.

        d_i = a_i - b_i;  mean(d) -+ t_{(1+confidence)/2, n-1} * sd(d) / sqrt(n)

    Two models scored on the same items (0/1 correct, or rubric points): pairing removes the
    question-to-question difficulty that both share, so the interval is much narrower than comparing
    two independent accuracies. If the interval excludes 0, the change is unlikely to be noise.
    Same as scipy ``ttest_rel(a, b).confidence_interval(confidence)``.

    Source: the paired t interval; t quantiles: Abramowitz & Stegun 26.7.1, 26.5.27 and 26.7.5; Press et al.,
        "Numerical Recipes", 3rd ed., section 6.4 (checked against scipy.stats.t).
    Used in: 04 §3, exercises.
    """
    a, b = _scores("scores_a", scores_a), _scores("scores_b", scores_b)
    if len(a) != len(b):
        raise TechpmError(f"scores_a and scores_b must score the same questions: got {len(a)} and {len(b)}.")
    if len(a) < 2:
        raise TechpmError(f"need at least 2 paired scores to estimate a spread, got {len(a)}.")
    _confidence(confidence)
    d = [x - y for x, y in zip(a, b, strict=True)]
    mean = statistics.fmean(d)
    half = t_quantile(0.5 + confidence / 2, len(d) - 1) * statistics.stdev(d) / math.sqrt(len(d))
    return mean, mean - half, mean + half


def unpaired_difference(successes_a: int, n_a: int, successes_b: int, n_b: int,
                        confidence: float = 0.95) -> tuple[float, float, float]:
    """Difference of two rates from independent samples, ``(mean, low, high)`` (Wald interval).

        p_a - p_b -+ z sqrt(p_a (1 - p_a) / n_a + p_b (1 - p_b) / n_b)

    Right for an A/B test (different users in each arm). For two models on the same questions it
    throws away the pairing and gives a much wider interval than ``paired_difference``. Same as
    statsmodels ``confint_proportions_2indep(..., method="wald")``.

    Source: the Wald interval for a difference of two independent proportions (normal approximation).
    Used in: 04 §3.
    """
    successes_a, n_a = _counts(successes_a, n_a, ("successes_a", "n_a"))
    successes_b, n_b = _counts(successes_b, n_b, ("successes_b", "n_b"))
    z = _two_sided_z(confidence)
    pa, pb = successes_a / n_a, successes_b / n_b
    half = z * math.sqrt(pa * (1 - pa) / n_a + pb * (1 - pb) / n_b)
    return pa - pb, pa - pb - half, pa - pb + half


def outcomes_from_counts(both_right: int, only_a: int, only_b: int, both_wrong: int) -> tuple[list[int], list[int]]:
    """Per-question 0/1 scores of two models from the four counts of a 2x2 table (A's row, B's column).

    Only the questions where the models disagree (``only_a``, ``only_b``) move a paired comparison:
    the idea behind McNemar's test (McNemar 1947, Psychometrika 12(2), 153-157). The four counts may
    add up to at most ``MAX_LOOP`` (1,000,000) questions: the lists are built in memory.

    Source: a definition, stated in the formula above (no external figure).
    Used in: 04 §3.
    """
    for name, value in (("both_right", both_right), ("only_a", only_a), ("only_b", only_b),
                        ("both_wrong", both_wrong)):
        non_negative_int(name, value, at_most=MAX_LOOP)
    if both_right + only_a + only_b + both_wrong > MAX_LOOP:
        raise TechpmError(f"the four counts must add up to at most {MAX_LOOP:,} questions, got "
                          f"{both_right + only_a + only_b + both_wrong:,}.")
    a = [1] * both_right + [1] * only_a + [0] * only_b + [0] * both_wrong
    b = [1] * both_right + [0] * only_a + [1] * only_b + [0] * both_wrong
    if not a:
        raise TechpmError("the four counts add up to zero questions.")
    return a, b


# --- A/B tests -------------------------------------------------------------------------------------------

def _ab_rates(base_rate: float, effect: float) -> tuple[float, float]:
    probability("base_rate", base_rate, open_interval=True)
    if isinstance(effect, bool) or not isinstance(effect, (int, float)) or not math.isfinite(effect) or effect == 0:
        raise TechpmError(f"minimum_detectable_effect must be a non-zero rate difference, got {effect!r}.")
    treated = base_rate + effect
    if not 0 < treated < 1:
        raise TechpmError(f"base_rate + minimum_detectable_effect must stay strictly between 0 and 1, "
                          f"got {base_rate} + {effect} = {treated:g}.")
    return base_rate, treated


def _alpha_power(alpha: float, power: float) -> tuple[float, float]:
    probability("alpha", alpha, open_interval=True)
    probability("power", power, open_interval=True)
    return _NORMAL.inv_cdf(1 - alpha / 2), _NORMAL.inv_cdf(power)


def _n_per_arm(p1: float, p2: float, alpha: float, power: float, method: str) -> float:
    z_a, z_b = _alpha_power(alpha, power)
    if method == "pooled":
        p_bar = (p1 + p2) / 2
        root = z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
        return root * root / ((p2 - p1) ** 2)
    if method == "arcsine":
        h = 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))
        return 2 * ((z_a + z_b) / h) ** 2  # 2 asin(sqrt(p_hat)) has variance 1/n per arm
    raise TechpmError(f"method must be 'pooled' or 'arcsine', got {method!r}.")


def ab_test_sample_size(base_rate: float, minimum_detectable_effect: float, alpha: float = 0.05,
                        power: float = 0.8, method: str = "pooled") -> int:
    """Users (or conversations) per arm to detect a rate change of ``minimum_detectable_effect``.

    The effect is an absolute difference in rates (0.02 = two percentage points, from 10% to 12%);
    the test is two-sided at level ``alpha``; ``power`` is the chance of detecting a true effect of
    that size. ``method="pooled"`` (default):

        n = (z_{1-alpha/2} sqrt(2 pbar (1 - pbar)) + z_power sqrt(p1 q1 + p2 q2))^2 / (p2 - p1)^2

    with the pooled variance under "no difference" and each arm's own variance under the effect
    (Fleiss, Levin & Paik 2003, ch. 4, no continuity correction). 10% -> 12% at the defaults:
    3,841 per arm. ``method="arcsine"`` uses Cohen's h (the variance-stabilising transform that
    statsmodels' ``NormalIndPower`` with ``proportion_effectsize`` uses): 3,835 here. Halving the
    effect roughly quadruples the users.

    Source: Fleiss, Levin & Paik, "Statistical Methods for Rates and Proportions", 3rd ed. 2003, ch. 4
        (checked against statsmodels); Cohen 1988, ch. 6 for ``method="arcsine"``.
    Used in: 04 §3, exercises.
    """
    p1, p2 = _ab_rates(base_rate, minimum_detectable_effect)
    return math.ceil(_n_per_arm(p1, p2, alpha, power, method) - 1e-9)


def ab_test_power(base_rate: float, minimum_detectable_effect: float, n_per_arm: int,
                  alpha: float = 0.05) -> float:
    """Chance that a two-sided test at ``alpha`` detects the effect with ``n_per_arm`` users per arm.

        power = Phi((|delta| sqrt(n) - z_{1-alpha/2} sqrt(2 pbar qbar)) / sqrt(p1 q1 + p2 q2))

    The same normal approximation as ``ab_test_sample_size`` (the far tail, which adds well under
    0.1%, is ignored; statsmodels' ``power_proportions_2indep`` includes it).

    Source: Fleiss, Levin & Paik, "Statistical Methods for Rates and Proportions", 3rd ed. 2003, ch. 4
        (checked against statsmodels); Cohen 1988, ch. 6 for ``method="arcsine"``.
    Used in: no lesson yet (library use only).
    """
    p1, p2 = _ab_rates(base_rate, minimum_detectable_effect)
    positive_int("n_per_arm", n_per_arm)
    z_a, _ = _alpha_power(alpha, 0.5)
    p_bar = (p1 + p2) / 2
    numerator = abs(p2 - p1) * math.sqrt(n_per_arm) - z_a * math.sqrt(2 * p_bar * (1 - p_bar))
    return _NORMAL.cdf(numerator / math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)))


def minimum_detectable_effect(base_rate: float, n_per_arm: int, alpha: float = 0.05,
                              power: float = 0.8) -> float:
    """The smallest upward rate change that ``n_per_arm`` users per arm detect with ``power``.

    The inverse of ``ab_test_sample_size`` (pooled method), solved by bisection. Raises a ``TechpmError``
    when even a jump to a rate of ~1 is not detectable with so few users (there is no such effect).

    Source: Fleiss, Levin & Paik, "Statistical Methods for Rates and Proportions", 3rd ed. 2003, ch. 4
        (checked against statsmodels); Cohen 1988, ch. 6 for ``method="arcsine"``.
    Used in: 04 §3.
    """
    probability("base_rate", base_rate, open_interval=True)
    positive_int("n_per_arm", n_per_arm)
    _alpha_power(alpha, power)
    lo, hi = 0.0, (1 - base_rate) * (1 - 1e-9)
    if _n_per_arm(base_rate, base_rate + hi, alpha, power, "pooled") > n_per_arm:
        raise TechpmError(f"n_per_arm={n_per_arm} users per arm cannot detect any rise from base_rate "
                          f"{base_rate:g}, even to a rate of 1; it takes at least "
                          f"{math.ceil(_n_per_arm(base_rate, base_rate + hi, alpha, power, 'pooled'))}.")
    for _ in range(200):
        mid = (lo + hi) / 2
        if _n_per_arm(base_rate, base_rate + mid, alpha, power, "pooled") > n_per_arm:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12:
            break
    return hi


def rule_of_thumb_sample_size(variance: float, delta: float) -> int:
    """Kohavi's rule of thumb per variant at alpha = 0.05 and power = 0.8: ``16 variance / delta^2``.

    16 is 2 (z_0.975 + z_0.8)^2 = 15.7, rounded up (Kohavi, Tang & Xu 2020, ch. 17; van Belle,
    "Statistical Rules of Thumb", section 2.1, "The basic formula"). For a rate p, variance = p (1 - p): 10% -> 12%
    gives 16 * 0.09 / 0.0004 = 3,600 per variant (the exact formula gives 3,841).

    Source: Kohavi, Tang & Xu 2020, *Trustworthy Online Controlled Experiments*, ch. 17; van Belle,
        *Statistical Rules of Thumb*, section 2.1.
    Used in: 04 §3.
    """
    positive("variance", variance)
    positive("delta", abs(delta) if isinstance(delta, (int, float)) and not isinstance(delta, bool) else delta)
    return math.ceil(16 * variance / (delta * delta) - 1e-9)
