"""SVG snapshot of a card with maths: inline Unicode in the question, a stacked fraction in the answer."""

from __future__ import annotations

from pathlib import Path

SIZE = (100, 32)
MATHS = Path(__file__).parents[1] / "ui" / "decks" / "maths.md"


def test_review_maths_back(snap_compare, make_app):
    app = make_app(paths=(MATHS,), start_in_review=True, review_deck="maths")
    assert snap_compare(app, terminal_size=SIZE, press=["space"])
