"""The notes viewer (issue 21): a heading whose content all became cards stays, with a line saying
what became cards; a Mermaid flowchart is shown as text, not as its source."""

from __future__ import annotations

from textual.widgets import Markdown

DECK = """+++
deck = "outline"
title = "Outline"
+++

# Outline

Intro prose.

## Questions

**Q: What is a dead neuron?**
A: One that outputs 0 for every input.

**Q: Which activation leaks?**
- [ ] ReLU
- [x] Leaky ReLU

## Diagram

```mermaid
flowchart TD
    A[ReLU] -->|z ≤ 0| B[gradient 0]
```
"""


async def test_notes_keep_headings_of_cards_and_show_mermaid_as_text(make_app, tmp_path):
    deck = tmp_path / "outline.md"
    deck.write_text(DECK, encoding="utf-8")
    app = make_app(paths=(deck,))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        markdown = app.screen.query_one(Markdown)
        source = markdown.source
        assert "## Questions\n\n*2 cards here: 1 Q&A, 1 multiple choice.*" in source
        assert "flowchart TD" not in source and "ReLU\n└─ z ≤ 0 ▶ gradient 0" in source


async def test_notes_scroll_with_the_keyboard(make_app):
    from pathlib import Path

    app = make_app(paths=(Path(__file__).parents[2] / "content" / "relu-vs-leaky-relu.md",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        viewer = app.screen.query_one("#notes")
        assert viewer.max_scroll_y > 0 and viewer.scroll_offset.y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert viewer.scroll_offset.y > 0
