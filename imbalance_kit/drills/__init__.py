"""Interview drills: one question bank for the notebook ``11_interview_drills`` and the terminal.

The bank (:data:`BANK`) holds three kinds of drill, each with a topic of
:data:`TOPICS` and a tier:

- written questions (:mod:`~imbalance_kit.drills.questions`): the question, a
  structured answer strategy, a model answer, what interviewers listen for;
- numeric drills (:mod:`~imbalance_kit.drills.numeric`): whiteboard
  computations with numbers drawn from a seed and a reference answer;
- spot-the-bug snippets (:mod:`~imbalance_kit.drills.bugs`) with a list of
  choices.

In a terminal: ``python -m imbalance_kit.drills`` (or ``make drill``); see
``--help``. In a notebook: :func:`card`, :func:`practice_sheet`,
:func:`issue` (your own numbers) and, for graders, :func:`grade_numeric` and
:func:`grade_bug`.

Examples
--------
>>> from imbalance_kit import drills
>>> len(drills.select(kinds="written")) >= 17
True
"""

from .bank import (
    BANK, KINDS, TOPICS, Card, IssuedDrill, card, choices_card, get, grade_bug, grade_numeric,
    issue, practice_sheet, select, topics_summary,
)
from .bugs import BUGS, CHOICES, parse_choice
from .numeric import NUMERIC_DRILLS, Verdict, drill_seed, parse_number
from .questions import QUESTIONS

__all__ = [
    "BANK", "BUGS", "CHOICES", "KINDS", "NUMERIC_DRILLS", "QUESTIONS", "TOPICS", "Card",
    "IssuedDrill", "Verdict", "card", "choices_card", "drill_seed", "get", "grade_bug",
    "grade_numeric", "issue", "parse_choice", "parse_number", "practice_sheet", "select",
    "topics_summary",
]
