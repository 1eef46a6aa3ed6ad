"""Whiteboard computations with numbers drawn from a seed, and their reference answers.

A :class:`NumericDrill` turns a seed into parameters (``generate``), the
parameters into a question (``prompt``) and into the reference answer
(``answer``), computed with the kit's own functions where the kit has one
(:func:`imbalance_kit.metrics.fbeta_from_counts`,
:func:`imbalance_kit.abtest.sample_size_recall`). Every learner gets their own
numbers (:func:`drill_seed` mixes a learner's seed with the drill's id), and
a grader recomputes them from the same seed.

:meth:`NumericDrill.check` accepts any real number type (int, float, NumPy
scalar, a 0-d array) within the drill's tolerance (rounding to three
significant digits always passes; most drills also accept two decimals) and
recognises the classic wrong answers (F1 instead of F2, swapped costs, a
percentage instead of a proportion...) to say what went wrong.
"""

from __future__ import annotations

import hashlib
import math
import numbers
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

__all__ = [
    "NumericDrill", "Verdict", "NUMERIC_DRILLS", "drill_seed", "parse_number",
    "precision_at_prevalence", "cost_optimal_threshold", "psi_from_proportions",
    "focal_weight",
]


# --------------------------------------------------------------------------
# Seeds and answers
# --------------------------------------------------------------------------

def drill_seed(learner_seed, drill_id):
    """A seed for one drill and one learner, stable across machines and Python versions.

    Parameters
    ----------
    learner_seed : int or str
        Anything that identifies the learner: a number, a name, a student id.
    drill_id : str
        The drill's id.

    Returns
    -------
    int
        A 63-bit seed (SHA-256 of both, so it does not depend on Python's
        randomised ``hash``).

    Raises
    ------
    TypeError
        If ``learner_seed`` is neither an int nor a string.

    Examples
    --------
    >>> drill_seed(7, "f2-from-confusion") == drill_seed(7, "f2-from-confusion")
    True
    >>> drill_seed(7, "f2-from-confusion") != drill_seed(8, "f2-from-confusion")
    True
    """
    if isinstance(learner_seed, (bool, np.bool_)) or not isinstance(
            learner_seed, (numbers.Integral, str)):
        raise TypeError(
            "learner_seed must be a whole number or a string (your name or student id), "
            f"got {type(learner_seed).__name__}: {learner_seed!r}."
        )
    key = f"{str(learner_seed).strip()}|{drill_id}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") >> 1


def parse_number(value):
    """Read an answer as a float: a number, a NumPy scalar, or text like ``"0.83"``, ``"83 %"``, ``"1,094"``.

    Parameters
    ----------
    value : number, numpy scalar, 0-d or 1-element array, or str
        The answer.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the value is not one finite number (the message says what it got).

    Examples
    --------
    >>> parse_number("83 %"), parse_number("1,094"), parse_number(np.float32(0.5))
    (0.83, 1094.0, 0.5)
    """
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        percent = text.endswith("%")
        text = text.rstrip("%").strip()
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"expected a number, got the text {value!r}") from None
        number = number / 100 if percent else number
    else:
        if isinstance(value, (bool, np.bool_)):
            raise ValueError(f"expected a number, got the boolean {value!r}")
        arr = np.asarray(value)
        if arr.dtype.kind not in "iuf" or arr.size != 1:
            raise ValueError(f"expected one number, got {type(value).__name__}: {value!r}"[:200])
        number = float(arr.reshape(-1)[0])
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {number}")
    return number


@dataclass(frozen=True)
class Verdict:
    """The result of checking an answer.

    Attributes
    ----------
    correct : bool
    expected : float
        The reference answer for the parameters.
    message : str
        A plain-words explanation for a learner.
    """

    correct: bool
    expected: float
    message: str


@dataclass(frozen=True)
class NumericDrill:
    """A computation an interviewer asks at a whiteboard, with numbers from a seed.

    Parameters
    ----------
    id, topic, tier, title : str
    generate : callable
        ``seed -> dict`` of parameters (deterministic per seed).
    prompt : callable
        ``params -> str``, the question with the numbers.
    answer : callable
        ``params -> float``, the reference answer.
    solution : callable
        ``params -> str``, the worked solution with the numbers.
    strategy : tuple of str
        How to approach it (shown after the learner answers).
    mistakes : tuple of (callable, str)
        Classic wrong answers: ``params -> value`` and what went wrong.
    rtol, atol : float
        An answer is accepted when ``|a - ref| <= max(atol, rtol * |ref|)``.
    integer : bool
        The answer is a count.
    """

    id: str
    topic: str
    tier: str
    title: str
    generate: Callable
    prompt: Callable
    answer: Callable
    solution: Callable
    strategy: tuple
    mistakes: tuple = ()
    rtol: float = 0.01
    atol: float = 0.0
    integer: bool = False
    kind: str = field(default="numeric", init=False)

    def params(self, seed):
        """Parameters for ``seed`` (an int, or a learner seed mixed with the id by the caller)."""
        return self.generate(np.random.default_rng(seed))

    def accepts(self, value, expected):
        """Whether ``value`` is within the tolerance of ``expected``."""
        return abs(value - expected) <= max(self.atol, self.rtol * abs(expected)) + 1e-12

    def check(self, value, params):
        """Check an answer against the reference for ``params``.

        Parameters
        ----------
        value : number or str
            The learner's answer (see :func:`parse_number`).
        params : dict
            The parameters the learner was given.

        Returns
        -------
        Verdict
        """
        expected = float(self.answer(params))
        try:
            got = parse_number(value)
        except ValueError as exc:
            return Verdict(False, expected, f"{self.title}: {exc}.")
        if self.accepts(got, expected):
            return Verdict(True, expected, f"{self.title}: correct ({got:.6g}; reference {expected:.6g}).")
        for wrong, why in self.mistakes:
            alt = float(wrong(params))
            if not math.isclose(alt, expected, rel_tol=2 * self.rtol) and self.accepts(got, alt):
                return Verdict(False, expected, f"{self.title}: {got:.6g} is not right: {why}")
        if not self.integer and 0 < abs(expected) < 1 and self.accepts(got / 100, expected):
            return Verdict(False, expected, f"{self.title}: {got:.6g} looks like a percentage; "
                                            "give a proportion (0.25, not 25).")
        return Verdict(False, expected, f"{self.title}: {got:.6g} is not the expected value. "
                                        f"Check each step: {self.strategy[0]}")


# --------------------------------------------------------------------------
# Reference formulas (the kit has no function for these three)
# --------------------------------------------------------------------------

def precision_at_prevalence(recall, fpr, prevalence):
    """Precision of a detector with a given recall and false-positive rate at a prevalence.

    .. math:: \\text{precision} = \\frac{r\\,\\pi}{r\\,\\pi + \\text{FPR}\\,(1 - \\pi)}

    (Bayes' rule: posterior odds = (recall / FPR) x prior odds).

    Examples
    --------
    >>> round(precision_at_prevalence(0.8, 0.01, 0.5), 4)
    0.9877
    >>> round(precision_at_prevalence(0.8, 0.01, 0.002), 4)
    0.1382
    """
    return recall * prevalence / (recall * prevalence + fpr * (1 - prevalence))


def cost_optimal_threshold(fn_cost, fp_cost):
    """Bayes-optimal threshold on calibrated probabilities, ``fp_cost / (fp_cost + fn_cost)`` (Elkan 2001).

    Flag when ``p * fn_cost > (1 - p) * fp_cost``.

    Examples
    --------
    >>> cost_optimal_threshold(fn_cost=95.0, fp_cost=5.0)
    0.05
    """
    return fp_cost / (fp_cost + fn_cost)


def psi_from_proportions(reference, current):
    """PSI of two histograms given as proportions per bin, ``sum((c - r) * ln(c / r))``.

    Examples
    --------
    >>> round(psi_from_proportions([0.5, 0.5], [0.4, 0.6]), 4)
    0.0405
    """
    r = np.asarray(reference, dtype=float)
    c = np.asarray(current, dtype=float)
    return float(np.sum((c - r) * np.log(c / r)))


def focal_weight(p, y, alpha, gamma):
    """Factor by which binary focal loss scales an example's cross-entropy, ``alpha_t (1 - p_t)^gamma``.

    ``p`` is the predicted probability of the positive class, ``y`` the label;
    ``alpha`` weights positives and ``1 - alpha`` negatives (Lin et al. 2017,
    torchvision).

    Examples
    --------
    >>> round(focal_weight(p=0.1, y=0, alpha=0.25, gamma=2), 6)
    0.0075
    """
    p_t = p if y == 1 else 1 - p
    alpha_t = alpha if y == 1 else 1 - alpha
    return alpha_t * (1 - p_t) ** gamma


# --------------------------------------------------------------------------
# The drills
# --------------------------------------------------------------------------

def _gen_f2(rng):
    tp = int(rng.integers(20, 200))
    return {"tn": int(rng.integers(20_000, 90_000)), "fp": int(rng.integers(10, 600)),
            "fn": int(rng.integers(5, 150)), "tp": tp}


def _f2(p, beta=2.0):
    from ..metrics import fbeta_from_counts

    return float(fbeta_from_counts(p["tp"], p["fp"], p["fn"], beta=beta))


F2_DRILL = NumericDrill(
    id="f2-from-confusion",
    topic="metrics",
    tier="beginner",
    title="F2 from a confusion matrix",
    generate=_gen_f2,
    prompt=lambda p: (
        f"A fraud model's confusion matrix on last month's transactions: TN = {p['tn']:,}, "
        f"FP = {p['fp']:,}, FN = {p['fn']:,}, TP = {p['tp']:,}. What is its F2 score?"
    ),
    answer=_f2,
    solution=lambda p: (
        f"F2 = 5·TP / (5·TP + 4·FN + FP) = 5·{p['tp']} / (5·{p['tp']} + 4·{p['fn']} + {p['fp']}) "
        f"= {_f2(p):.4f}. (Precision {p['tp'] / (p['tp'] + p['fp']):.3f}, recall "
        f"{p['tp'] / (p['tp'] + p['fn']):.3f}; F2 sits closer to recall.)"
    ),
    strategy=(
        "F-beta = (1 + β²)·TP / ((1 + β²)·TP + β²·FN + FP); β = 2 weights recall, so β² = 4 goes "
        "with FN.",
        "TN does not enter F-beta at all: it is the number that makes accuracy look good.",
        "Sanity check: F2 lies between precision and recall, closer to recall.",
    ),
    mistakes=(
        (lambda p: _f2(p, 1.0), "that is F1 (β = 1); F2 uses β² = 4 on the false negatives."),
        (lambda p: _f2(p, 0.5), "that is F0.5: β² = 4 went with FP instead of FN. F2 weights recall, "
                                "so the false negatives get the factor 4."),
        (lambda p: (p["tp"] + p["tn"]) / (p["tp"] + p["tn"] + p["fp"] + p["fn"]),
         "that is the accuracy, not F2."),
    ),
    atol=0.005,
)


def _gen_prevalence(rng):
    recall = float(rng.choice([0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]))
    val_prev = float(rng.choice([0.5, 0.2, 0.1]))
    fpr = float(rng.choice([0.002, 0.005, 0.01, 0.02]))
    val_precision = round(precision_at_prevalence(recall, fpr, val_prev), 3)
    prod_prev = float(rng.choice([0.001, 0.002, 0.005, 0.01]))
    return {"recall": recall, "val_prevalence": val_prev, "val_precision": val_precision,
            "prod_prevalence": prod_prev}


def _implied_fpr(p):
    # From the validation precision: FP / TP = (1 - P) / P, and FP = FPR · N, TP = recall · Pos.
    pi0, prec = p["val_prevalence"], p["val_precision"]
    return p["recall"] * pi0 * (1 - prec) / (prec * (1 - pi0))


def _prod_precision(p):
    return precision_at_prevalence(p["recall"], _implied_fpr(p), p["prod_prevalence"])


PREVALENCE_DRILL = NumericDrill(
    id="precision-at-new-prevalence",
    topic="metrics",
    tier="beginner",
    title="Precision at a new prevalence",
    generate=_gen_prevalence,
    prompt=lambda p: (
        f"On a validation set with {p['val_prevalence']:.0%} frauds, a model has recall "
        f"{p['recall']:.2f} and precision {p['val_precision']:.3f}. In production, fraud is "
        f"{p['prod_prevalence']:.1%} of transactions; recall and the false-positive rate stay the "
        "same. What precision should the team expect in production?"
    ),
    answer=_prod_precision,
    solution=lambda p: (
        f"FPR = recall·π₀·(1 − P₀) / (P₀·(1 − π₀)) = {_implied_fpr(p):.5f}; then precision = "
        f"recall·π / (recall·π + FPR·(1 − π)) with π = {p['prod_prevalence']} gives "
        f"{_prod_precision(p):.4f}."
    ),
    strategy=(
        "Recall and the false-positive rate do not depend on the prevalence; precision does.",
        "Recover the FPR from the validation numbers: FP/TP = (1 − P₀)/P₀, TP = recall·π₀·n, "
        "FP = FPR·(1 − π₀)·n.",
        "Apply Bayes at the new prevalence: precision = recall·π / (recall·π + FPR·(1 − π)); in "
        "odds: posterior odds = (recall / FPR) × prior odds.",
    ),
    mistakes=(
        (lambda p: p["val_precision"], "precision does not carry over: it depends on the prevalence. "
                                       "Recover the false-positive rate, then apply Bayes at the new "
                                       "prevalence."),
        (lambda p: p["val_precision"] * p["prod_prevalence"] / p["val_prevalence"],
         "scaling precision by the ratio of prevalences is only a rough approximation; use "
         "precision = recall·π / (recall·π + FPR·(1 − π))."),
        (lambda p: precision_at_prevalence(p["recall"], _implied_fpr(p) * (1 - p["val_prevalence"]),
                                           p["prod_prevalence"]),
         "the false-positive rate is FP among the NEGATIVES: FP / (1 − π₀), not FP / n."),
    ),
    atol=0.005,
)


def _gen_threshold(rng):
    return {"fn_cost": float(rng.integers(6, 60) * 10), "fp_cost": float(rng.integers(2, 26))}


THRESHOLD_DRILL = NumericDrill(
    id="cost-optimal-threshold",
    topic="thresholds",
    tier="advanced",
    title="Cost-optimal threshold",
    generate=_gen_threshold,
    prompt=lambda p: (
        f"A missed fraud costs €{p['fn_cost']:.0f}; a false alarm costs €{p['fp_cost']:.0f} of "
        "analyst time. The model's probabilities are calibrated. Above which fraud probability "
        "should a transaction be flagged? (Give at least 3 significant digits.)"
    ),
    answer=lambda p: cost_optimal_threshold(p["fn_cost"], p["fp_cost"]),
    solution=lambda p: (
        f"Flag when p·c_FN > (1 − p)·c_FP, i.e. p > c_FP / (c_FP + c_FN) = {p['fp_cost']:.0f} / "
        f"({p['fp_cost']:.0f} + {p['fn_cost']:.0f}) = "
        f"{cost_optimal_threshold(p['fn_cost'], p['fp_cost']):.4f}."
    ),
    strategy=(
        "Compare expected costs: letting a transaction pass costs p·c_FN, flagging it costs "
        "(1 − p)·c_FP.",
        "Solve for p: t* = c_FP / (c_FP + c_FN) (Elkan 2001): cheap false alarms mean a low threshold.",
        "Only valid for calibrated probabilities; after SMOTE or class weights, correct or "
        "recalibrate first.",
    ),
    mistakes=(
        (lambda p: p["fn_cost"] / (p["fp_cost"] + p["fn_cost"]),
         "the costs are swapped: the threshold is c_FP / (c_FP + c_FN). Expensive misses must LOWER "
         "the threshold."),
        (lambda p: p["fp_cost"] / p["fn_cost"],
         "c_FP / c_FN is the odds threshold; the probability threshold is c_FP / (c_FP + c_FN)."),
    ),
    atol=0.0005,
)


def _gen_sample_size(rng):
    recall_a = float(rng.choice([0.6, 0.65, 0.7, 0.75, 0.8]))
    recall_b = round(recall_a + float(rng.choice([0.05, 0.1, 0.15])), 2)
    return {"recall_a": recall_a, "recall_b": recall_b,
            "fraud_rate": float(rng.choice([0.001, 0.002, 0.005]))}


def _frauds(p, **kw):
    from ..abtest import sample_size_recall

    return sample_size_recall(p["recall_a"], p["recall_b"], p["fraud_rate"], **kw)


SAMPLE_SIZE_DRILL = NumericDrill(
    id="frauds-for-ab-test",
    topic="ab-testing",
    tier="advanced",
    title="Frauds an A/B test needs",
    generate=_gen_sample_size,
    prompt=lambda p: (
        f"The champion catches {p['recall_a']:.0%} of frauds; you hope the challenger catches "
        f"{p['recall_b']:.0%}. Fraud is {p['fraud_rate']:.1%} of traffic, split 50/50. How many "
        "FRAUDS must each arm see to detect the difference with a two-sided test at α = 0.05 and "
        "80 % power (normal approximation)?"
    ),
    answer=lambda p: float(_frauds(p).frauds_per_arm),
    solution=lambda p: (
        "n = (z₀.₉₇₅·√(2·p̄·q̄) + z₀.₈·√(pA·qA + pB·qB))² / (pA − pB)² with z₀.₉₇₅ = 1.96, z₀.₈ = 0.84, "
        f"p̄ = {(p['recall_a'] + p['recall_b']) / 2:.3f}: {_frauds(p).frauds_per_arm:,} frauds per arm, "
        f"that is {_frauds(p).transactions_per_arm:,} transactions per arm at {p['fraud_rate']:.1%} "
        "fraud (imbalance_kit.abtest.sample_size_recall)."
    ),
    strategy=(
        "Recall is a proportion among frauds only, so the sample size is counted in frauds.",
        "Two-proportion formula: n = (z_{1−α/2}·√(2p̄q̄) + z_{1−β}·√(pA·qA + pB·qB))² / (pA − pB)².",
        "Only then convert to transactions (divide by the fraud rate) and to days.",
    ),
    mistakes=(
        (lambda p: float(_frauds(p).transactions_per_arm),
         "that is the number of TRANSACTIONS per arm; the question asks for frauds (recall is "
         "measured among frauds only)."),
        (lambda p: float(2 * _frauds(p).frauds_per_arm),
         "that is both arms together; the question asks per arm."),
        (lambda p: float(_frauds(p, two_sided=False).frauds_per_arm),
         "that uses a one-sided test (z = 1.645); the question asks for a two-sided test (z = 1.96)."),
    ),
    rtol=0.02,
    integer=True,
)


def _gen_psi(rng):
    # Five bins; proportions with two decimals, none below 0.04, summing to exactly 1.
    def histogram(weights):
        counts = np.floor(weights / weights.sum() * 80).astype(int) + 4
        counts[np.argmax(counts)] += 100 - counts.sum()
        return [round(float(c) / 100, 2) for c in counts]

    reference = histogram(rng.dirichlet(np.full(5, 4.0)))
    # From a slight to a major shift: PSI from about 0.01 to over 0.3.
    shift = rng.dirichlet(np.full(5, 0.7))
    strength = float(rng.choice([0.15, 0.35, 0.6, 0.9]))
    current = histogram((1 - strength) * np.asarray(reference) + strength * shift)
    return {"reference": reference, "current": current}


PSI_DRILL = NumericDrill(
    id="psi-two-histograms",
    topic="drift",
    tier="advanced",
    title="PSI of two histograms",
    generate=_gen_psi,
    prompt=lambda p: (
        "The model score's distribution over five bins, as shares of transactions:\n"
        f"  training month: {p['reference']}\n  this month:     {p['current']}\n"
        "What is the population stability index (natural logarithm)?"
    ),
    answer=lambda p: psi_from_proportions(p["reference"], p["current"]),
    solution=lambda p: (
        "PSI = Σ (c − r)·ln(c / r) = "
        + " + ".join(f"({c} − {r})·ln({c}/{r})" for r, c in zip(p["reference"], p["current"]))
        + f" = {psi_from_proportions(p['reference'], p['current']):.4f} "
        "(rule of thumb: < 0.1 stable, 0.1-0.25 moderate, > 0.25 major shift)."
    ),
    strategy=(
        "Work with proportions per bin (not counts, not percentages).",
        "Sum (current − reference) × ln(current / reference) over the bins: every term is ≥ 0.",
        "Read it: < 0.1 stable, 0.1 to 0.25 moderate, > 0.25 a major shift (a rule of thumb).",
    ),
    mistakes=(
        (lambda p: float(np.sum(np.asarray(p["current"]) * np.log(np.asarray(p["current"])
                                                                  / np.asarray(p["reference"])))),
         "that is the one-sided KL divergence Σ c·ln(c/r); PSI is Σ (c − r)·ln(c/r)."),
        (lambda p: psi_from_proportions(p["reference"], p["current"]) / math.log(10),
         "that uses log10; PSI uses the natural logarithm."),
        (lambda p: 100 * psi_from_proportions(p["reference"], p["current"]),
         "that was computed with percentages; use proportions (0.25, not 25)."),
    ),
    atol=0.005,
)


def _gen_focal(rng):
    y = int(rng.integers(0, 2))
    if y == 0:
        p = float(rng.choice([0.02, 0.04, 0.05, 0.08, 0.1]))   # an easy negative: p small
    else:
        p = float(rng.choice([0.9, 0.92, 0.95, 0.96, 0.98]))   # an easy positive: p large
    return {"p": p, "y": y, "alpha": float(rng.choice([0.25, 0.5, 0.75])),
            "gamma": float(rng.choice([1.0, 2.0, 3.0]))}


FOCAL_DRILL = NumericDrill(
    id="focal-weight-easy-example",
    topic="focal-loss",
    tier="intermediate",
    title="Focal-loss weight of an easy example",
    generate=_gen_focal,
    prompt=lambda p: (
        f"A {'legitimate transaction (y = 0)' if p['y'] == 0 else 'fraud (y = 1)'} gets a predicted "
        f"fraud probability p = {p['p']}. Binary focal loss with α = {p['alpha']} (α weights the "
        f"positives, 1 − α the negatives) and γ = {p['gamma']:g}: by what factor α_t·(1 − p_t)^γ is "
        "this example's cross-entropy multiplied? (Give at least 3 significant digits.)"
    ),
    answer=lambda p: focal_weight(p["p"], p["y"], p["alpha"], p["gamma"]),
    solution=lambda p: (
        f"p_t = {'1 − p' if p['y'] == 0 else 'p'} = {p['p'] if p['y'] else 1 - p['p']:.2f}, "
        f"α_t = {'1 − α' if p['y'] == 0 else 'α'} = {p['alpha'] if p['y'] else 1 - p['alpha']:.2f}; "
        f"factor = α_t·(1 − p_t)^γ = {focal_weight(p['p'], p['y'], p['alpha'], p['gamma']):.6g}: "
        "an easy example contributes that fraction of its cross-entropy."
    ),
    strategy=(
        "p_t is the probability given to the TRUE class: p for a positive, 1 − p for a negative.",
        "α_t is α for a positive and 1 − α for a negative (Lin et al. 2017, torchvision).",
        "Multiply: α_t·(1 − p_t)^γ; with γ = 2 and p_t = 0.9 the factor is α_t/100.",
    ),
    mistakes=(
        (lambda p: (p["alpha"] if p["y"] == 0 else 1 - p["alpha"])
         * (1 - (p["p"] if p["y"] == 1 else 1 - p["p"])) ** p["gamma"],
         "α_t is swapped: α weights the positives (y = 1), 1 − α the negatives."),
        (lambda p: (p["alpha"] if p["y"] == 1 else 1 - p["alpha"]) * (1 - p["p"]) ** p["gamma"],
         "(1 − p) was used for every example; the focusing term is (1 − p_t)^γ with p_t the "
         "probability of the TRUE class (1 − p for a negative)."),
        (lambda p: (1 - (p["p"] if p["y"] == 1 else 1 - p["p"])) ** p["gamma"],
         "the α_t factor is missing: the weight is α_t·(1 − p_t)^γ."),
    ),
    rtol=0.01,
)

NUMERIC_DRILLS = (F2_DRILL, PREVALENCE_DRILL, THRESHOLD_DRILL, SAMPLE_SIZE_DRILL, PSI_DRILL,
                  FOCAL_DRILL)
