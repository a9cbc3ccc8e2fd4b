"""`quizapp ids --write`: ids where the parser reads them, every other byte kept, progress kept."""

from __future__ import annotations

from datetime import UTC, datetime

from fsrs import Rating

from quizapp.cli import main
from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.loader import load_deck
from quizapp.core.content.parser import parse_deck
from quizapp.core.content.stamp_ids import split_lines, stamp_file, stamp_text
from quizapp.core.srs.scheduling import Scheduler, new_card
from quizapp.core.srs.store import Collection

DECK = """+++
deck = "s"
+++

# Every construct

**Q: What is the dying ReLU problem?**
A: Units stuck at 0.

Q: Which activation leaks?
- [ ] ReLU
- [x] Leaky ReLU

| Term | Definition | Example |
|------|------------|---------|
| ReLU | max(0, z)  |         |
| Leaky ReLU \\| LReLU | max(αz, z) | leaky(-1) |

| Function | Formula | Range |
|----------|---------|-------|
| Sigmoid | 1/(1+e^-z) | (0, 1) |

| Function | f(0) | f'(0) |
|----------|------|-------|
| Tanh | 0 | 1 |

Dead units output {{0}} and
never {{recover}}.

- Leaky ReLU's default α is {{0.01}}.
- plain item

**Q: Already has one?** <!-- id: kept -->
A: yes

Q: What is the dying ReLU problem?
A: A duplicate front.
"""


def stamped(text: str = DECK):
    result = stamp_text(text, "s.md")
    assert not result.error, result.error
    return result


def test_each_construct_gets_its_id_where_the_parser_reads_it():
    result = stamped()
    new = result.text.split("\n")
    assert new[6] == "**Q: What is the dying ReLU problem?** <!-- id: what-is-the-dying-relu-problem -->"
    assert new[9] == "Q: Which activation leaks? <!-- id: which-activation-leaks -->"
    assert new[15] == "| ReLU | max(0, z) <!-- id: relu -->  |         |"  # in the last non-empty cell
    assert new[16] == "| Leaky ReLU \\| LReLU | max(αz, z) | leaky(-1) <!-- id: leaky-relu-lrelu --> |"
    assert new[20] == "| Sigmoid <!-- id: sigmoid --> | 1/(1+e^-z) | (0, 1) |"  # a row id: first cell
    # f(0) and f'(0) have the same slug, so a row id would give two cells one key: cell ids
    assert new[24] == "| Tanh | 0 <!-- id: tanh-f-0 --> | 1 <!-- id: tanh-f-0-2 --> |"
    assert new[26:28] == ["Dead units output {{0}} and", "never {{recover}}. <!-- id: dead-units-output-0-and-never-recover -->"]
    assert new[29] == "- Leaky ReLU's default α is {{0.01}}. <!-- id: leaky-relu-s-default-is-0-01 -->"
    assert new[30] == "- plain item"
    assert new[32] == "**Q: Already has one?** <!-- id: kept -->"
    assert new[35] == "Q: What is the dying ReLU problem? <!-- id: what-is-the-dying-relu-problem-2 -->"
    before, after = parse_deck(DECK, "s.md"), parse_deck(result.text, "s.md")
    assert [(c.kind, c.front, c.back) for c in before.cards] == [(c.kind, c.front, c.back) for c in after.cards]
    assert all(c.explicit_id for c in after.cards)
    assert not any("duplicate" in p.message or "same qa front" in p.message for p in after.problems)
    # every old key maps to the new one of the same card
    assert result.renames == {old.key: new.key for old, new in zip(before.cards, after.cards) if old.key != new.key}
    assert result.renames["s:qa:what is the dying relu problem"] == "s:what-is-the-dying-relu-problem"
    assert result.renames["s:qa:what is the dying relu problem:2"] == "s:what-is-the-dying-relu-problem-2"
    assert result.renames["s:glossary_reverse:relu"] == "s:relu:reverse"
    assert result.renames["s:comparison:sigmoid — range"] == "s:sigmoid:range"
    assert result.renames["s:cloze:dead units output 0 and never [...]"] == "s:dead-units-output-0-and-never-recover:2"
    assert "s:kept" not in result.renames


def test_only_the_stamped_lines_change_and_a_second_run_changes_nothing():
    result = stamped()
    old, new = split_lines(DECK), split_lines(result.text)
    assert len(old) == len(new)
    changed = [i + 1 for i, (a, b) in enumerate(zip(old, new)) if a != b]
    assert changed == sorted({s.line for s in result.stamps})
    again = stamp_text(result.text, "s.md")
    assert again.stamps == [] and again.text == result.text and not again.error


def test_crlf_cr_trailing_spaces_and_bom_stay_byte_for_byte(tmp_path):
    text = "\ufeff" + DECK.replace("\n", "\r\n").replace("A: He.", "A: He.  ") + "trailing   "
    text = text.replace("# Every construct\r\n", "# Every construct\r")  # one lone CR line end
    path = tmp_path / "crlf.md"
    path.write_bytes(text.encode("utf-8"))
    result = stamp_file(path, write=True)
    assert result.changed and not result.error
    data = path.read_bytes().decode("utf-8")
    assert data.startswith("\ufeff+++\r\n")
    assert data.count("\r\n") == text.count("\r\n") and "# Every construct\r\r\n**Q" in data
    assert data.endswith("trailing   ")
    lines_old = split_lines(text)
    lines_new = split_lines(data)
    for (a, a_end), (b, b_end) in zip(lines_old, lines_new):
        assert a_end == b_end
        assert a == b or (b.startswith(a.rstrip()[:5]) and "<!-- id:" in b)
    assert stamp_file(path, write=True).stamps == []
    assert path.read_bytes().decode("utf-8") == data
    assert all(c.explicit_id for c in load_deck(path).cards)


def test_a_deck_that_does_not_load_is_left_alone(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("+++\ndeck = [\n+++\nQ: x\nA: y\n")
    result = stamp_file(path, write=True)
    assert result.error.startswith("not stamped: the deck does not load")
    assert path.read_text() == "+++\ndeck = [\n+++\nQ: x\nA: y\n"


def test_ids_command_dry_run_writes_nothing_and_write_keeps_progress(tmp_path, capsys):
    deck = tmp_path / "decks" / "s.md"
    deck.parent.mkdir()
    deck.write_text(DECK)
    data = tmp_path / "data"
    clock = FrozenClock(datetime(2026, 3, 1, 12, tzinfo=UTC))
    sched = Scheduler(Config(enable_fuzzing=False))
    cards = load_deck(deck).cards
    with Collection(data / "collection.sqlite3", clock) as col:
        for card in cards[:6]:
            col.apply_review(card.key, Rating.Good,
                             lambda c, k=card.key: sched.review(c or new_card(k, clock()), Rating.Good, clock()))
        states = {c.key: col.state(c.key) for c in cards[:6]}

    assert main(["ids", str(deck.parent), "--data-dir", str(data)], clock=clock) == 0
    out = capsys.readouterr().out
    assert "would add 10 ids in 1 file (nothing written: use --write)" in out
    assert f"{deck}:7: would add <!-- id: what-is-the-dying-relu-problem -->" in out
    assert deck.read_text() == DECK

    assert main(["ids", "--write", str(deck), "--data-dir", str(data)], clock=clock) == 0
    out = capsys.readouterr().out
    assert "added 10 ids in 1 file; history carried over for 6 cards" in out
    new_cards = load_deck(deck).cards
    with Collection(data / "collection.sqlite3", clock) as col:
        for old, new in zip(cards[:6], new_cards[:6]):
            assert new.explicit_id is not None
            assert col.state(new.key).card.to_dict() == states[old.key].card.to_dict()
            assert col.state(old.key) is None
            assert [e.kind for e in col.history(new.key)] == ["review", "rename"]
        assert col.known_keys() == {c.key for c in new_cards[:6]}

    assert main(["ids", "--write", str(deck), "--data-dir", str(data)], clock=clock) == 0
    assert "added 0 ids in 0 files" in capsys.readouterr().out
    assert main(["ids", "--write", str(tmp_path / "nope.md"), "--data-dir", str(data)], clock=clock) == 1


def test_ids_without_a_collection_still_stamps(tmp_path, capsys):
    deck = tmp_path / "s.md"
    deck.write_text(DECK)
    assert main(["ids", "--write", str(deck), "--data-dir", str(tmp_path / "none")]) == 0
    assert "no collection found" in capsys.readouterr().out
    assert not (tmp_path / "none").exists()  # stamping never creates a collection
