"""The evals lab: the measuring instruments behind ``notebooks/04_evals``.

One idea per module, each small enough to read in a sitting:

    contamination   is a benchmark item already in the training corpus? n-gram overlap (Brown et al. 2020)
    pyref           a small benchmark about Python, with honest provenance labels, and the corpus to check it
                    against (the language reference every Python ships, ``pydoc_data.topics``)
    judge_audit     how far an automated judge agrees with human grades, and its length and position biases
    hallucination   detection helpers: self-consistency, retrieval verification, citation validation
    graded          the course's sample answers with reference grades per rubric point (standing in for human grades) (``data/graded_answers.json``)
    detection       precision and recall of any detector against ground truth, with Wilson intervals

The statistics themselves (Wilson intervals, kappa, paired differences, A/B sample sizes) live in
``techpm.calc`` (``calc.stats``, ``calc.evals``), where every formula is tested against scipy/statsmodels.
"""
