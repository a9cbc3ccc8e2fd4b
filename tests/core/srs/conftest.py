"""Fixtures for the store / scheduling tests: a frozen clock, cards built directly, a collection."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from quizapp.core.clock import FrozenClock
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.srs.store import Collection

START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)  # noon UTC, well after a 4 am rollover


@pytest.fixture
def start() -> datetime:
    return START


def _make_deck(deck_id: str = "d", n: int = 5) -> Deck:
    cards = [
        Card(key=f"{deck_id}:c{i}", deck=deck_id, kind=CardKind.QA, front=f"Question {i}?",
             back=f"Answer {i}", file=f"{deck_id}.md", line=i + 1)
        for i in range(n)
    ]
    return Deck(id=deck_id, title=deck_id.upper(), path=Path(f"{deck_id}.md"), cards=cards)


@pytest.fixture
def make_deck():
    """make_deck(deck_id="d", n=5): a deck of ``n`` Q&A cards keyed ``<deck>:c<i>``."""
    return _make_deck


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "collection.sqlite3"


@pytest.fixture
def collection(db_path: Path, clock: FrozenClock):
    with Collection(db_path, clock) as col:
        yield col
