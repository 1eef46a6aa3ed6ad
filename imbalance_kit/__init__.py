"""imbalance_kit: the helper package of the course *Learning from imbalanced data*.

Every notebook of the course imports this package; the notebooks tell the
story, the kit holds the reusable code (tested once, in ``tests/``).

Submodules (imported on demand, so ``import imbalance_kit`` stays fast and
does not load torch):

- :mod:`imbalance_kit.datasets` -- credit-card data (real or stand-in), a
  transaction simulator, chest-X-ray-like images, MedMNIST files.
- :mod:`imbalance_kit.metrics` -- counts, F-beta, top-k, business cost and
  thresholds, calibration, bootstrap intervals.
- :mod:`imbalance_kit.ranks` -- average precision and precision at a recall
  from integer ranks (fast inside bootstrap loops).
- :mod:`imbalance_kit.calibration` -- the prior correction after resampling or
  class weights, calibration tables.
- :mod:`imbalance_kit.costs` -- Bayes-optimal and example-dependent
  thresholds, amount costs, alert budgets, a cost-weighted XGBoost objective.
- :mod:`imbalance_kit.splits` -- the time-ordered split (duplicates removed).
- :mod:`imbalance_kit.validation_cv` -- leak-free cross-validation and the
  recording instruments the hidden tests use.
- :mod:`imbalance_kit.samplers` -- reference SMOTE (an imbalanced-learn
  sampler), random resampling, the imbalanced-learn samplers by name.
- :mod:`imbalance_kit.smote_variants` -- Borderline-SMOTE's danger set and
  ADASYN's allocation, the steps the variants add to SMOTE.
- :mod:`imbalance_kit.torch_samplers` -- class-balanced batches for PyTorch.
- :mod:`imbalance_kit.losses` -- focal loss family, class-balanced weights,
  prior-bias initialisation, an XGBoost focal objective.
- :mod:`imbalance_kit.nets` -- a small CNN, training and evaluation loops,
  temperature scaling, per-example gradient norms.
- :mod:`imbalance_kit.plots` -- every figure of the course.
- :mod:`imbalance_kit.drift` -- KS, chi-square, PSI and windowed monitoring.
- :mod:`imbalance_kit.abtest` -- champion against challenger.
- :mod:`imbalance_kit.error_analysis` -- missed frauds by segment and their
  share of the lost value.
- :mod:`imbalance_kit.alerting` -- a rule layer, rules OR a score, the cheapest
  threshold within an alert capacity.
- :mod:`imbalance_kit.drills` -- the interview question bank and the drill mode.
- :mod:`imbalance_kit.uncertainty` -- paired comparisons with an interval and
  a verdict: better, worse or within noise.
- :mod:`imbalance_kit.grading` -- nbgrader round trip, self-grading, classroom.
"""

import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "abtest", "alerting", "calibration", "costs", "datasets", "drift", "drills", "error_analysis",
    "grading", "losses",
    "metrics", "nets", "plots", "ranks", "samplers", "smote_variants", "splits",
    "torch_samplers", "uncertainty", "validation", "validation_cv",
)

__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name):
    # Lazy submodule import: ``imbalance_kit.metrics`` works without an explicit
    # ``import imbalance_kit.metrics``, and torch loads only when needed.
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
