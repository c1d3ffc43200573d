"""The evals lab: contamination, judge audit, hallucination detectors, graded answers and eval planners."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm import calc
from techpm.errors import TechpmError
from techpm.evals import contamination as cont
from techpm.evals import hallucination as hall
from techpm.evals import judge_audit, pyref
from techpm.evals.detection import score_detector
from techpm.evals.graded import load_graded_answers

scipy_stats = pytest.importorskip("scipy.stats")
sm_inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")


# --- contamination ----------------------------------------------------------------------------------------

def _naive_matches(text: str, corpus: list[str], n: int) -> int:
    """Independent check: count the item's distinct n-grams that occur as a substring of a document."""
    docs = [" " + " ".join(cont.words(d)) + " " for d in corpus]
    tokens = cont.words(text)
    grams = {" " + " ".join(tokens[i:i + n]) + " " for i in range(len(tokens) - n + 1)}
    return sum(any(g in d for d in docs) for g in grams)


def test_words_normalise_case_and_punctuation():
    assert cont.words('The "pass" statement — a NULL op.') == ["the", "pass", "statement", "a", "null", "op"]
    assert cont.ngrams(["a", "b", "c"], 2) == {("a", "b"), ("b", "c")}
    assert cont.ngrams(["a"], 2) == set()


@pytest.mark.parametrize("n", [3, 8, 13])
def test_overlap_matches_a_naive_substring_search(n):
    corpus = list(pyref.reference_corpus())
    report = cont.contamination_report(pyref.benchmark_texts(), corpus, n)
    for row, item in zip(report, pyref.ITEMS, strict=True):
        assert row.matched == _naive_matches(item.text, corpus, n)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from("abcd"), min_size=1, max_size=40), st.lists(st.sampled_from("abcd"), max_size=40),
       st.integers(1, 6))
def test_a_longer_match_implies_a_shorter_one(doc, item, n):
    corpus = [" ".join(doc)]
    text = " ".join(item)
    longer = cont.contamination_report({"x": text}, corpus, n + 1)[0]
    shorter = cont.contamination_report({"x": text}, corpus, n)[0]
    assert not longer.flagged or shorter.flagged
    assert 0.0 <= shorter.fraction <= 1.0


def test_the_benchmark_labels_are_honest():
    # "copied" answers occur word for word in the reference; "paraphrased" and "original" share no 8-gram.
    documents = [" " + " ".join(cont.words(d)) + " " for d in pyref.reference_corpus()]
    for item in pyref.ITEMS:
        answer = " " + " ".join(cont.words(item.answer)) + " "
        verbatim = any(answer in d for d in documents)
        assert verbatim == (item.provenance == "copied"), item.id
        if item.provenance in ("paraphrased", "original"):
            assert _naive_matches(item.answer, list(pyref.reference_corpus()), 8) == 0, item.id
    assert {i.provenance for i in pyref.ITEMS} == set(pyref.PROVENANCES)


def test_gpt3_13_grams_miss_an_edited_item_that_8_grams_catch():
    truth = [item.contaminated for item in pyref.ITEMS]
    at = {n: [r.flagged for r in cont.contamination_report(pyref.benchmark_texts(), pyref.reference_corpus(), n)]
          for n in (3, 8, 13)}
    assert score_detector(at[8], truth).recall == 1 and score_detector(at[8], truth).precision == 1
    assert score_detector(at[13], truth).precision == 1 and score_detector(at[13], truth).recall < 1
    assert score_detector(at[3], truth).precision < 1  # short n-grams flag clean items too


def test_contamination_errors():
    with pytest.raises(TechpmError, match="n must be"):
        cont.ngrams(["a"], 0)
    with pytest.raises(TechpmError, match="items is empty"):
        cont.contamination_report({}, ["text"])
    index = cont.NgramIndex.build(["a b c d"], 2)
    with pytest.raises(TechpmError, match="same n"):
        cont.contamination_report({"x": "a b"}, index, 3)


# --- detector scoring -------------------------------------------------------------------------------------

def test_score_detector_counts_and_intervals():
    score = score_detector([1, 1, 0, 0, 1], [1, 0, 0, 1, 1])
    assert (score.true_positives, score.false_positives, score.false_negatives, score.true_negatives) == (2, 1, 1, 1)
    assert score.precision == pytest.approx(2 / 3) and score.recall == pytest.approx(2 / 3)
    assert score.precision_interval == calc.wilson_interval(2, 3)
    assert "precision 67%" in str(score)
    assert math.isnan(score_detector([0, 0], [1, 0]).precision)
    with pytest.raises(TechpmError, match="same items"):
        score_detector([1], [1, 0])


# --- hallucination ----------------------------------------------------------------------------------------

def test_self_consistency():
    result = hall.self_consistency(["Paris", "paris.", " Paris", "Lyon"])
    assert result.majority == "paris" and result.agreement == 0.75 and result.distinct == 2
    assert result.entropy_bits == pytest.approx(-(0.75 * math.log2(0.75) + 0.25 * math.log2(0.25)))
    assert hall.self_consistency(["a", "a"]).entropy_bits == 0
    assert hall.self_consistency(["a", "b", "c", "d"]).entropy_bits == pytest.approx(2)
    with pytest.raises(TechpmError, match="at least 2"):
        hall.self_consistency(["a"])


def test_simulated_sampling_separates_known_from_guessed():
    runs = hall.simulate_sampling(400, k=5, known_share=0.6, seed=1)
    assert runs == hall.simulate_sampling(400, k=5, known_share=0.6, seed=1)  # seeded
    agree = {True: [], False: []}
    for samples, _, known in runs:
        agree[known].append(hall.self_consistency(samples).agreement)
    assert sum(agree[True]) / len(agree[True]) > sum(agree[False]) / len(agree[False]) + 0.3
    right = [hall.self_consistency(s).majority == correct for s, correct, known in runs if known]
    assert sum(right) / len(right) > 0.95  # the majority answer is the known one
    flagged = [hall.self_consistency(s).agreement < 0.6 for s, _, _ in runs]
    wrong = [hall.self_consistency(s).majority != correct for s, correct, _ in runs]
    score = score_detector(flagged, wrong)
    assert score.true_negatives > 0 and score.precision > 0.8 and 0 < score.recall < 1
    # a consistent hallucination looks like knowledge to this detector
    fooled = hall.simulate_sampling(400, k=5, known_share=0.0, p_confidently_wrong=1.0, seed=2)
    assert sum(hall.self_consistency(s).agreement for s, _, _ in fooled) / 400 > 0.8


def test_retrieval_verification_on_the_labelled_claims():
    index = hall.PassageIndex.build(hall.split_passages(pyref.reference_corpus()))
    coverage = {c.text: hall.best_support(c.text, index).coverage for c in pyref.CLAIMS}
    for claim in pyref.CLAIMS:
        if claim.kind == "supported":
            assert coverage[claim.text] >= 0.6, claim.text
        if claim.kind == "fabricated":
            assert coverage[claim.text] < 0.3, claim.text
    # distortions reuse the source's words: most pass a lexical check (the lesson's point)
    distorted = [coverage[c.text] >= 0.6 for c in pyref.CLAIMS if c.kind == "distorted"]
    assert sum(distorted) >= 2


def test_best_support_agrees_with_a_brute_force_scan():
    passages = ["the cat sat on the mat", "a dog sat on a log", "the cat and the dog"]
    support = hall.best_support("the cat sat on a log", passages)
    grams = cont.ngrams(cont.words("the cat sat on a log"), 2)
    brute = max(len(grams & cont.ngrams(cont.words(p), 2)) / len(grams) for p in passages)
    assert support.coverage == pytest.approx(brute)
    assert hall.best_support("zebra unicorn", passages).coverage == 0.0
    with pytest.raises(TechpmError, match="passages is empty"):
        hall.best_support("a claim", [])


def test_citations_are_extracted_and_validated():
    text = ("RAG ([Lewis et al. 2020](https://arxiv.org/abs/2005.11401)) and a bare link https://www.example.com/x/. "
            "A fake [survey](https://arxiv.org/abs/2507.99999) and a broken [link](htp:/nowhere).")
    found = hall.extract_citations(text)
    assert [url for _, url in found] == ["https://arxiv.org/abs/2005.11401", "https://www.example.com/x/",
                                         "https://arxiv.org/abs/2507.99999", "htp:/nowhere"]
    checked = hall.validate_citations(text, ["http://arxiv.org/abs/2005.11401/", "https://example.com/x"])
    assert [c.valid for c in checked] == [True, True, False, False]
    assert [c.well_formed for c in checked] == [True, True, True, False]


# --- the judge audit --------------------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:An input array is constant")
@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=3, max_size=40), st.data())
def test_ranks_and_spearman_match_scipy(x, data):
    y = data.draw(st.lists(st.floats(-5, 5), min_size=len(x), max_size=len(x)))
    assert judge_audit.ranks(x) == pytest.approx(list(scipy_stats.rankdata(x)))
    ours, ref = judge_audit.spearman(x, y), scipy_stats.spearmanr(x, y).statistic
    assert (math.isnan(ours) and math.isnan(ref)) or ours == pytest.approx(ref, abs=1e-9)


def test_agreement_by_point_matches_statsmodels_kappa():
    human = [{"a": 2, "b": 0}, {"a": 1, "b": 1}, {"a": 0, "b": 1}, {"a": 2, "b": 2}, {"a": 1, "b": 0}]
    other = [{"a": 2, "b": 1}, {"a": 1, "b": 1}, {"a": 1, "b": 1}, {"a": 2, "b": 2}, {"a": 0, "b": 0}]
    rows = judge_audit.agreement_by_point(human, other, ["a", "b"], weights="linear")
    table = [[0] * 3 for _ in range(3)]
    for h, o in zip(human, other, strict=True):
        table[h["a"]][o["a"]] += 1
    assert rows[0].kappa == pytest.approx(sm_inter_rater.cohens_kappa(table, wt="linear", return_results=False))
    assert rows[0].agreement == pytest.approx(0.6) and rows[0].human_mean == pytest.approx(1.2)
    with pytest.raises(TechpmError, match="missing"):
        judge_audit.agreement_by_point(human, [{"a": 1}] * 5, ["a", "b"])


def test_length_bias_sees_a_judge_that_rewards_length():
    lengths = [100, 200, 300, 400, 500, 600]
    human = [3, 1, 4, 2, 3, 1]
    judge_scores = [h + n / 100 for h, n in zip(human, lengths, strict=True)]
    bias = judge_audit.length_bias(lengths, human, judge_scores)
    assert bias.length_vs_gap == pytest.approx(1.0) and bias.length_vs_judge > bias.length_vs_human


def test_swap_test_and_pairwise_verdicts():
    def first_on_ties(a, b):
        return judge_audit.pairwise_verdict(a, b, tie_break="first")

    pairs = [(1, 2), (3, 3), (2, 2), (5, 1)]
    result = judge_audit.swap_test(pairs, first_on_ties)
    assert (result.pairs, result.consistent) == (4, 2)  # the two tied pairs flip with the order
    assert result.first_wins == 6 and result.second_wins == 2 and result.first_position_rate == 0.75
    fair = judge_audit.swap_test(pairs, judge_audit.pairwise_verdict)
    assert fair.consistency == 1 and fair.first_position_rate == 0.5
    with pytest.raises(TechpmError, match="'first', 'second' or 'tie'"):
        judge_audit.swap_test([(1, 2)], lambda a, b: "A")


def test_leaderboard_and_win_rates():
    board = judge_audit.leaderboard({"x": [1, 2], "y": [3, 3], "z": [1.5, 1.5]})
    assert [(r.system, r.rank) for r in board] == [("y", 1), ("x", 2), ("z", 2)]
    answers = {"p": [2, 2, 1], "q": [2, 1, 1]}

    def biased(a, b):
        return judge_audit.pairwise_verdict(a, b, tie_break="first")

    fair = judge_audit.pairwise_win_rates(answers, biased, both_orders=True)
    assert fair["p"] == pytest.approx(4 / 6) and fair["p"] + fair["q"] == pytest.approx(1)
    assert judge_audit.pairwise_win_rates(answers, biased, both_orders=False, first="q")["q"] == pytest.approx(2 / 3)


# --- graded answers ---------------------------------------------------------------------------------------

def test_graded_answers_are_complete_and_documented():
    data = load_graded_answers()
    from techpm.method import RUBRIC

    assert list(data.points) == [r.id for r in RUBRIC]
    assert 20 <= len(data.answers) <= 30
    by_system = data.by_system()
    for answers in by_system.values():
        assert [a.question for a in answers] == list(data.questions)  # every system answers every question
    assert "graded" in data.description and "anchors" in data.description
    words = [a.words for a in data.answers]
    assert min(words) < 80 and max(words) > 500  # varied length, on purpose
    totals = {s: sum(a.human_total for a in v) / len(v) for s, v in by_system.items()}
    assert len({round(t) for t in totals.values()}) >= 3  # varied quality


def test_graded_answers_links_match_the_description():
    data = load_graded_answers()
    for answer in data.answers:
        checked = hall.validate_citations(answer.text, data.references)
        if answer.system == "A":
            assert checked and all(c.valid for c in checked), answer.id
        if answer.human["sources"] == 0:
            assert not any(c.valid for c in checked), answer.id
    assert all(re.fullmatch(r"https://arxiv\.org/abs/\d{4}\.\d{5}", u) for u in data.references)


# --- planning ---------------------------------------------------------------------------------------------

def test_plan_eval():
    plan = calc.plan_eval(0.03, usd_per_label=4.0, labels_per_item=2, minutes_per_label=3)
    assert plan.n_items == calc.sample_size_for_margin(0.03) == 1068
    assert plan.labelling_cost_usd == 1068 * 2 * 4.0
    assert plan.labelling_hours == pytest.approx(1068 * 2 * 3 / 60)
    assert plan.achieved_margin <= 0.03
    assert calc.plan_eval(0.03, expected_accuracy=0.9).n_items < plan.n_items


def test_plan_ab_test():
    plan = calc.plan_ab_test(0.10, 0.02, users_per_day=1_000)
    assert plan.n_per_arm == 3841 and plan.total_users == 7682 and plan.traffic_days == 8
    assert plan.days == 14 and plan.weeks == 2            # whole weeks: 8 days of traffic run 2 weeks
    assert plan.relative_effect == pytest.approx(0.2)
    assert calc.plan_ab_test(0.10, 0.02, users_per_day=1_000, arms=3).traffic_days == 12
    assert calc.plan_ab_test(0.10, 0.02, users_per_day=1_000, whole_weeks=False).days == 8
    assert calc.plan_ab_test(0.10, 0.02, users_per_day=1e6).days == 7     # never less than a week
    assert calc.plan_ab_test(0.10, 0.02, users_per_day=1_000, arms=3).days == 14


def test_clustered_units_need_more_of_them():
    """Issue 14 item 4: randomising users but measuring conversations inflates the variance."""
    assert calc.design_effect(1, 0.5) == 1 and calc.design_effect(5, 0) == 1
    assert calc.design_effect(5, 0.1) == pytest.approx(1.4)
    plain = calc.plan_ab_test(0.10, 0.02, users_per_day=1_000)
    clustered = calc.plan_ab_test(0.10, 0.02, users_per_day=1_000, units_per_user=5, icc=0.1)
    assert clustered.design_effect == pytest.approx(1.4)
    assert clustered.n_per_arm == math.ceil(plain.n_per_arm * 1.4)
    assert clustered.traffic_days >= plain.traffic_days
    with pytest.raises(TechpmError, match="icc"):
        calc.design_effect(5, 1.5)
    with pytest.raises(TechpmError, match="at least 1"):
        calc.design_effect(0.5, 0.1)
    with pytest.raises(TechpmError, match="users_per_day"):
        calc.plan_ab_test(0.10, 0.02, users_per_day=0)


# --- exercise checks --------------------------------------------------------------------------------------

def test_exercise_checks_accept_the_calculators_answer_and_explain_the_usual_mistakes():
    from techpm.checks import evals as check

    assert check.eval_items(calc.sample_size_for_margin(0.02, 0.8)).passed
    assert "worst case p = 0.5" in check.eval_items(calc.sample_size_for_margin(0.02, 0.5)).message
    assert check.wilson_lower_bound(calc.wilson_interval(47, 50)[0]).passed
    assert "Wald" in check.wilson_lower_bound(calc.wald_interval(47, 50)[0]).message
    diff = calc.paired_difference(check.MODEL_B, check.MODEL_A)
    assert check.paired_interval(diff).passed
    assert "sign is flipped" in check.paired_interval(calc.paired_difference(check.MODEL_A, check.MODEL_B)).message
    assert diff[1] < 0 < diff[2] and check.ship_decision("not yet").passed and not check.ship_decision("yes").passed
    kappa = calc.cohens_kappa(check.HUMAN_VERDICTS, check.JUDGE_VERDICTS)
    assert check.judge_kappa(kappa).passed
    assert "raw agreement" in check.judge_kappa(calc.percent_agreement(check.HUMAN_VERDICTS, check.JUDGE_VERDICTS)).message
    n = calc.ab_test_sample_size(check.AB_BASE_RATE, check.AB_EFFECT)
    assert check.ab_users_per_arm(n).passed and "per arm" in check.ab_users_per_arm(2 * n).message
    days = calc.plan_ab_test(check.AB_BASE_RATE, check.AB_EFFECT, check.AB_USERS_PER_DAY).days
    assert check.ab_days(days).passed and not check.ab_days(days - 1).passed
    plan = calc.plan_ab_test(check.AB_BASE_RATE, check.AB_EFFECT, check.AB_USERS_PER_DAY)
    assert days % 7 == 0 and "whole weeks" in check.ab_days(plan.traffic_days).message
    assert check.contamination_reading("b").passed and not check.contamination_reading("a").passed
    assert check.eval_items(...).status == "not done"


def test_grader_points_and_bias_probes():
    import techpm

    answer = load_graded_answers().answers[0]
    report = techpm.grade(answer.text)
    points = judge_audit.grader_points(report)
    assert set(points) == set(load_graded_answers().points)
    assert all(points[p.id] == 2 * p.score for p in report.points)
    assert sum(points.values()) == round(2 * sum(p.score for p in report.points))
    with pytest.raises(TechpmError, match="techpm.grade report"):
        judge_audit.grader_points("not a report")
    doubled = judge_audit.pad_by_repetition(answer.text)
    assert len(doubled.split()) > 2 * answer.words and answer.text in doubled
    stuffed = judge_audit.stuff_keywords(answer.text)
    assert stuffed.startswith(answer.text) and stuffed.endswith(judge_audit.BUZZWORD_PARAGRAPH)


def test_human_vs_judge_figure_is_a_png():
    from techpm.evals import plots

    data = load_graded_answers()
    png = plots.human_vs_judge_png(data.answers, [a.human_total for a in data.answers], data.systems, data.max_total)
    assert png[:4] == b"\x89PNG" and len(png) > 5_000
    with pytest.raises(ValueError):
        plots.human_vs_judge_png(data.answers, [1, 2], data.systems, data.max_total)
