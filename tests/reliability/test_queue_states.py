"""Queues and counts read only the cards that can be in a bucket (``Collection.queue_states``), not
every card's fsrs state; they must come out exactly as the full read of every state says — for
small decks (per-key look-ups) and big ones (table scans), suspended / buried / reset / leech cards,
orphans, and at times around the learn-ahead window and the day rollover."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs
import pytest
from fsrs import Rating, State

from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.study.counts import LEARN_AHEAD, Study
from quizapp.core.srs import reads
from quizapp.core.srs.scheduling import card_id_for
from quizapp.core.srs.store import Collection

START = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def deck(deck_id: str, n: int) -> Deck:
    cards = [Card(key=f"{deck_id}:c{i}", deck=deck_id, kind=CardKind.QA, front=f"Q{i}?", back=f"A{i}",
                  file=f"{deck_id}.md", line=i + 1) for i in range(n)]
    return Deck(id=deck_id, title=deck_id, path=Path(f"{deck_id}.md"), cards=cards)


def fsrs_card(key: str, state: State, due: datetime) -> fsrs.Card:
    return fsrs.Card(card_id=card_id_for(key), state=state, step=0 if state != State.Review else None,
                     stability=3.0, difficulty=5.0, due=due, last_review=due - timedelta(days=1))


def populate(col: Collection, keys: list[str], rng: random.Random) -> None:
    now = START
    for key in keys:
        roll = rng.random()
        if roll < 0.15:
            continue  # new
        state = rng.choice([State.Learning, State.Review, State.Review, State.Relearning])
        due = now + timedelta(minutes=rng.choice([-600, -30, -1, 0, 5, 19, 20, 21, 60, 15 * 60, 16 * 60, 970, 17 * 60,
                                                  3 * 24 * 60]))
        col.log_review(key, Rating.Good, fsrs_card(key, state, due), at=now - timedelta(days=2))
        extra = rng.random()
        if extra < 0.1:
            col.suspend(key, at=now)
        elif extra < 0.2:
            col.bury(key, now + timedelta(hours=rng.choice([-2, 3, 30])), at=now - timedelta(hours=3))
        elif extra < 0.27:
            col.reset(key, at=now)
            if rng.random() < 0.5:
                col.suspend(key, at=now)  # a new card with a state row: suspended, no fsrs card
            else:
                col.bury(key, now + timedelta(hours=rng.choice([-1, 2])), at=now)
        elif extra < 0.37:  # lapses: Again on a Review card, twice (threshold 2 makes it a leech)
            for _ in range(rng.choice([1, 2, 3])):
                col.log_review(key, Rating.Good, fsrs_card(key, State.Review, due), at=now - timedelta(days=1))
                col.log_review(key, Rating.Again, fsrs_card(key, State.Relearning, due), at=now - timedelta(hours=1))


def reference(study: Study, cards: list[Card]) -> tuple:
    """The buckets as computed from every card's full state (the behaviour before queue_states)."""
    now, day_end = study.now(), study.day_end()
    states = study.collection.states(c.key for c in cards)
    unseen, learning, due = [], [], []
    suspended = buried = leeches = 0
    threshold = study.config.leech_threshold
    for card in cards:
        record = states.get(card.key)
        if record is not None and threshold and record.lapses >= threshold:
            leeches += 1
        if record is not None and record.suspended:
            suspended += 1
        elif record is not None and record.is_buried(now):
            buried += 1
        elif record is None or record.card is None:
            unseen.append(card.key)
        elif record.card.state in (State.Learning, State.Relearning):
            if record.card.due <= now + LEARN_AHEAD:
                learning.append((record.card.due, card.key))
        elif record.card.due < day_end:
            due.append((record.card.due, card.key))
    return unseen, sorted(learning), sorted(due), suspended, buried, leeches


@pytest.mark.parametrize("chunk", [500, 3])  # 3: the key set is "big", so the table-scan path runs
@pytest.mark.parametrize("threshold", [2, 0])
def test_buckets_match_a_full_read_of_every_state(tmp_path, monkeypatch, chunk, threshold):
    monkeypatch.setattr(reads, "_CHUNK", chunk)
    clock = FrozenClock(START)
    decks = [deck("a", 40), deck("b", 25)]
    orphans = [f"gone:c{i}" for i in range(6)]  # history of cards in no deck: never counted
    with Collection(tmp_path / "c.sqlite3", clock) as col:
        col.connection.execute("PRAGMA synchronous = OFF")  # test speed only
        populate(col, [c.key for d in decks for c in d.cards] + orphans, random.Random(7 + threshold))
        study = Study(col, decks, Config(enable_fuzzing=False, leech_threshold=threshold, new_per_day=10),
                      clock, tz=UTC)
        for offset in (timedelta(0), timedelta(minutes=1), timedelta(hours=3, minutes=45),
                       timedelta(hours=15, minutes=50), timedelta(hours=16, minutes=10), timedelta(days=2)):
            clock.set(START + offset)
            for deck_id in (None, "a", "b"):
                cards = study.cards(deck_id)
                b = study._buckets(cards)
                got = (b.unseen, b.learning, b.due, b.suspended, b.buried, b.leeches)
                assert got == reference(study, cards), (offset, deck_id)
            want_unseen, want_learning, want_due = reference(study, study.cards())[:3]
            session = study.start_review()
            now = study.now()
            queue = ([k for d, k in want_learning if d <= now] + [k for _, k in want_due]
                     + want_unseen[:study.new_remaining()])
            shown = [session.current_key] + session._queue if session.current_key else []
            assert shown == queue[:len(shown)] and len(shown) == len(queue)


def test_queue_states_reports_only_what_a_queue_needs(tmp_path):
    clock = FrozenClock(START)
    with Collection(tmp_path / "c.sqlite3", clock) as col:
        col.log_review("d:later", Rating.Good, fsrs_card("d:later", State.Review, START + timedelta(days=9)))
        col.log_review("d:due", Rating.Good, fsrs_card("d:due", State.Review, START - timedelta(hours=1)))
        col.suspend("d:new-suspended")
        states, settled = col.queue_states(["d:later", "d:due", "d:new-suspended", "d:new"], START)
        assert set(states) == {"d:due", "d:new-suspended"}
        assert states["d:due"].state is State.Review and states["d:due"].due == START - timedelta(hours=1)
        assert states["d:new-suspended"].state is None and states["d:new-suspended"].suspended
        assert "d:later" in settled and "d:new" not in settled
