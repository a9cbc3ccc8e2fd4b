"""SVG snapshots of every screen, fed with fixture decks, a frozen clock and a fixed theme."""

from __future__ import annotations

SIZE = (100, 32)


def test_home(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_home_small_terminal(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_review_front(snap_compare, make_app):
    app = make_app(start_in_review=True, review_deck="basics")
    assert snap_compare(app, terminal_size=SIZE)


def test_review_back(snap_compare, make_app):
    app = make_app(start_in_review=True, review_deck="basics")
    assert snap_compare(app, terminal_size=SIZE, press=["space"])


def test_review_multiple_choice_answered(snap_compare, make_app):
    app = make_app(start_in_review=True, review_deck="basics")
    # glossary, Q&A (the reverse glossary card is a sibling: tomorrow), then the multiple-choice
    # card: answer it wrongly with 1
    assert snap_compare(app, terminal_size=SIZE, press=["space", "4", "space", "4", "1"])


def test_summary(snap_compare, make_app):
    app = make_app(start_in_review=True, review_deck="basics")
    keys = ["space", "4", "space", "4", "2", "4"]  # glossary, Q&A, multiple choice (2 is right)
    assert snap_compare(app, terminal_size=SIZE, press=keys)


def test_help(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, press=["question_mark"])


def test_notes(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, press=["n"])


def test_review_back_with_sources(snap_compare, make_app, tmp_path):
    deck = tmp_path / "cited.md"
    deck.write_text('+++\ndeck = "cited"\ntitle = "Cited"\n+++\n\n## Defaults\n\n'
                    "**Q: What is PyTorch's default negative slope for LeakyReLU?** <!-- id: slope -->\n"
                    "A: 0.01\n\nNote: Keras's LeakyReLU layer uses 0.3.\n"
                    "Sources: PyTorch docs, torch.nn.LeakyReLU; Keras docs, LeakyReLU layer\n", encoding="utf-8")
    app = make_app(paths=(deck,), start_in_review=True, review_deck="cited")
    assert snap_compare(app, terminal_size=SIZE, press=["space"])


def test_review_front_small_terminal(snap_compare, make_app):
    app = make_app(start_in_review=True, review_deck="basics")
    assert snap_compare(app, terminal_size=(80, 24))


def test_review_typed_card_footer(snap_compare, make_app, ui_decks):
    """An answer box has focus: the footer offers ^z ^g ^l ^o, not u ! - e (issue 21)."""
    app = make_app(paths=(ui_decks / "typed.md",), start_in_review=True, review_deck="typed")
    assert snap_compare(app, terminal_size=SIZE)


def test_review_typed_card_footer_small_terminal(snap_compare, make_app, ui_decks):
    app = make_app(paths=(ui_decks / "typed.md",), start_in_review=True, review_deck="typed")
    assert snap_compare(app, terminal_size=(80, 24))


def _limited_deck(tmp_path):
    deck = tmp_path / "limited.md"
    body = "".join(f"**Q: Limited question {i}?** <!-- id: q{i} -->\nA: answer {i}\n\n" for i in range(6))
    deck.write_text(f'+++\ndeck = "limited"\ntitle = "Limited"\nnew_per_day = 2\n+++\n\n{body}', encoding="utf-8")
    return deck


def test_home_new_card_limit(snap_compare, make_app, tmp_path, ui_decks):
    app = make_app(paths=(_limited_deck(tmp_path), ui_decks / "basics.md"))
    assert snap_compare(app, terminal_size=SIZE)


def test_home_new_card_limit_small_terminal(snap_compare, make_app, tmp_path, ui_decks):
    app = make_app(paths=(_limited_deck(tmp_path), ui_decks / "basics.md"))
    assert snap_compare(app, terminal_size=(80, 24))


def test_summary_new_card_limit(snap_compare, make_app, tmp_path):
    app = make_app(paths=(_limited_deck(tmp_path),), start_in_review=True, review_deck="limited")
    assert snap_compare(app, terminal_size=SIZE, press=["space", "4", "space", "4"])


def test_summary_new_card_limit_small_terminal(snap_compare, make_app, tmp_path):
    app = make_app(paths=(_limited_deck(tmp_path),), start_in_review=True, review_deck="limited")
    assert snap_compare(app, terminal_size=(80, 24), press=["space", "4", "space", "4"])


def test_home_many_decks(snap_compare, make_app):
    """15 decks in 5 groups (tests/ui/decks_many): grouped, every group unfolded at 100×32."""
    from pathlib import Path

    many = Path(__file__).parent.parent / "ui" / "decks_many"
    assert snap_compare(make_app(paths=(many,)), terminal_size=SIZE)


def test_home_many_decks_small_terminal(snap_compare, make_app):
    """At 80×24 the biggest group (Training) starts folded so the whole list fits; the key menu gives way."""
    from pathlib import Path

    many = Path(__file__).parent.parent / "ui" / "decks_many"
    assert snap_compare(make_app(paths=(many,)), terminal_size=(80, 24))


def _outline_app(make_app):
    """A deck with a section that became cards and a Mermaid flowchart (tests/ui/decks_notes)."""
    from pathlib import Path

    return make_app(paths=(Path(__file__).parent.parent / "ui" / "decks_notes" / "outline.md",))


def test_notes_outline_and_diagram(snap_compare, make_app):
    assert snap_compare(_outline_app(make_app), terminal_size=SIZE, press=["n"])


def test_notes_outline_and_diagram_small_terminal(snap_compare, make_app):
    assert snap_compare(_outline_app(make_app), terminal_size=(80, 24), press=["n"])


def test_help_small_terminal(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["question_mark"])


def test_quiz_setup(snap_compare, make_app):
    """The kinds' counts arrive from a thread; the snapshot is taken once they are in."""
    assert snap_compare(make_app(), terminal_size=SIZE, press=["q"])


def test_quiz_setup_small_terminal(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["q"])
