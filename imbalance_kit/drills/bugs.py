"""Spot the bug: short code snippets with a classic mistake of imbalanced learning.

Every snippet's bug is one of :data:`CHOICES`; a learner answers with the
choice's letter (``"A"``), its key (``"resample-before-split"``) or a short
phrase (``"SMOTE before the split"``); :func:`parse_choice` reads all of them,
whatever the case, spacing or punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Choice", "BugDrill", "CHOICES", "BUGS", "parse_choice"]


@dataclass(frozen=True)
class Choice:
    """One kind of bug: a letter, a key, a description, and phrases that name it."""

    letter: str
    key: str
    text: str
    phrases: tuple = ()


CHOICES = (
    Choice("A", "resample-before-split",
           "resampling (SMOTE, over-sampling) applied before the train/test split or outside the CV folds",
           ("smote before split", "smote before the split", "resampling before split",
            "resample before split", "oversampling before split", "smote on all data",
            "smote on the whole data", "smote outside the folds", "smote outside cv",
            "smote leakage", "resampling leakage")),
    Choice("B", "threshold-on-test",
           "a decision (threshold, model, hyper-parameter) tuned on the test set",
           ("threshold tuned on test", "threshold tuned on the test set", "threshold on test",
            "threshold on test set", "threshold chosen on test", "threshold chosen on the test set",
            "tuning on test", "test set used for tuning", "threshold leakage")),
    Choice("C", "preprocessing-on-all-data",
           "a preprocessing step (scaler, encoder, imputer) fitted on all the data before the split",
           ("scaler fitted on all data", "scaler fit on all data", "standardscaler on all data",
            "scaler before split", "scaling before split", "preprocessing leakage",
            "scaler leakage", "fit scaler on all data", "scaler fitted on the whole data")),
    Choice("D", "misleading-metric",
           "the only reported metric hides the rare class (accuracy, or ROC-AUC at extreme imbalance)",
           ("roc auc only", "only roc auc", "roc auc as the only metric", "auc only",
            "wrong metric", "misleading metric", "roc auc on imbalanced data", "accuracy only",
            "roc auc hides false positives")),
    Choice("E", "double-counting",
           "the imbalance corrected twice (e.g. class weights or scale_pos_weight on top of SMOTE)",
           ("double counting", "double counted", "imbalance corrected twice",
            "scale pos weight plus smote", "scale pos weight and smote", "smote and scale pos weight",
            "smote plus class weights", "weights and smote", "double correction")),
    Choice("F", "no-stratification",
           "a random split that is not stratified, so folds may lack positives",
           ("not stratified", "no stratification", "missing stratify", "unstratified split")),
    Choice("G", "wrong-positive-label",
           "the wrong class treated as positive (pos_label or column of predict_proba)",
           ("wrong pos label", "wrong positive class", "wrong column of predict proba")),
    Choice("H", "no-bug", "nothing is wrong", ("nothing", "no bug", "none", "correct")),
)

_BY_LETTER = {c.letter.lower(): c.key for c in CHOICES}
_BY_KEY = {c.key: c.key for c in CHOICES}


def _normalise(text):
    text = str(text).lower()
    text = re.sub(r"[_\-/]+", " ", text)
    text = re.sub(r"[^\w\s]", "", text)          # punctuation, quotes, parentheses
    return re.sub(r"\s+", " ", text).strip()


_PHRASES = {_normalise(p): c.key for c in CHOICES for p in (c.key, c.text, *c.phrases)}


def parse_choice(answer):
    """The key of the bug an answer names, or ``None`` when it names none (or several).

    Parameters
    ----------
    answer : str
        A letter (``"a"``, ``" A) "``), a key, or a phrase of :data:`CHOICES`.

    Returns
    -------
    str or None

    Examples
    --------
    >>> parse_choice(" b ")
    'threshold-on-test'
    >>> parse_choice("SMOTE before the split!")
    'resample-before-split'
    >>> parse_choice("Double_Counting")
    'double-counting'
    >>> parse_choice("something else") is None
    True
    """
    if not isinstance(answer, str):
        return None
    norm = _normalise(answer)
    if norm in _BY_LETTER:
        return _BY_LETTER[norm]
    # "A) resampling ..." or "A: ..." -> the letter
    match = re.fullmatch(r"([a-h])\s.*", norm)
    if match and _PHRASES.get(norm[2:]) in (None, _BY_LETTER[match.group(1)]):
        return _BY_LETTER[match.group(1)]
    norm_key = norm.replace(" ", "-")
    if norm_key in _BY_KEY:
        return norm_key
    return _PHRASES.get(norm)


@dataclass(frozen=True)
class BugDrill:
    """A snippet with one classic mistake.

    Parameters
    ----------
    id, topic, tier, title : str
    code : str
        The snippet (plausible, short; it need not run on its own).
    answer : str
        The key of the right :class:`Choice`.
    hint : str
        Where to look, for a learner who named the wrong bug.
    explanation : str
        What goes wrong and by how much.
    fix : str
        The corrected code or the rule.
    """

    id: str
    topic: str
    tier: str
    title: str
    code: str
    answer: str
    hint: str
    explanation: str
    fix: str
    kind: str = field(default="bug", init=False)

    def check(self, answer):
        """``(correct, message)`` for a learner's answer.

        Examples
        --------
        >>> BUGS[0].check("a")[0]
        True
        """
        key = parse_choice(answer)
        if key is None:
            letters = ", ".join(c.letter for c in CHOICES)
            return False, (f"{self.title}: {answer!r} does not name one of the choices; answer with a "
                           f"letter ({letters}) or the bug's name.")
        if key == self.answer:
            return True, f"{self.title}: correct."
        return False, f"{self.title}: not {key}. {self.hint}"


BUGS = (
    BugDrill(
        id="smote-before-split",
        topic="leakage",
        tier="beginner",
        title="Bug 1",
        code='''\
X, y = load_transactions()
X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
X_train, X_test, y_train, y_test = train_test_split(
    X_res, y_res, test_size=0.3, stratify=y_res, random_state=0)
model = LogisticRegression(max_iter=1000).fit(X_train, y_train)
print("test recall:", recall_score(y_test, model.predict(X_test)))''',
        answer="resample-before-split",
        hint="Look at which rows SMOTE sees, and what the test set contains afterwards.",
        explanation=(
            "SMOTE runs on all rows, so synthetic frauds interpolated between future training and "
            "test frauds leak test information into training, and the test set is half synthetic "
            "frauds at a 50 % prevalence that production never has. The recall printed is "
            "optimistic and the precision meaningless."
        ),
        fix=("Split first; resample the training part only, ideally inside an imbalanced-learn "
             "Pipeline: make_pipeline(SMOTE(random_state=0), LogisticRegression(...)).fit(X_train, y_train)."),
    ),
    BugDrill(
        id="threshold-on-test",
        topic="thresholds",
        tier="beginner",
        title="Bug 2",
        code='''\
model.fit(X_train, y_train)
scores = model.predict_proba(X_test)[:, 1]
best_t = max(np.linspace(0.01, 0.99, 99),
             key=lambda t: f1_score(y_test, scores >= t))
print(f"threshold {best_t:.2f}: test F1 = {f1_score(y_test, scores >= best_t):.3f}")''',
        answer="threshold-on-test",
        hint="Which data chose best_t, and which data reports the F1?",
        explanation=(
            "The threshold is chosen to maximise F1 on the test set, then the same test set reports "
            "that F1: the figure is the best of 99 tries, optimistic, and says nothing about new "
            "data. With few frauds in the test set the optimism is large."
        ),
        fix=("Choose the threshold on a validation set or inside cross-validation on the training data "
             "(TunedThresholdClassifierCV), then report the test F1 once at that threshold."),
    ),
    BugDrill(
        id="scaler-on-all-data",
        topic="leakage",
        tier="beginner",
        title="Bug 3",
        code='''\
X_scaled = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(
    X_scaled, y, test_size=0.3, stratify=y, random_state=0)
model = make_pipeline(SMOTE(random_state=0), LogisticRegression(max_iter=1000))
model.fit(X_train, y_train)
print("test AP:", average_precision_score(y_test, model.predict_proba(X_test)[:, 1]))''',
        answer="preprocessing-on-all-data",
        hint="SMOTE is inside the pipeline here; look at the step before the split.",
        explanation=(
            "The scaler's means and standard deviations are computed on all rows, test rows "
            "included, so the training features carry information about the test set. The effect "
            "is usually small for a scaler but the pattern is the same as for target encoders or "
            "imputers, where it is large."
        ),
        fix="Split first and put the scaler in the pipeline: make_pipeline(StandardScaler(), SMOTE(...), model).",
    ),
    BugDrill(
        id="roc-auc-only",
        topic="metrics",
        tier="beginner",
        title="Bug 4",
        code='''\
# 1 fraud per 1,000 transactions
model.fit(X_train, y_train)
auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
report = {"model": "gbm_v3", "roc_auc": round(auc, 3)}   # 0.981
send_to_stakeholders(report)  # the only number they will see''',
        answer="misleading-metric",
        hint="The code runs and the number is computed correctly; ask what it hides at 1:1000.",
        explanation=(
            "At 1:1000, ROC-AUC counts false alarms as a rate among a huge negative class: a 1 % "
            "false-positive rate is ten false alarms per fraud and hardly moves the curve. 0.981 "
            "can go with a top of the ranking full of false alarms; the stakeholders cannot tell."
        ),
        fix=("Report average precision (against the 0.001 base rate), precision and recall at the "
             "alert budget, or the expected cost, next to ROC-AUC."),
    ),
    BugDrill(
        id="double-counting",
        topic="cost-sensitive",
        tier="advanced",
        title="Bug 5",
        code='''\
ratio = (y_train == 0).sum() / (y_train == 1).sum()          # about 580
model = make_pipeline(
    SMOTE(sampling_strategy=1.0, random_state=0),            # classes now 1:1
    XGBClassifier(scale_pos_weight=ratio, n_estimators=300))
model.fit(X_train, y_train)''',
        answer="double-counting",
        hint="Count how many times the rare class is made more important.",
        explanation=(
            "SMOTE already balances the classes 1:1; scale_pos_weight then multiplies the weight of "
            "every positive by 580 again, so the model acts as if frauds were 580 times more common "
            "than legitimate transactions: probabilities near 1 for many legitimate rows and a flood "
            "of alerts."
        ),
        fix=("Correct the imbalance once: either scale_pos_weight (no SMOTE), or SMOTE with "
             "scale_pos_weight=1, and tune the threshold on validation data."),
    ),
)
