"""The drill mode's score, kept in the data cache between sessions.

The file is ``<data home>/drills/scores.json`` (the data home is
``$IMBALANCE_KIT_DATA`` or ``~/.cache/imbalance_kit``, see
:func:`imbalance_kit.datasets.cache.data_home`). It holds, per drill, how
often it was asked and answered right, and one line per session.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

__all__ = ["ScoreBook", "score_path"]

_VERSION = 1


def score_path(data_home=None):
    """Where the score file lives (the folder is created on demand).

    Examples
    --------
    >>> import tempfile
    >>> score_path(tempfile.mkdtemp()).name
    'scores.json'
    """
    from ..datasets.cache import data_home as _data_home

    folder = _data_home(data_home) / "drills"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "scores.json"


class ScoreBook:
    """Attempts and correct answers per drill, and a log of sessions.

    Parameters
    ----------
    path : str or pathlib.Path
        The JSON file; missing or unreadable means an empty book (an
        unreadable file is kept aside as ``scores.json.bad``, never lost).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> book = ScoreBook(pathlib.Path(tempfile.mkdtemp()) / "s.json")
    >>> book.record("recall-dropped", True)
    >>> book.save()
    >>> ScoreBook(book.path).per_drill["recall-dropped"]["correct"]
    1
    """

    def __init__(self, path):
        self.path = Path(path)
        self.per_drill = {}
        self.sessions = []
        self.warning = None
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text())
                if data.get("version") != _VERSION:
                    raise ValueError(f"unknown version {data.get('version')!r}")
                self.per_drill = dict(data["drills"])
                self.sessions = list(data["sessions"])
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                bad = self.path.with_name(self.path.name + ".bad")
                os.replace(self.path, bad)
                self.warning = f"the score file could not be read ({exc}); it was moved to {bad} and a new one started."

    def record(self, drill_id, correct):
        """Count one attempt at ``drill_id``."""
        entry = self.per_drill.setdefault(drill_id, {"attempts": 0, "correct": 0})
        entry["attempts"] += 1
        entry["correct"] += int(bool(correct))
        entry["last"] = time.strftime("%Y-%m-%d")

    def add_session(self, mode, asked, correct, seconds):
        """Log a finished session."""
        self.sessions.append({"date": time.strftime("%Y-%m-%d %H:%M"), "mode": mode,
                              "asked": asked, "correct": correct, "seconds": round(seconds, 1)})

    def totals(self):
        """``(attempts, correct)`` over every drill."""
        return (sum(e["attempts"] for e in self.per_drill.values()),
                sum(e["correct"] for e in self.per_drill.values()))

    def save(self):
        """Write the file atomically (a temporary file, then a rename)."""
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"version": _VERSION, "drills": self.per_drill,
                                   "sessions": self.sessions[-500:]}, indent=1, sort_keys=True))
        os.replace(tmp, self.path)
