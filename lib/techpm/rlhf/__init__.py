"""A small, complete RLHF lab that runs on a laptop CPU in milliseconds.

    preferences   the course's preference data set: support answers for a fictional product, written from
                  parts by a seeded script, labelled by simulated labellers (``python -m techpm.rlhf.preferences``)
    reward_model  a Bradley-Terry reward model: logistic regression on feature differences (NumPy, Newton)
    toy_policy    a softmax policy over a handful of responses: the KL-regularised optimum, a PPO
                  clipped-objective step, a DPO step, and DPO and PPO arriving at the same policy
    goodhart      over-optimisation made visible: optimise the learned reward, watch the users' reward
                  rise and then fall as the KL from the reference grows (Gao et al. 2022)

The formulas themselves (Bradley-Terry, the DPO loss, the KL-penalised reward) live in ``techpm.calc``;
this package applies them to arrays. NumPy is imported here, so import this package lazily.
"""

from __future__ import annotations
