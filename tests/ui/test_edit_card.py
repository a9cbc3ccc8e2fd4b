"""`e` opens the deck in $EDITOR at the card's line; after the editor exits the deck is re-read."""

from __future__ import annotations

import contextlib
import shutil
import sys

from quizapp.ui.app import editor_command
from quizapp.ui.widgets.card_text import CardText

EDITOR_SCRIPT = """
import sys, pathlib
line, path = sys.argv[1], pathlib.Path(sys.argv[2])
pathlib.Path(sys.argv[0]).with_suffix(".log").write_text(line + " " + str(path))
path.write_text(path.read_text().replace("A neuron that outputs 0", "A unit that outputs 0"))
"""


def test_editor_command_puts_the_cursor_on_the_line():
    assert editor_command("nano", "/d/x.md", 12) == ["nano", "+12", "/d/x.md"]
    assert editor_command("vim -p", "/d/x.md", 3) == ["vim", "-p", "+3", "/d/x.md"]
    assert editor_command("code --wait", "/d/x.md", 7) == ["code", "--wait", "--goto", "/d/x.md:7"]


async def test_edit_opens_the_editor_at_the_card_and_reloads(make_app, ui_decks, tmp_path, monkeypatch):
    deck = tmp_path / "basics.md"
    shutil.copy(ui_decks / "basics.md", deck)
    script = tmp_path / "editor.py"
    script.write_text(EDITOR_SCRIPT)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(paths=(deck,), start_in_review=True, review_deck="basics")
    app.suspend = contextlib.nullcontext  # the headless test driver cannot hand over the terminal
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        while app.screen.card.explicit_id != "dead":
            await pilot.press("space", "4")
        line = app.screen.card.line
        await pilot.press("space", "e")
        await pilot.pause()
        assert (tmp_path / "editor.log").read_text() == f"+{line} {deck}"
        await app.workers.wait_for_complete()  # the deck is re-read in a thread
        await pilot.pause()
        assert app.screen.query_one("#back", CardText).source.startswith("A unit that outputs 0")
