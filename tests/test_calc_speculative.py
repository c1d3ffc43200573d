"""Speculative decoding against Leviathan et al. 2023 and against a simulation of the acceptance process."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm import calc
from techpm.calc import speculative
from techpm.errors import TechpmError


def test_doctests():
    assert doctest.testmod(speculative).failed == 0


def test_closed_form_and_limits():
    # Eq. (1): E = (1 - alpha^(gamma+1)) / (1 - alpha).
    assert calc.speculative_expected_tokens(0.8, 4) == pytest.approx((1 - 0.8**5) / 0.2)
    assert calc.speculative_expected_tokens(0.0, 7) == 1.0          # every guess rejected
    assert calc.speculative_expected_tokens(1.0, 7) == 8.0          # every guess accepted
    assert calc.speculative_expected_tokens(1 - 1e-9, 7) == pytest.approx(8.0, rel=1e-6)
    assert calc.speculative_expected_tokens(0.6, 0) == 1.0          # no speculation


def test_expected_tokens_match_a_simulation():
    # Each draft token is accepted with probability alpha until the first rejection; the target adds one.
    rng = np.random.default_rng(0)
    alpha, gamma = 0.7, 5
    accepted = rng.random((200_000, gamma)) < alpha
    first_reject = np.where(accepted.all(axis=1), gamma, accepted.argmin(axis=1))
    assert (first_reject + 1).mean() == pytest.approx(calc.speculative_expected_tokens(alpha, gamma), rel=0.01)


def test_speedup_theorem_3_8():
    # Speed-up = E / (gamma c + 1); a free draft (c = 0) gives E itself.
    assert calc.speculative_speedup(0.8, 4, 0.0) == pytest.approx(calc.speculative_expected_tokens(0.8, 4))
    assert calc.speculative_speedup(0.8, 4, 0.05) == pytest.approx(3.3616 / 1.2)
    # A draft as slow as the target never helps.
    assert all(calc.speculative_speedup(a, g, 1.0) <= 1.0 + 1e-12 for a in (0.1, 0.5, 0.9) for g in range(1, 9))


def test_compute_factor_counts_draft_and_verification_work():
    # Per iteration: gamma+1 target positions + gamma draft passes at ops ratio c_hat, over E tokens.
    e = calc.speculative_expected_tokens(0.8, 4)
    assert calc.speculative_compute_factor(0.8, 4, 0.05) == pytest.approx((4 * 0.05 + 5) / e)
    assert calc.speculative_compute_factor(1.0, 4, 0.0) == pytest.approx(1.0)


def test_optimal_gamma():
    assert calc.optimal_draft_tokens(0.0, 0.05) == 0        # nothing is ever accepted: do not speculate
    best = calc.optimal_draft_tokens(0.8, 0.05)
    assert all(calc.speculative_speedup(0.8, g, 0.05) <= calc.speculative_speedup(0.8, best, 0.05)
               for g in range(17))


@settings(max_examples=100, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.integers(0, 20), st.integers(0, 20))
def test_more_acceptance_or_more_drafts_never_fewer_tokens(a1, a2, g1, g2):
    lo_a, hi_a = min(a1, a2), max(a1, a2)
    lo_g, hi_g = min(g1, g2), max(g1, g2)
    e = calc.speculative_expected_tokens
    assert e(hi_a, lo_g) >= e(lo_a, lo_g) - 1e-9
    assert e(lo_a, hi_g) >= e(lo_a, lo_g) - 1e-9
    assert 1 - 1e-9 <= e(lo_a, lo_g) <= lo_g + 1 + 1e-9


@pytest.mark.parametrize("call, message", [
    (lambda: calc.speculative_expected_tokens(1.2, 4), "alpha"),
    (lambda: calc.speculative_expected_tokens(0.5, -1), "gamma"),
    (lambda: calc.speculative_expected_tokens(0.5, 2.5), "gamma"),
    (lambda: calc.speculative_speedup(0.5, 4, -0.1), "cost_ratio"),
    (lambda: calc.optimal_draft_tokens(0.5, 0.1, max_gamma=0), "max_gamma"),
])
def test_bad_input(call, message):
    with pytest.raises(TechpmError, match=message):
        call()
