"""The grader's calibration set, as the tests read it: ``techpm.rubric.calibration`` (it ships with the
package, so 04's grader audit can report the grader's agreement with the bands).

    from tests.calibration import load
    for item in load(): item.band, item.question, item.text
"""

from pathlib import Path

from techpm.rubric.calibration import Item, load

HERE = Path(__file__).resolve().parents[1] / "lib" / "techpm" / "data" / "graded_calibration"

__all__ = ["HERE", "Item", "load"]
