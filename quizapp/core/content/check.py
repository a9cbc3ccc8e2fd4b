"""``quizapp check``: validate deck files and report every problem with its location.

``run_check(paths)`` loads the decks (the shipped ones when ``paths`` is empty) and returns a
:class:`CheckReport`; the CLI prints ``report.text()`` or ``report.to_json()`` and exits with
``report.exit_code`` (1 when there is any error).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from quizapp.core.content.library import Library
from quizapp.core.content.loader import load_library, shipped_decks_dir
from quizapp.core.content.model import CardKind, Deck, Problem, Severity

KIND_HEADERS = {
    CardKind.GLOSSARY: "gloss",
    CardKind.GLOSSARY_REVERSE: "rev",
    CardKind.COMPARISON: "cmp",
    CardKind.QA: "qa",
    CardKind.MCQ: "mcq",
    CardKind.CLOZE: "cloze",
    CardKind.DRILL: "drill",
    CardKind.GRADIENT: "grad",
}


def run_check(paths: list[Path], *, strict: bool = False) -> CheckReport:
    """Load and check the decks: each deck's own problems, the maths of its drills and skill cards,
    LaTeX the screens would show as written, near-duplicate cards across all of them and
    (``strict``) claims without a source."""
    from quizapp.core.content.fenced_checks import check_fenced_cards
    from quizapp.core.content.maths_checks import check_maths
    from quizapp.core.content.near_duplicates import near_duplicate_problems

    library = load_library(paths or [shipped_decks_dir()])
    for deck in library.decks:
        if not deck.failed:
            deck.problems.extend(check_fenced_cards(deck))
            deck.problems.extend(check_maths(deck))
    found = near_duplicate_problems(library)
    if strict:
        from quizapp.core.content.sources import unsourced_claims

        found += unsourced_claims(library)
    _attach(library, found)
    for deck in library.decks:
        deck.problems.sort(key=lambda p: (p.line, p.col))
    return CheckReport(library)


def _attach(library: Library, problems: list[Problem]) -> None:
    """Each problem goes to the deck of the card it is located at."""
    owner = {c.file: d for d in library.decks if not d.failed for c in d.cards}
    for problem in problems:
        deck = owner.get(problem.file)
        (deck.problems if deck is not None else library.path_problems).append(problem)


def _by_kind(deck: Deck) -> dict[str, int]:
    counts = Counter(str(c.kind) for c in deck.cards)
    return {str(k): counts.get(str(k), 0) for k in CardKind}


@dataclass(slots=True)
class CheckReport:
    library: Library

    @property
    def errors(self) -> int:
        return len(self.library.errors)

    @property
    def warnings(self) -> int:
        return len(self.library.warnings)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def summary(self) -> dict:
        decks = self.library.decks
        totals = Counter()
        for d in decks:
            if not d.failed:
                totals.update(_by_kind(d))
        return {
            "decks": len(decks),
            "failed": sum(d.failed for d in decks),
            "cards": sum(len(d.cards) for d in decks if not d.failed),
            "by_kind": {str(k): totals.get(str(k), 0) for k in CardKind},
            "errors": self.errors,
            "warnings": self.warnings,
        }

    def text(self) -> str:
        """The report for a person: problems, then a table of the decks. Paths are short (see
        :mod:`shown_paths`): shipped decks read ``shipped:NAME.md``, never a site-packages path."""
        from quizapp.core.content.shown_paths import SHIPPED, shown_path

        shipped = shipped_decks_dir()

        def where(path) -> str:
            return shown_path(path, shipped)

        prefix = f"{shipped}{os.sep}"  # messages name other cards' places too (near-duplicates)
        lines = [str(p._replace(file=where(p.file), message=p.message.replace(prefix, SHIPPED)))
                 for p in self.library.problems]
        if lines:
            lines.append("")
        rows = [["deck", "cards", *KIND_HEADERS.values(), "status", "file"]]
        for d in self.library.decks:
            counts = _by_kind(d)
            n_err = len(d.errors)
            status = "FAILED" if d.failed else (f"{n_err} error{'s' * (n_err != 1)}" if n_err else "ok")
            rows.append([d.id, str(len(d.cards)), *(str(counts[str(k)]) for k in KIND_HEADERS), status, where(d.path)])
        s = self.summary()
        rows.append(["total", str(s["cards"]), *(str(s["by_kind"][str(k)]) for k in KIND_HEADERS), "", ""])
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        numeric = range(1, 2 + len(KIND_HEADERS))
        for r in rows:
            cells = [c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))]
            lines.append("  ".join(cells).rstrip())
        lines.append("")
        lines.append(
            f"{s['decks']} deck{'s' * (s['decks'] != 1)}, {s['cards']} cards: "
            f"{self.errors} error{'s' * (self.errors != 1)}, {self.warnings} warning{'s' * (self.warnings != 1)}"
        )
        if any(where(d.path).startswith(SHIPPED) for d in self.library.decks):
            lines.append("(shipped: decks installed with quizapp; your own decks: see `quizapp new --help`)")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "decks": [
                {
                    "id": d.id,
                    "title": d.title,
                    "file": str(d.path),
                    "cards": len(d.cards),
                    "by_kind": _by_kind(d),
                    "failed": d.failed,
                }
                for d in self.library.decks
            ],
            "cards": [c.to_json() for c in self.library.cards],
            "problems": [p.to_json() for p in self.library.problems],
            "summary": self.summary(),
        }


__all__ = ["CheckReport", "run_check", "Severity"]
