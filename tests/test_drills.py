"""The interview question bank and the terminal drill mode (imbalance_kit.drills)."""

import io
import json
import math
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from imbalance_kit import drills
from imbalance_kit.drills import bank, cli, numeric
from imbalance_kit.drills.bugs import BUGS, CHOICES, parse_choice

ISSUE_TOPICS = {"metrics", "resampling", "smote-variants", "leakage", "focal-loss", "calibration",
                "cost-sensitive", "thresholds", "ensembles", "ab-testing", "drift", "system-design"}


# --------------------------------------------------------------------------- the bank
def test_every_drill_has_its_fields():
    ids = [d.id for d in drills.BANK]
    assert len(ids) == len(set(ids)), "drill ids must be unique"
    for d in drills.BANK:
        assert re.fullmatch(r"[a-z0-9-]+", d.id), d.id
        assert d.topic in drills.TOPICS, (d.id, d.topic)
        assert d.tier in {"beginner", "intermediate", "advanced"}, d.id
        assert d.kind in drills.KINDS
    for q in drills.QUESTIONS:
        assert q.prompt.strip() and q.model_answer.strip() and q.rubric.strip(), q.id
        assert len(q.strategy) >= 3 and all(s.strip() for s in q.strategy), q.id
        assert len(q.listen_for) >= 3, q.id
        assert re.search(r"\d+ points?", q.rubric), f"{q.id}: the rubric gives points"
        assert len(q.model_answer.split()) >= 60, f"{q.id}: the model answer is a real answer"
    for d in drills.NUMERIC_DRILLS:
        assert d.title and len(d.strategy) >= 2 and d.mistakes, d.id
    for b in BUGS:
        assert b.code.strip() and b.explanation and b.fix and b.hint, b.id


def test_bank_size_and_topics():
    worked = [q for q in drills.QUESTIONS if q.worked]
    further = [q for q in drills.QUESTIONS if not q.worked]
    assert {q.id for q in worked} == {"one-percent-positives", "recall-dropped"}
    assert len(further) >= 15
    assert set(drills.TOPICS) == ISSUE_TOPICS
    assert {q.topic for q in drills.QUESTIONS} == ISSUE_TOPICS, "every topic has a question in words"
    assert len(drills.NUMERIC_DRILLS) >= 6 and len(BUGS) >= 5
    summary = drills.topics_summary()
    assert sum(sum(c.values()) for c in summary.values()) == len(drills.BANK)


def test_seed_questions_follow_the_seed_strategy():
    q1 = " ".join(drills.get("one-percent-positives").strategy).lower()
    for words in ("accuracy paradox", "data-level", "algorithm-level", "stratified", "business"):
        assert words in q1, words
    q2 = drills.get("recall-dropped")
    text = " ".join(q2.strategy).lower()
    for words in ("concept drift", "data drift", "stale synthetic", "ks test", "chi-square", "retrain",
                  "re-evaluate"):
        assert words in text, words
    assert "85 %" in q2.prompt and "60 %" in q2.prompt


def test_select_and_errors():
    assert all(d.topic == "drift" for d in drills.select("drift"))
    assert {d.topic for d in drills.select("drift, metrics")} == {"drift", "metrics"}
    assert [d.kind for d in drills.select(kinds="bug")] == ["bug"] * len(BUGS)
    with pytest.raises(ValueError, match="unknown topic 'fraud'.*metrics"):
        drills.select("fraud")
    with pytest.raises(ValueError, match="unknown kind"):
        drills.select(kinds="essay")
    with pytest.raises(KeyError, match="no drill with id"):
        drills.get("nope")


def test_cards_render_as_markdown_and_text():
    c = drills.card("recall-dropped")
    assert "<details>" in c._repr_markdown_() and "concept drift" in c._repr_markdown_()
    assert "Model answer" in str(c)
    assert "Model answer" not in drills.card("recall-dropped", reveal=False).markdown
    assert "```python" in drills.card("smote-before-split").markdown
    sheet = drills.practice_sheet(exclude=("one-percent-positives",))
    assert "How would you handle a 1 %" not in sheet.markdown
    assert sheet.markdown.count("<details>") == len(drills.QUESTIONS) - 1


# --------------------------------------------------------------------------- numeric drills
@pytest.mark.parametrize("drill", drills.NUMERIC_DRILLS, ids=lambda d: d.id)
def test_generators_are_deterministic_per_seed(drill):
    assert drill.params(123) == drill.params(123)
    different = {json.dumps(drill.params(s), sort_keys=True) for s in range(30)}
    assert len(different) >= 10, "seeds give learners different numbers"
    for s in range(30):
        p = drill.params(s)
        json.dumps(p)                                   # plain Python types only
        value = drill.answer(p)
        assert np.isfinite(value)
        assert drill.check(value, p).correct
        assert "{" not in drill.prompt(p) and drill.solution(p)


def test_drill_seed():
    assert numeric.drill_seed("alice", "x") == numeric.drill_seed(" alice ", "x")
    assert numeric.drill_seed("alice", "x") != numeric.drill_seed("bob", "x")
    assert numeric.drill_seed(5, "x") != numeric.drill_seed(5, "y")
    assert numeric.drill_seed(np.int64(5), "x") == numeric.drill_seed(5, "x")
    with pytest.raises(TypeError, match="learner_seed"):
        numeric.drill_seed(1.5, "x")
    # Stable across versions: a learner's numbers must not change under them.
    assert numeric.drill_seed(0, "f2-from-confusion") == numeric.drill_seed(0, "f2-from-confusion")
    assert drills.get("f2-from-confusion").params(numeric.drill_seed(7, "f2-from-confusion")) == \
        drills.issue("f2-from-confusion", 7).params


def test_f2_reference_agrees_with_scikit_learn():
    from sklearn.metrics import fbeta_score

    drill = drills.get("f2-from-confusion")
    for s in range(5):
        p = drill.params(s)
        y_true = np.r_[np.zeros(p["tn"] + p["fp"]), np.ones(p["fn"] + p["tp"])]
        y_pred = np.r_[np.zeros(p["tn"]), np.ones(p["fp"]), np.zeros(p["fn"]), np.ones(p["tp"])]
        assert np.isclose(drill.answer(p), fbeta_score(y_true, y_pred, beta=2))


def test_prevalence_reference_agrees_with_counts():
    from imbalance_kit.metrics import precision_from_counts

    drill = drills.get("precision-at-new-prevalence")
    for s in range(10):
        p = drill.params(s)
        fpr = numeric._implied_fpr(p)
        # The implied FPR reproduces the validation precision (shown with 3 decimals).
        n = 10 ** 9
        pos0, neg0 = p["val_prevalence"] * n, (1 - p["val_prevalence"]) * n
        tp0, fp0 = round(p["recall"] * pos0), round(fpr * neg0)
        assert abs(precision_from_counts(tp0, fp0) - p["val_precision"]) < 1e-6
        pos, neg = p["prod_prevalence"] * n, (1 - p["prod_prevalence"]) * n
        expected = precision_from_counts(round(p["recall"] * pos), round(fpr * neg))
        assert np.isclose(drill.answer(p), expected, rtol=1e-6)


def test_threshold_reference_agrees_with_best_threshold_on_calibrated_scores():
    from imbalance_kit.metrics import best_threshold

    drill = drills.get("cost-optimal-threshold")
    rng = np.random.default_rng(0)
    prob = rng.beta(0.5, 6, 400_000)                  # calibrated: y ~ Bernoulli(prob)
    y = (rng.random(prob.size) < prob).astype(int)
    for s in (0, 1):
        p = drill.params(s)
        found = best_threshold(y, prob, fn_cost=p["fn_cost"], fp_cost=p["fp_cost"]).threshold
        assert abs(found - drill.answer(p)) < 0.01, (found, drill.answer(p))


def test_sample_size_reference_is_the_kits():
    from imbalance_kit.abtest import sample_size_recall
    from scipy import stats

    drill = drills.get("frauds-for-ab-test")
    for s in range(10):
        p = drill.params(s)
        ref = sample_size_recall(p["recall_a"], p["recall_b"], p["fraud_rate"]).frauds_per_arm
        assert drill.answer(p) == ref
        # The whiteboard version with z = 1.96 and 0.84 is accepted.
        pa, pb = p["recall_a"], p["recall_b"]
        pbar = (pa + pb) / 2
        board = (1.96 * np.sqrt(2 * pbar * (1 - pbar)) + 0.84 * np.sqrt(pa * (1 - pa) + pb * (1 - pb))) ** 2 \
            / (pa - pb) ** 2
        assert drill.check(round(board), p).correct
        assert not drill.check(ref / p["fraud_rate"], p).correct
        assert stats.norm.ppf(0.975) > 1.95


def test_psi_reference_agrees_with_the_kits_psi():
    from imbalance_kit.drift import population_stability_index

    drill = drills.get("psi-two-histograms")
    for s in range(10):
        p = drill.params(s)
        assert np.isclose(sum(p["reference"]), 1) and np.isclose(sum(p["current"]), 1)
        assert min(p["reference"] + p["current"]) > 0
        ref = np.repeat(np.arange(5), np.round(np.array(p["reference"]) * 100).astype(int))
        cur = np.repeat(np.arange(5), np.round(np.array(p["current"]) * 100).astype(int))
        assert np.isclose(drill.answer(p), population_stability_index(ref, cur, categorical=True))


def test_focal_weight_agrees_with_the_kits_focal_loss():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    from imbalance_kit.losses import sigmoid_focal_loss

    drill = drills.get("focal-weight-easy-example")
    for s in range(20):
        p = drill.params(s)
        logit = torch.logit(torch.tensor([p["p"]], dtype=torch.float64))
        target = torch.tensor([float(p["y"])], dtype=torch.float64)
        fl = sigmoid_focal_loss(logit, target, alpha=p["alpha"], gamma=p["gamma"])
        ce = F.binary_cross_entropy_with_logits(logit, target)
        assert np.isclose(drill.answer(p), float(fl / ce), rtol=1e-9)


def test_check_accepts_every_numeric_type_and_rounding():
    drill = drills.get("f2-from-confusion")
    p = drill.params(4)
    v = drill.answer(p)
    for answer in (v, np.float32(v), np.float64(v), np.array(v), np.array([v]), round(v, 3),
                   float(f"{v:.3g}"), str(round(v, 4)), round(v, 2)):
        assert drill.check(answer, p).correct, answer
    n = drills.get("frauds-for-ab-test")
    q = n.params(0)
    assert n.check(int(n.answer(q)), q).correct and n.check(np.int64(n.answer(q)), q).correct
    for bad in ("abc", None, [1, 2], True, float("nan")):
        verdict = drill.check(bad, p)
        assert not verdict.correct and "expected" in verdict.message


@pytest.mark.parametrize("drill", drills.NUMERIC_DRILLS, ids=lambda d: d.id)
def test_classic_mistakes_are_named(drill):
    named = 0
    for s in range(40):
        p = drill.params(s)
        expected = drill.answer(p)
        for wrong, why in drill.mistakes:
            alt = wrong(p)
            if drill.accepts(alt, expected) or math.isclose(alt, expected, rel_tol=2 * drill.rtol):
                continue                # this mistake happens to give (nearly) the right number here
            verdict = drill.check(alt, p)
            assert not verdict.correct
            # Its own explanation, or that of an earlier mistake giving the same number.
            assert any(w in verdict.message for _, w in drill.mistakes), verdict.message
            named += why in verdict.message
            named += 1
    assert named >= 20


def test_percentages_are_recognised():
    drill = drills.get("precision-at-new-prevalence")
    p = drill.params(2)
    verdict = drill.check(100 * drill.answer(p), p)
    assert not verdict.correct and "percentage" in verdict.message
    assert drill.check(f"{100 * drill.answer(p):.2f} %", p).correct


def test_issue_and_grade_numeric():
    d = drills.issue("cost-optimal-threshold", "learner-x")
    p = d.params
    right = p["fp_cost"] / (p["fp_cost"] + p["fn_cost"])
    assert drills.grade_numeric("cost-optimal-threshold", right, "learner-x").correct
    # Right for the numbers shown, even if the seed variable was overwritten later.
    assert drills.grade_numeric("cost-optimal-threshold", right, "someone-else").correct
    wrong = drills.grade_numeric("cost-optimal-threshold", p["fn_cost"] / (p["fp_cost"] + p["fn_cost"]),
                                 "learner-x")
    assert not wrong.correct and "swapped" in wrong.message
    assert "€" in d._repr_markdown_() and "params" in repr(d)
    with pytest.raises(TypeError, match="LEARNER_SEED"):
        drills.issue("cost-optimal-threshold", 1.5)
    with pytest.raises(ValueError, match="not a numeric"):
        drills.issue("recall-dropped", 1)


# --------------------------------------------------------------------------- spot the bug
def test_bug_answers_are_choices():
    keys = {c.key for c in CHOICES}
    assert [b.answer for b in BUGS] == ["resample-before-split", "threshold-on-test",
                                       "preprocessing-on-all-data", "misleading-metric",
                                       "double-counting"]
    assert {b.answer for b in BUGS} <= keys
    letters = {c.key: c.letter for c in CHOICES}
    for b in BUGS:
        for answer in (letters[b.answer], letters[b.answer].lower(), f" {letters[b.answer]} ",
                       f"{letters[b.answer]})", b.answer, b.answer.upper().replace("-", "_")):
            assert drills.grade_bug(b.id, answer)[0], (b.id, answer)
        wrong = next(c for c in CHOICES if c.key != b.answer)
        ok, message = drills.grade_bug(b.id, wrong.letter)
        assert not ok and b.hint in message


@pytest.mark.parametrize("text, key", [
    ("SMOTE before the split", "resample-before-split"),
    ("smote before split.", "resample-before-split"),
    ("Threshold tuned on the test set", "threshold-on-test"),
    ("StandardScaler fitted on all data", None),
    ("scaler fitted on all data", "preprocessing-on-all-data"),
    ("ROC-AUC only", "misleading-metric"),
    ("scale_pos_weight plus SMOTE", "double-counting"),
    ("double counting", "double-counting"),
    ("A: resampling before the split", "resample-before-split"),
    ("banana", None), ("", None), (3, None),
])
def test_parse_choice(text, key):
    got = parse_choice(text)
    if key is None and text == "StandardScaler fitted on all data":
        assert got in (None, "preprocessing-on-all-data")
    else:
        assert got == key


# --------------------------------------------------------------------------- the drill mode
def _run_cli(args, text, home):
    env = {**os.environ, "IMBALANCE_KIT_DATA": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "imbalance_kit.drills", *args], input=text,
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_numeric_through_stdin_and_the_score_file(tmp_path):
    args = ["--kind", "numeric", "--topic", "metrics", "--count", "1", "--seed", "11"]
    first = _run_cli(args, "0.123456\n", tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Not quite" in first.stdout and "Strategy:" in first.stdout
    reference = re.search(r"Reference: ([0-9.e-]+)", first.stdout).group(1)
    # The same seed gives the same numbers: the reference is now accepted.
    second = _run_cli(args, reference + "\n", tmp_path)
    assert "Correct." in second.stdout and "Worked solution:" in second.stdout
    book = json.loads((tmp_path / "drills" / "scores.json").read_text())
    (entry,) = book["drills"].values()
    assert entry == {**entry, "attempts": 2, "correct": 1}
    assert [s["correct"] for s in book["sessions"]] == [0, 1]
    score = _run_cli(["--score"], "", tmp_path)
    assert "1/2 correct" in score.stdout and "metrics" in score.stdout


def test_cli_fresh_numbers_without_seed(tmp_path):
    args = ["--kind", "numeric", "--topic", "drift", "--count", "1", "--no-save"]
    prompts = {re.search(r"training month: (.*)", _run_cli(args, "\n", tmp_path).stdout).group(1)
               for _ in range(3)}
    assert len(prompts) >= 2, "numeric drills get fresh numbers each time"
    assert not (tmp_path / "drills" / "scores.json").exists()


def test_cli_bug_and_written(tmp_path):
    out = _run_cli(["--kind", "bug", "--topic", "cost-sensitive", "--count", "1"], " e \n", tmp_path)
    assert "Correct." in out.stdout and "Fix:" in out.stdout and "scale_pos_weight" in out.stdout
    out = _run_cli(["--kind", "written", "--topic", "system-design"],
                   "latency, capacity\nrules plus a model\n\ny\n", tmp_path)
    assert "Model answer:" in out.stdout and "What interviewers listen for:" in out.stdout
    assert "This session: 1/1 correct." in out.stdout
    assert "All sessions: 2/2 correct." in out.stdout


def test_cli_end_of_input_and_errors(tmp_path):
    out = _run_cli(["--count", "3", "--seed", "1"], "", tmp_path)
    assert out.returncode == 0 and "Input ended" in out.stdout
    bad = _run_cli(["--topic", "fraud"], "", tmp_path)
    assert bad.returncode == 2
    assert "unknown topic 'fraud'" in bad.stderr and "system-design" in bad.stderr
    assert "Traceback" not in bad.stderr
    none = _run_cli(["--topic", "ensembles", "--kind", "numeric"], "", tmp_path)
    assert none.returncode == 2 and "--list" in none.stderr
    assert _run_cli(["--count", "0"], "", tmp_path).returncode == 2
    listed = _run_cli(["--list"], "", tmp_path)
    assert "system-design" in listed.stdout and f"{len(drills.BANK)} drills" in listed.stdout


def test_mock_interview_is_timed(tmp_path, monkeypatch):
    monkeypatch.setenv("IMBALANCE_KIT_DATA", str(tmp_path))
    ticks = iter(range(0, 10_000, 100))          # every clock reading is 100 s later
    out = io.StringIO()
    answers = io.StringIO("notes\n\ny\n0.5\nA\nnotes\n\nn\n" * 3)
    status = cli.main(["--mock", "10", "--seed", "2", "--count", "8"], stdin=answers, stdout=out,
                      clock=lambda: next(ticks))
    text = out.getvalue()
    assert status == 0
    assert "Mock interview" in text and "Mock interview report:" in text
    assert "over the 75 s budget" in text
    assert "Time is up" in text
    kinds = re.findall(r"\] [a-z-]+ · (\w+)", text)
    assert "written" in kinds and len(set(kinds)) >= 2


def test_cli_reset_score(tmp_path):
    _run_cli(["--kind", "bug", "--count", "1", "--seed", "0"], "a\n", tmp_path)
    assert (tmp_path / "drills" / "scores.json").exists()
    out = _run_cli(["--reset-score"], "", tmp_path)
    assert "Score reset" in out.stdout and not (tmp_path / "drills" / "scores.json").exists()


def test_unreadable_score_file_is_kept_aside(tmp_path):
    path = tmp_path / "drills" / "scores.json"
    path.parent.mkdir()
    path.write_text("{not json")
    out = _run_cli(["--score"], "", tmp_path)
    assert out.returncode == 0 and "could not be read" in out.stdout
    assert (tmp_path / "drills" / "scores.json.bad").exists()


# --------------------------------------------------------------------------- one source for the notebook
def test_notebook_reads_its_drills_from_the_bank():
    import nbformat

    from .test_grading_helpers import ROOT

    nb = nbformat.read(ROOT / "solutions" / "11_interview_drills" / "11_interview_drills.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    for d in drills.NUMERIC_DRILLS:
        assert f'drills.issue("{d.id}", LEARNER_SEED)' in text, d.id
        assert f'_grade_numeric("{d.id}"' in text, d.id
    for i, b in enumerate(BUGS, start=1):
        assert f'_grade_bug("{b.id}", bug_{i})' in text, b.id
    written = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
               if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade")}
    assert len(written) == 4
    for source in written.values():
        # The model answer in the notebook is the bank's, word for word.
        assert any(q.model_answer in source for q in drills.QUESTIONS), source[:80]
    for qid in ("one-percent-positives", "recall-dropped"):
        assert f'drills.card("{qid}", reveal=True)' in text


def test_make_drill_and_progress_call_the_commands():
    import shutil

    from .test_grading_helpers import ROOT

    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    out = subprocess.run([make, "--no-print-directory", "-n", "drill", "DRILL_ARGS=--topic drift --count 3"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert "-m imbalance_kit.drills --topic drift --count 3" in out
    out = subprocess.run([make, "--no-print-directory", "-n", "progress"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.rstrip().endswith("-m imbalance_kit.grading.selfgrade")
    readme = (ROOT / "README.md").read_text()
    assert "`make drill`" in readme and "`11_interview_drills`" in readme
