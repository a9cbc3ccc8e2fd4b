"""`quizapp import deck.apkg --with-history`: Anki's revlog replayed into FSRS state and history."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import genanki
import pytest
from fsrs import Rating, State

from quizapp.cli import main
from quizapp.core.clock import FrozenClock
from quizapp.core.srs.store import Collection

from apkg_builders import build_genanki, card_ids, edit_collection

NOW = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)
T0 = NOW - timedelta(days=30)


def ms(dt):
    return int(dt.timestamp() * 1000)


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    return tmp_path


def package_with_log(path):
    build_genanki(path, [
        (genanki.BASIC_MODEL, ["Q one", "A one"], "n1"),
        (genanki.CLOZE_MODEL, ["{{c1::a}} and {{c2::b}}", ""], "n2"),
        (genanki.BASIC_MODEL, ["Q three", "A three"], "n3"),
    ], deck_name="Hist")
    cards = card_ids(path)  # (cid, nid, ord): n1 ord 0, n2 ord 0 and 1, n3 ord 0
    c1, c2a, c2b, c3 = (c[0] for c in cards)
    rows = [  # (id ms, cid, usn, ease, ivl, lastIvl, factor, time, type)
        (ms(T0), c1, -1, 3, 1, 0, 2500, 8000, 0),
        (ms(T0 + timedelta(days=1)), c1, -1, 3, 4, 1, 2500, 5000, 1),
        (ms(T0 + timedelta(days=5)), c1, -1, 1, 1, 4, 2300, 9000, 1),
        (ms(T0 + timedelta(days=6)), c1, -1, 0, 10, 1, 2300, 0, 4),  # a manual reschedule: not a review
        (ms(T0 + timedelta(days=2)), c2b, -1, 4, 4, 0, 2500, 3000, 0),
    ]
    edit_collection(path, [("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", r) for r in rows]
                    + [("UPDATE cards SET queue = -1 WHERE id = ?", (c3,))])
    return c1, c2a, c2b, c3


def test_revlog_is_replayed_into_fsrs_history_with_its_own_times(work, capsys):
    package_with_log(work / "h.apkg")
    clock = FrozenClock(NOW)
    code = main(["import", "h.apkg", "--with-history"], clock=clock)
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "3 notes, 4 cards, 4 reviews imported" in out.out
    with Collection(_collection_path(work), clock) as col:
        one = col.history("hist:anki-n1")
        assert [(e.kind, e.rating, e.reviewed_at) for e in one] == [
            ("review", Rating.Good, T0), ("review", Rating.Good, T0 + timedelta(days=1)),
            ("review", Rating.Again, T0 + timedelta(days=5))]
        assert one[0].duration_ms == 8000
        state = col.state("hist:anki-n1")
        assert state.card.state == State.Relearning and state.lapses == 1 and state.card.stability > 0
        assert state.card.due > T0 + timedelta(days=5)
        blank2 = col.state("hist:anki-n2:2")  # c2 of the cloze is our second blank
        assert blank2.card.last_review == T0 + timedelta(days=2)
        assert col.state("hist:anki-n2") is None  # c1 never reviewed
        assert col.state("hist:anki-n3").suspended
    # importing the same package again adds nothing
    assert main(["import", "h.apkg", "--with-history"], clock=clock) == 0
    assert "0 reviews imported" in capsys.readouterr().out
    with Collection(_collection_path(work), clock) as col:
        assert len(col.history("hist:anki-n1")) == 3


def _collection_path(work):
    found = list((work / "home").rglob("collection*.db")) or list((work / "home").rglob("*.sqlite*"))
    assert found, list((work / "home").rglob("*"))
    return found[0]


def test_with_history_on_a_text_file_is_refused(work, capsys):
    (work / "x.md").write_text("**Q:** a\nA: b\n")
    assert main(["import", "x.md", "--with-history"]) == 2
    assert "needs an Anki package" in capsys.readouterr().err


def test_reverse_card_gets_its_own_history_and_buried_cards_stay_buried_until_the_next_day(work, capsys):
    path = work / "r.apkg"
    build_genanki(path, [
        (genanki.BASIC_AND_REVERSED_CARD_MODEL, ["ReLU", "max(0, z)"], "r1"),
        (genanki.BASIC_MODEL, ["Q buried", "A"], "r2"),
    ], deck_name="Rev")
    cards = card_ids(path)  # r1 ord 0 and 1, r2 ord 0
    forward, reverse, buried = (c[0] for c in cards)
    edit_collection(path, [("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)",
                            (ms(T0), reverse, -1, 3, 1, 0, 2500, 4000, 0)),
                           ("UPDATE cards SET queue = -3 WHERE id = ?", (buried,))])
    clock = FrozenClock(NOW)
    code = main(["import", "r.apkg", "--with-history"], clock=clock)
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "2 notes, 3 cards, 1 reviews imported" in out.out
    with Collection(_collection_path(work), clock) as col:
        assert col.state("rev:anki-r1") is None  # Front → Back never reviewed
        assert col.state("rev:anki-r1_rv").card.last_review == T0  # Back → Front: Anki's card 2
        hidden = col.state("rev:anki-r2")
        assert hidden.is_buried(NOW) and not hidden.is_buried(NOW + timedelta(days=1))
        assert not hidden.suspended
