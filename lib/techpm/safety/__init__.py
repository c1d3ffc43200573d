"""The safety lab (09): a labelled prompt set, a content classifier and its operating curve, an automated
red-team loop, a Constitutional-AI critique-and-revise loop, and responsible-scaling launch decisions.

    prompts        the course's labelled prompt set (harmful requests vs. benign look-alikes) and its script
    classifier     a small scikit-learn classifier: scores, the operating curve with intervals, thresholds
    redteam        red-teaming programme design and a simulated automated attacker that mutates known attacks
    constitution   a constitution, a rule-based critic and reviser (Claude with a key), revised pairs -> preferences
    policy         the published scaling policies (Anthropic, OpenAI, Google DeepMind) and an RSP-style launch gate

The formulas (bounds, layered miss rates, rates with intervals) live in ``techpm.calc.safety``.
scikit-learn is imported lazily, by ``classifier`` only.
"""

from __future__ import annotations
