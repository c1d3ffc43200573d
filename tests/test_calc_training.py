"""Training calculators against the GPT-3 and Chinchilla papers, and their invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm import calc
from techpm.errors import TechpmError


def test_gpt3_training_compute():
    # Brown et al. 2020, Table D.1: GPT-3 175B, 300B tokens, 3.14e23 FLOPs (3,640 petaflop/s-days).
    assert calc.training_flops(175e9, 300e9) == pytest.approx(3.14e23, rel=0.005)
    assert calc.training_flops(175e9, 300e9) / (1e15 * 86400) == pytest.approx(3640, rel=0.005)


def test_chinchilla_training_compute():
    # Hoffmann et al. 2022: 70B parameters on 1.4T tokens; Gopher's budget 5.76e23 (Table 3, 67B row).
    assert calc.training_flops(70e9, 1.4e12) == pytest.approx(5.88e23, rel=0.001)
    assert calc.training_flops(70e9, 1.4e12) == pytest.approx(5.76e23, rel=0.03)


# Hoffmann et al. 2022, Table 3 (Approach 1): parameters, FLOPs, tokens, as transcribed in the library.
CHINCHILLA_TABLE_3 = calc.CHINCHILLA_TABLE_3


def test_table_3_transcription_spot_checks():
    assert len(CHINCHILLA_TABLE_3) == 9
    assert CHINCHILLA_TABLE_3[3] == (67e9, 5.76e23, 1.5e12)      # the Gopher-budget row
    assert CHINCHILLA_TABLE_3[-1] == (10e12, 1.30e28, 216.2e12)


@pytest.mark.parametrize("n_params, flops, n_tokens", CHINCHILLA_TABLE_3)
def test_chinchilla_optimal_reproduces_table_3(n_params, flops, n_tokens):
    n, d = calc.chinchilla_optimal(flops)
    assert n == pytest.approx(n_params, rel=0.06)
    assert d == pytest.approx(n_tokens, rel=0.08)
    assert calc.training_flops(n, d) == pytest.approx(flops, rel=1e-9)


def test_table_3_is_about_20_tokens_per_param():
    ratios = [calc.tokens_per_param(n, d) for n, _, d in CHINCHILLA_TABLE_3]
    assert min(ratios) == pytest.approx(20, rel=0.01) and max(ratios) < 22.5


def test_training_memory_is_16_bytes_per_param():
    # ZeRO (Rajbhandari et al. 2019) section 3.1: a 7.5B model needs 120 GB of model states.
    assert calc.training_memory_bytes(7.5e9) == 120e9
    assert calc.training_memory_bytes(1e9, bytes_per_param=2) == 2e9


def test_training_time():
    # 3.14e23 FLOPs on 1,000 GPUs of 1e15 FLOP/s at 40% utilisation: 785,000 s (~9 days)
    seconds = calc.training_time_s(3.14e23, 1e15, n_gpus=1000, mfu=0.4)
    assert seconds == pytest.approx(3.14e23 / 4e17)
    with pytest.raises(TechpmError, match="mfu"):
        calc.training_time_s(1e20, 1e15, mfu=1.5)


@pytest.mark.parametrize("call, name", [
    (lambda: calc.training_flops(-1, 1e9), "n_params"),
    (lambda: calc.training_flops(1e9, 0), "n_tokens"),
    (lambda: calc.chinchilla_optimal(0), "compute_flops"),
    (lambda: calc.chinchilla_optimal("1e24"), "compute_flops"),
    (lambda: calc.training_memory_bytes(float("inf")), "n_params"),
    (lambda: calc.training_time_s(1e20, 0), "flops_per_s"),
])
def test_impossible_input_names_the_argument(call, name):
    with pytest.raises(TechpmError, match=name):
        call()


@settings(max_examples=80, deadline=None)
@given(st.floats(1e15, 1e30), st.floats(1.01, 100))
def test_more_compute_never_a_smaller_optimal_model(c, factor):
    n1, d1 = calc.chinchilla_optimal(c)
    n2, d2 = calc.chinchilla_optimal(c * factor)
    assert n2 > n1 and d2 > d1
    assert math.isclose(n2 / n1, math.sqrt(factor), rel_tol=1e-9)   # N and D each grow as sqrt(C)


@settings(max_examples=80, deadline=None)
@given(st.floats(1e6, 1e13), st.floats(1e6, 1e15))
def test_six_nd_is_symmetric_and_linear(n, d):
    assert calc.training_flops(n, d) == pytest.approx(calc.training_flops(d, n))
    assert calc.training_flops(2 * n, d) == pytest.approx(2 * calc.training_flops(n, d))
    assert calc.training_memory_bytes(2 * n) >= calc.training_memory_bytes(n)


def test_published_runs_land_where_the_papers_say():
    runs = {r.name: r for r in calc.PUBLISHED_TRAINING_RUNS}
    # Llama 3 paper: 405B on 15.6T tokens with 3.8e25 FLOPs
    llama = runs["Llama 3.1 405B"]
    assert calc.training_flops(llama.n_params, llama.n_tokens) == pytest.approx(3.8e25, rel=0.01)
    assert calc.tokens_per_param(runs["GPT-3"].n_params, runs["GPT-3"].n_tokens) < 2       # under-trained
    assert calc.tokens_per_param(runs["Chinchilla"].n_params, runs["Chinchilla"].n_tokens) == 20
    # Chinchilla: "the same compute budget as Gopher but with 70B parameters and 4x more data"
    gopher, chin = runs["Gopher"], runs["Chinchilla"]
    assert gopher.n_params / chin.n_params == 4 and chin.n_tokens / gopher.n_tokens > 4
    for run in (gopher, chin):   # both near Gopher's budget in Table 3 (5.76e23), by 6ND
        assert calc.training_flops(run.n_params, run.n_tokens) == pytest.approx(5.76e23, rel=0.15)
    assert all(r.source_url.startswith("https://") for r in runs.values())
    assert calc.tokens_per_param(runs["Llama 3 8B"].n_params, runs["Llama 3 8B"].n_tokens) > 1800


@settings(max_examples=50, deadline=None)
@given(st.floats(1e18, 1e28), st.floats(1e6, 1e13))
def test_tokens_for_compute_inverts_six_nd(c, n):
    assert calc.training_flops(n, calc.tokens_for_compute(c, n)) == pytest.approx(c, rel=1e-9)


def test_forward_flops_is_a_third_of_training():
    assert calc.forward_flops(70e9, 1e12) * 3 == pytest.approx(calc.training_flops(70e9, 1e12))
    with pytest.raises(TechpmError, match="n_tokens"):
        calc.forward_flops(1e9, -5)
