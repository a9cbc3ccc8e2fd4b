"""A shared deck must not drive the user's terminal: escape sequences, OSC 52 clipboard writes, BEL
and C1 controls in any deck text reach the screen only as harmless visible characters (␛, ␇, �).

The deck below puts such text in the title, the notes, a section heading, a question's front and
back, a glossary table and a multiple-choice option; the test walks it through the app — home,
review (front, reveal), the notes screen, the card browser — and checks both what would be sent to
the terminal (every segment of the composed screen) and the exported screenshot."""

from __future__ import annotations

import re

from textual.widgets import DataTable

from quizapp.core.content.loader import load_deck
from quizapp.ui.screens.browser import BrowserScreen
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.notes import NotesScreen
from quizapp.ui.screens.review import ReviewScreen
from quizapp.ui.screens.summary import SummaryScreen

SIZE = (110, 40)
ESC, BEL = "\x1b", "\x07"
RED = f"{ESC}[31m"
OSC52 = f"{ESC}]52;c;ZXZpbA=={BEL}"  # "set the clipboard to 'evil'"
OSC8 = f"{ESC}]8;;https://evil.example{ESC}\\link{ESC}]8;;{ESC}\\"
TITLE_SET = f"{ESC}]0;pwned{BEL}"
C1 = "\x9b31m\x85\x90"  # 8-bit CSI, NEL, DCS
HOSTILE = f"{RED}red {OSC52} {OSC8} {TITLE_SET} bell{BEL} {C1} clear{ESC}[2J"

DECK = f"""+++
deck = "hostile"
title = "Hostile \\u001b[31mdeck\\u0007 \\u009b"
+++
# Hostile

Notes: {HOSTILE}

- a list item {RED}in the notes{BEL}
- entities: &#27;[31m &#x9b; &#7;

## Section {RED}heading{BEL}

**Q: Front {HOSTILE}?** <!-- id: q1 -->
A: Back {HOSTILE}.

| Term | Definition |
|------|------------|
| term {RED}x{BEL} | definition {OSC52} {C1} |

**Q: Pick {BEL}one** <!-- id: mcq -->
- [x] right {RED}choice{BEL}
- [ ] wrong {OSC52}
"""

# Every control character a terminal acts on (newline excepted): C0 (but \\n), DEL, C1.
RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def screen_text(app) -> str:
    """Every character the composed screen would send to the terminal."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_harmless(app, where: str) -> str:
    text = screen_text(app)
    bad = [line for line in text.split("\n") if RAW.search(line)]
    assert not bad, f"{where}: raw control characters on screen: {bad[:5]!r}"
    svg = app.export_screenshot()
    bad = RAW.findall(svg.replace("\n", ""))
    assert not bad, f"{where}: raw control characters in the screenshot: {bad[:10]!r}"
    return text


def test_the_hostile_deck_parses_with_its_controls_intact(tmp_path):
    path = tmp_path / "hostile.md"
    path.write_text(DECK, encoding="utf-8")
    deck = load_deck(path)
    assert not deck.failed, deck.problems
    texts = [deck.title, deck.notes] + [c.front + c.back for c in deck.cards]
    assert any(ESC in t for t in texts)  # the controls are in the data: the UI must neutralise them


async def test_hostile_deck_text_is_shown_harmlessly_everywhere(make_app, tmp_path):
    path = tmp_path / "hostile.md"
    path.write_text(DECK, encoding="utf-8")
    app = make_app(paths=(path,))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        text = assert_harmless(app, "home")
        assert "␛" in text  # shown, visibly, rather than dropped

        app.start_review("hostile")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        seen = set()
        for _ in range(12):  # every card: front, then revealed back
            if not isinstance(app.screen, ReviewScreen):
                break
            seen.add(app.screen.card.key)
            assert_harmless(app, f"front of {app.screen.card.key}")
            if app.screen.card.choices:
                await pilot.press("1")
            else:
                await pilot.press("space")
            await pilot.pause()
            assert_harmless(app, f"back of {app.screen.card.key}")
            await pilot.press("4")
            await pilot.pause()
        assert "hostile:q1" in seen
        assert isinstance(app.screen, SummaryScreen)
        assert_harmless(app, "session summary")

        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"Hostile")
        await pilot.pause(0.3)
        assert "Notes: Hostile ␛" in assert_harmless(app, "command palette")
        await pilot.press("escape")
        await pilot.pause()

        app.show_notes("hostile")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        text = assert_harmless(app, "notes")
        assert "␛" in text and "red" in text
        await pilot.press("escape")
        await pilot.pause()

        app.action_browse()
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        table = app.screen.query_one(DataTable)
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            assert_harmless(app, f"browser row {row}")
