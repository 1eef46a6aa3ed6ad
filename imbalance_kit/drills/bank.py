"""The question bank: every drill by id and topic, and what the notebook shows and grades.

Three kinds of drill share one bank:

- ``"written"``: :class:`~imbalance_kit.drills.questions.Question`, answered in words;
- ``"numeric"``: :class:`~imbalance_kit.drills.numeric.NumericDrill`, numbers from a seed;
- ``"bug"``: :class:`~imbalance_kit.drills.bugs.BugDrill`, name the mistake in a snippet.

The notebook ``11_interview_drills`` and the terminal drill mode
(``python -m imbalance_kit.drills``) both read it; so do the notebook's
hidden tests, through :func:`grade_numeric` and :func:`grade_bug`.
"""

from __future__ import annotations

import numbers
import textwrap

from .bugs import BUGS, CHOICES
from .numeric import NUMERIC_DRILLS, drill_seed
from .questions import QUESTIONS

__all__ = [
    "TOPICS", "KINDS", "BANK", "get", "select", "topics_summary", "IssuedDrill", "issue",
    "grade_numeric", "grade_bug", "Card", "card", "practice_sheet", "choices_card",
]

#: Topics in the order of the course (beginner to advanced).
TOPICS = (
    "metrics", "resampling", "smote-variants", "leakage", "focal-loss", "calibration",
    "cost-sensitive", "thresholds", "ensembles", "ab-testing", "drift", "system-design",
)
KINDS = ("written", "numeric", "bug")

#: Every drill, in the order above within each kind.
BANK = (*QUESTIONS, *NUMERIC_DRILLS, *BUGS)
_BY_ID = {item.id: item for item in BANK}


def get(drill_id):
    """The drill with this id.

    Raises
    ------
    KeyError
        If there is none; the message lists the ids.

    Examples
    --------
    >>> get("recall-dropped").topic
    'drift'
    """
    try:
        return _BY_ID[drill_id]
    except (KeyError, TypeError):
        raise KeyError(f"no drill with id {drill_id!r}; the ids are: {', '.join(_BY_ID)}") from None


def _check_topics(topics):
    if topics is None:
        return None
    if isinstance(topics, str):
        topics = [topics]
    wanted = []
    for t in topics:
        for part in str(t).split(","):
            name = part.strip().lower().replace("_", "-").replace(" ", "-")
            if not name:
                continue
            if name not in TOPICS:
                raise ValueError(f"unknown topic {part.strip()!r}; choose from: {', '.join(TOPICS)}")
            wanted.append(name)
    return set(wanted) or None


def select(topics=None, kinds=None):
    """Drills of the given topics and kinds, in bank order.

    Parameters
    ----------
    topics : str or list of str, optional
        Topic names of :data:`TOPICS` (comma-separated string allowed).
    kinds : str or list of str, optional
        ``"written"``, ``"numeric"``, ``"bug"``.

    Raises
    ------
    ValueError
        For an unknown topic or kind (the message lists the valid ones).

    Examples
    --------
    >>> [d.id for d in select("focal-loss", kinds="numeric")]
    ['focal-weight-easy-example']
    """
    wanted = _check_topics(topics)
    if kinds is not None:
        kinds = {kinds} if isinstance(kinds, str) else set(kinds)
        bad = kinds - set(KINDS)
        if bad:
            raise ValueError(f"unknown kind {sorted(bad)[0]!r}; choose from: {', '.join(KINDS)}")
    return [d for d in BANK
            if (wanted is None or d.topic in wanted) and (kinds is None or d.kind in kinds)]


def topics_summary():
    """``{topic: {kind: count}}`` over the whole bank.

    Examples
    --------
    >>> topics_summary()["drift"]["written"] >= 1
    True
    """
    table = {t: dict.fromkeys(KINDS, 0) for t in TOPICS}
    for d in BANK:
        table[d.topic][d.kind] += 1
    return table


# --------------------------------------------------------------------------
# Numeric drills in a notebook: issue the learner's numbers, grade the answer
# --------------------------------------------------------------------------

# Parameters issued in this Python process, per drill id: a grader accepts an
# answer that is right for any numbers the learner was actually shown, even if
# a scratch cell later overwrote the notebook's LEARNER_SEED.
_ISSUED = {}


class IssuedDrill:
    """A numeric drill with one learner's numbers; displays as the question.

    Attributes
    ----------
    drill : NumericDrill
    learner_seed : int or str
    params : dict
        The numbers, for code that wants them (``issued.params["tp"]``).
    """

    def __init__(self, drill, learner_seed):
        self.drill = drill
        self.learner_seed = learner_seed
        self.params = drill.params(drill_seed(learner_seed, drill.id))

    @property
    def prompt(self):
        return self.drill.prompt(self.params)

    def __repr__(self):
        return f"{self.drill.title} (your numbers):\n{self.prompt}\nparams = {self.params!r}"

    def _repr_markdown_(self):
        prompt = self.prompt.replace("\n", "  \n")
        return f"**{self.drill.title}** (your numbers)\n\n{prompt}\n\n`params = {self.params!r}`"


def _learner_seed(value):
    if isinstance(value, (numbers.Integral, str)) and not isinstance(value, bool):
        return value
    raise TypeError(
        "LEARNER_SEED must be a whole number or a string (your name or student id), got "
        f"{type(value).__name__}: {value!r}."
    )


def issue(drill_id, learner_seed):
    """The numeric drill ``drill_id`` with the numbers of ``learner_seed``.

    Examples
    --------
    >>> d = issue("f2-from-confusion", 7)
    >>> d.params == issue("f2-from-confusion", 7).params
    True
    """
    drill = get(drill_id)
    if drill.kind != "numeric":
        raise ValueError(f"{drill_id!r} is a {drill.kind} drill, not a numeric one.")
    issued = IssuedDrill(drill, _learner_seed(learner_seed))
    seen = _ISSUED.setdefault(drill.id, [])
    if issued.params not in seen:
        seen.append(issued.params)
    return issued


def grade_numeric(drill_id, answer, learner_seed):
    """Check a notebook answer to a numeric drill; the numbers are recomputed from the seed.

    The answer is accepted when it is right for the numbers of
    ``learner_seed`` or for any numbers :func:`issue` showed in this process.

    Returns
    -------
    Verdict
        ``correct``, ``expected`` and a message in plain words.

    Examples
    --------
    >>> d = issue("cost-optimal-threshold", 3)
    >>> p = d.params
    >>> grade_numeric("cost-optimal-threshold", p["fp_cost"] / (p["fp_cost"] + p["fn_cost"]), 3).correct
    True
    """
    drill = get(drill_id)
    candidates = [drill.params(drill_seed(_learner_seed(learner_seed), drill.id))]
    candidates += [p for p in _ISSUED.get(drill.id, []) if p not in candidates]
    verdicts = [drill.check(answer, p) for p in candidates]
    return next((v for v in verdicts if v.correct), verdicts[0])


def grade_bug(drill_id, answer):
    """``(correct, message)`` for a spot-the-bug answer.

    Examples
    --------
    >>> grade_bug("double-counting", "E")
    (True, 'Bug 5: correct.')
    """
    drill = get(drill_id)
    if drill.kind != "bug":
        raise ValueError(f"{drill_id!r} is a {drill.kind} drill, not a spot-the-bug one.")
    return drill.check(answer)


# --------------------------------------------------------------------------
# Display: Markdown in a notebook, plain text in a terminal
# --------------------------------------------------------------------------

class Card:
    """Text that shows as Markdown in a notebook and as plain text elsewhere."""

    def __init__(self, markdown, text):
        self.markdown = markdown
        self.text = text

    def __repr__(self):
        return self.text

    def __str__(self):
        return self.text

    def _repr_markdown_(self):
        return self.markdown


def _wrap(text, indent=""):
    return textwrap.fill(text, 88, initial_indent=indent, subsequent_indent=" " * len(indent))


def _question_parts(q, reveal):
    md = [f"**{q.prompt}**  \n*topic: {q.topic} · tier: {q.tier}*"]
    tx = [_wrap(q.prompt), f"(topic: {q.topic}, tier: {q.tier})"]
    body_md = ["**Answer strategy**", "", *[f"{i}. {s}" for i, s in enumerate(q.strategy, 1)], "",
               f"**Model answer.** {q.model_answer}", "", "**What interviewers listen for**", "",
               *[f"- {s}" for s in q.listen_for]]
    body_tx = ["Answer strategy:", *[_wrap(s, f"  {i}. ") for i, s in enumerate(q.strategy, 1)],
               "Model answer:", _wrap(q.model_answer, "  "), "What interviewers listen for:",
               *[_wrap(s, "  - ") for s in q.listen_for]]
    return md, tx, body_md, body_tx


def card(drill_id, *, reveal="details", learner_seed=None):
    """A drill as a :class:`Card`: the question, and its strategy and model answer.

    Parameters
    ----------
    drill_id : str
    reveal : {"details", True, False}, default="details"
        ``"details"`` folds the answer (click to open in a notebook),
        ``True`` shows it, ``False`` leaves it out.
    learner_seed : int or str, optional
        For a numeric drill: whose numbers to show (default: the drill's seed 0).

    Examples
    --------
    >>> "accuracy paradox" in str(card("one-percent-positives", reveal=True))
    True
    """
    d = get(drill_id)
    if d.kind == "written":
        md, tx, body_md, body_tx = _question_parts(d, reveal)
    elif d.kind == "numeric":
        params = d.params(drill_seed(0 if learner_seed is None else learner_seed, d.id))
        md = [f"**{d.title}**  \n{d.prompt(params)}"]
        tx = [d.title, d.prompt(params)]
        body_md = ["**Strategy**", "", *[f"{i}. {s}" for i, s in enumerate(d.strategy, 1)], "",
                   f"**Worked solution.** {d.solution(params)}"]
        body_tx = ["Strategy:", *[_wrap(s, f"  {i}. ") for i, s in enumerate(d.strategy, 1)],
                   "Worked solution:", _wrap(d.solution(params), "  ")]
    else:
        md = [f"**{d.title}**", "", "```python", d.code, "```"]
        tx = [d.title, textwrap.indent(d.code, "    ")]
        body_md = [f"**The bug:** {d.answer}. {d.explanation}", "", f"**Fix.** {d.fix}"]
        body_tx = [_wrap(f"The bug: {d.answer}. {d.explanation}"), _wrap(f"Fix: {d.fix}")]
    if reveal == "details":
        md += ["", "<details><summary>Strategy and model answer (try first, then open)</summary>", "",
               *body_md, "", "</details>"]
        tx += body_tx
    elif reveal:
        md += ["", *body_md]
        tx += body_tx
    return Card("\n".join(md), "\n".join(tx))


def practice_sheet(topics=None, *, kinds=("written",), exclude=(), reveal="details"):
    """Several drills as one :class:`Card`, grouped by topic.

    Examples
    --------
    >>> sheet = practice_sheet("metrics")
    >>> "ROC-AUC of 0.97" in str(sheet)
    True
    """
    items = [d for d in select(topics, kinds) if d.id not in set(exclude)]
    md, tx = [], []
    for topic in TOPICS:
        chosen = [d for d in items if d.topic == topic]
        if not chosen:
            continue
        md.append(f"### {topic}")
        tx.append(f"== {topic} ==")
        for d in chosen:
            c = card(d.id, reveal=reveal)
            md += [c.markdown, "", "---", ""]
            tx += [c.text, ""]
    return Card("\n".join(md), "\n".join(tx))


def choices_card():
    """The list of bug choices, as a :class:`Card`.

    Examples
    --------
    >>> str(choices_card()).splitlines()[0].startswith("A")
    True
    """
    md = "\n".join(f"- **{c.letter}** `{c.key}`: {c.text}" for c in CHOICES)
    tx = "\n".join(f"{c.letter}  {c.key}: {c.text}" for c in CHOICES)
    return Card(md, tx)
