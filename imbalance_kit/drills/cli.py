"""Drill mode in the terminal: ``python -m imbalance_kit.drills`` (or ``make drill``).

One question at a time from the bank of :mod:`imbalance_kit.drills`:

- a numeric drill gets fresh numbers every time (``--seed`` repeats a set);
- a spot-the-bug snippet is answered with a letter or the bug's name;
- a question in words is answered in your own words (type notes, or say it
  out loud), then compared with the strategy and the model answer, and you
  judge whether you covered the points.

After each answer the strategy and the model answer (or the worked solution)
are shown. The score is kept in ``<data home>/drills/scores.json``
(``$IMBALANCE_KIT_DATA`` moves it). ``--mock MINUTES`` runs a timed mock
interview: a mix of kinds, a time budget per question, a report at the end.

Examples::

    python -m imbalance_kit.drills                       # 5 drills, any topic
    python -m imbalance_kit.drills --topic drift --count 3
    python -m imbalance_kit.drills --kind numeric        # whiteboard computations only
    python -m imbalance_kit.drills --mock 20             # a 20-minute mock interview
    python -m imbalance_kit.drills --list                # topics and how many drills each
    python -m imbalance_kit.drills --score               # your score so far
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import time

import numpy as np

from . import bank
from .bugs import CHOICES
from .scores import ScoreBook, score_path

__all__ = ["main", "build_parser"]

_RULE = "-" * 72


class _EndOfInput(Exception):
    """Standard input ended (Ctrl-D, or a piped file ran out)."""


def build_parser():
    """The argument parser (``--help`` lists every option)."""
    parser = argparse.ArgumentParser(
        prog="python -m imbalance_kit.drills",
        description="Interview drills on imbalanced learning, one question at a time. "
                    "The model answer and the strategy are shown after you answer; "
                    "your score is kept between sessions.",
        epilog="Topics: " + ", ".join(bank.TOPICS),
    )
    parser.add_argument("--topic", action="append", metavar="TOPIC",
                        help="only this topic (repeat the option or separate with commas)")
    parser.add_argument("--kind", action="append", choices=bank.KINDS,
                        help="only this kind of drill (repeatable)")
    parser.add_argument("--count", type=int, default=None, metavar="N",
                        help="how many drills (default 5)")
    parser.add_argument("--mock", type=float, nargs="?", const=20.0, default=None, metavar="MINUTES",
                        help="timed mock interview (default 20 minutes): a mix of kinds, a time "
                             "budget per question")
    parser.add_argument("--seed", type=int, default=None,
                        help="repeat a session: the same drills and the same numbers")
    parser.add_argument("--list", action="store_true", help="list the topics and the drills per kind")
    parser.add_argument("--score", action="store_true", help="show your score so far")
    parser.add_argument("--reset-score", action="store_true", help="forget your score")
    parser.add_argument("--no-save", action="store_true", help="do not record this session")
    return parser


class _Session:
    def __init__(self, stdin, stdout, clock):
        self.stdin, self.stdout, self.clock = stdin, stdout, clock
        isatty = getattr(stdin, "isatty", None)
        self.interactive = bool(isatty and isatty())

    def say(self, text=""):
        print(text, file=self.stdout)

    def wrap(self, text, indent=""):
        self.say(textwrap.fill(text, 88, initial_indent=indent, subsequent_indent=" " * len(indent)))

    def ask(self, prompt):
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            raise _EndOfInput
        line = line.rstrip("\n")
        if not self.interactive:
            # Piped answers are not echoed by a terminal: echo them so a transcript reads well.
            self.say(line)
        return line

    # ----------------------------------------------------------------- one drill of each kind
    def numeric(self, drill, rng):
        params = drill.params(int(rng.integers(2 ** 62)))
        self.say(drill.title)
        self.say(drill.prompt(params))
        for _ in range(3):
            answer = self.ask("Your answer (a number; Enter to skip): ").strip()
            if not answer:
                verdict = drill.check("nan", params)
                self.say(f"Skipped. The answer is {verdict.expected:.6g}.")
                break
            verdict = drill.check(answer, params)
            if "expected a number" in verdict.message or "finite" in verdict.message:
                self.say("That is not a number I can read (examples: 0.42, 42 %, 1,094). Try again.")
                continue
            self.say(("Correct. " if verdict.correct else "Not quite. ") + f"Reference: {verdict.expected:.6g}")
            if not verdict.correct:
                self.wrap(verdict.message)
            break
        else:
            verdict = drill.check("nan", params)
        self.say("Strategy:")
        for i, step in enumerate(drill.strategy, 1):
            self.wrap(step, f"  {i}. ")
        self.say("Worked solution:")
        self.wrap(drill.solution(params), "  ")
        return verdict.correct

    def bug(self, drill):
        self.say(f"{drill.title}: what is wrong in this code?")
        self.say(textwrap.indent(drill.code, "    "))
        self.say("Choices:")
        for c in CHOICES:
            self.say(f"  {c.letter}  {c.text}")
        correct, message = False, ""
        for _ in range(3):
            answer = self.ask("Your answer (a letter or the bug's name; Enter to skip): ").strip()
            if not answer:
                message = "Skipped."
                break
            correct, message = drill.check(answer)
            if "does not name one of the choices" in message:
                self.say("I can't match that to a choice; answer with a letter A-H.")
                continue
            break
        self.say("Correct." if correct else message)
        self.wrap(f"The bug ({drill.answer}): {drill.explanation}")
        self.wrap(f"Fix: {drill.fix}")
        return correct

    def written(self, question):
        self.wrap(question.prompt)
        self.say("Answer in your own words: type notes (an empty line ends them), or say it out loud "
                 "and press Enter.")
        lines = []
        while True:
            line = self.ask("> " if not lines else "  ")
            if not line.strip():
                break
            lines.append(line)
        self.say("Answer strategy:")
        for i, step in enumerate(question.strategy, 1):
            self.wrap(step, f"  {i}. ")
        self.say("Model answer:")
        self.wrap(question.model_answer, "  ")
        self.say("What interviewers listen for:")
        for point in question.listen_for:
            self.wrap(point, "  - ")
        reply = self.ask("Did your answer cover most of these points? [y/n]: ").strip().lower()
        return reply.startswith("y")


def _order(items, rng, book):
    # Unseen drills and the ones you got wrong come first, shuffled.
    keys = rng.random(len(items))
    def mastered(d):
        return book.per_drill.get(d.id, {}).get("correct", 0) > 0
    return [d for _, d in sorted(zip(keys, items), key=lambda kd: (mastered(kd[1]), kd[0]))]


def _mock_mix(items, count):
    # Interleave the kinds so a mock interview has words, numbers and code.
    by_kind = {k: [d for d in items if d.kind == k] for k in ("written", "numeric", "bug")}
    mix = []
    while len(mix) < count and any(by_kind.values()):
        for k in ("written", "numeric", "written", "bug"):
            if by_kind[k] and len(mix) < count:
                mix.append(by_kind[k].pop(0))
    return mix


def _print_score(out, book):
    attempts, correct = book.totals()
    print(f"Score file: {book.path}", file=out)
    if not attempts:
        print("No drills answered yet. Start with: python -m imbalance_kit.drills", file=out)
        return
    print(f"All sessions: {correct}/{attempts} correct ({correct / attempts:.0%}).", file=out)
    print(f"{'topic':16} {'answered':>9} {'correct':>8}", file=out)
    for topic in bank.TOPICS:
        ids = {d.id for d in bank.select(topic)}
        a = sum(e["attempts"] for i, e in book.per_drill.items() if i in ids)
        c = sum(e["correct"] for i, e in book.per_drill.items() if i in ids)
        if a:
            print(f"{topic:16} {a:9d} {c:8d}", file=out)
    for s in book.sessions[-5:]:
        print(f"  {s['date']}  {s['mode']:6}  {s['correct']}/{s['asked']}  {s['seconds']:.0f} s", file=out)


def main(argv=None, *, stdin=None, stdout=None, clock=time.monotonic):
    """Run the drill mode; returns the exit status (0, or 2 for bad options).

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (default ``sys.argv[1:]``).
    stdin, stdout : file-like, optional
        Where to read answers and write questions (default the terminal).
    clock : callable, default=time.monotonic
        Seconds; replaced in tests.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    stdin = sys.stdin if stdin is None else stdin
    if stdout is None:
        stdout = sys.stdout
        if hasattr(stdout, "reconfigure"):
            # A terminal without UTF-8 still shows the questions (with ? for €, α).
            stdout.reconfigure(errors="replace")
    try:
        items = bank.select(args.topic, args.kind)
    except ValueError as exc:
        parser.error(str(exc))
    if args.count is not None and args.count < 1:
        parser.error(f"--count must be at least 1, got {args.count}")
    if args.mock is not None and not args.mock > 0:
        parser.error(f"--mock needs a positive number of minutes, got {args.mock}")
    if not items:
        parser.error(f"no {'/'.join(args.kind or [])} drills on {', '.join(args.topic or [])}; "
                     "see --list for what each topic has")

    book = ScoreBook(score_path())
    if book.warning:
        print(f"Note: {book.warning}", file=stdout)
    if args.list:
        summary = bank.topics_summary()
        print(f"{'topic':16} {'written':>8} {'numeric':>8} {'bug':>5}", file=stdout)
        for topic, counts in summary.items():
            print(f"{topic:16} {counts['written']:8d} {counts['numeric']:8d} {counts['bug']:5d}", file=stdout)
        print(f"{len(bank.BANK)} drills in all.", file=stdout)
        return 0
    if args.reset_score:
        book.path.unlink(missing_ok=True)
        print(f"Score reset ({book.path} removed).", file=stdout)
        return 0
    if args.score:
        _print_score(stdout, book)
        return 0

    seed = args.seed if args.seed is not None else int(np.random.SeedSequence().entropy % 10 ** 6)
    rng = np.random.default_rng(seed)
    count = args.count or 5
    ordered = _order(items, rng, book)
    chosen = _mock_mix(ordered, count) if args.mock else ordered[:count]
    session = _Session(stdin, stdout, clock)
    mode = "mock" if args.mock else "drill"
    session.say(f"{'Mock interview' if args.mock else 'Drill'}: {len(chosen)} question(s), seed {seed} "
                f"(--seed {seed} repeats this set). Ctrl-D stops.")
    if len(chosen) < count:
        session.say(f"(only {len(chosen)} drill(s) match your filters)")
    total_budget = args.mock * 60 if args.mock else None
    per_question = total_budget / len(chosen) if args.mock else None
    if args.mock:
        session.say(f"Time: {args.mock:g} minutes, about {per_question / 60:.1f} per question. "
                    "Answer as you would out loud; the clock runs while you type.")

    start = clock()
    results = []
    try:
        for i, drill in enumerate(chosen, 1):
            elapsed = clock() - start
            if args.mock and elapsed >= total_budget:
                session.say("Time is up: the interviewer moves on. Remaining questions skipped.")
                break
            session.say(_RULE)
            left = f" · {(total_budget - elapsed) / 60:.1f} min left" if args.mock else ""
            session.say(f"[{i}/{len(chosen)}] {drill.topic} · {drill.kind}{left}")
            t0 = clock()
            if drill.kind == "numeric":
                correct = session.numeric(drill, rng)
            elif drill.kind == "bug":
                correct = session.bug(drill)
            else:
                correct = session.written(drill)
            took = clock() - t0
            over = args.mock and took > per_question
            if over:
                session.say(f"That took {took:.0f} s, over the {per_question:.0f} s budget.")
            results.append((drill, bool(correct), took, over))
            book.record(drill.id, correct)
    except _EndOfInput:
        session.say("Input ended; stopping here.")
    except KeyboardInterrupt:
        session.say("\nStopped.")

    session.say(_RULE)
    n_ok = sum(ok for _, ok, _, _ in results)
    session.say(f"This session: {n_ok}/{len(results)} correct.")
    if args.mock and results:
        session.say("Mock interview report:")
        for drill, ok, took, over in results:
            flag = "over time" if over else ""
            session.say(f"  {'ok ' if ok else 'no '} {took:6.0f} s  {drill.kind:8} {drill.id}  {flag}")
        session.say(f"  total {clock() - start:.0f} s of {total_budget:.0f} s")
    if args.no_save:
        session.say("(not saved: --no-save)")
    elif results:
        book.add_session(mode, len(results), n_ok, clock() - start)
        book.save()
        attempts, correct = book.totals()
        session.say(f"All sessions: {correct}/{attempts} correct. Saved to {book.path}")
    return 0
