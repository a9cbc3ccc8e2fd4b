"""The "Maths" example of docs/content-format.md shows what the review screen really shows."""

from __future__ import annotations

import re
from pathlib import Path

from quizapp.core.content.parser import parse_deck
from quizapp.core.text.maths_markdown import render_maths_markdown

DOC = Path(__file__).parents[3] / "docs" / "content-format.md"


def test_the_documented_maths_example_renders_as_documented():
    section = DOC.read_text(encoding="utf-8").split("## Maths", 1)[1]
    deck_md, shown = re.findall(r"```(?:markdown|text)\n(.*?)```", section, flags=re.DOTALL)[:2]
    card = parse_deck(deck_md, "doc.md").cards[0]
    assert card.explicit_id == "batchnorm-xhat"
    rendered = render_maths_markdown(card.back).replace("\\", "")  # the screen drops Markdown escapes
    assert rendered == shown.rstrip("\n")
