"""Siblings in the review screen (issue 21, item 2): a glossary card's reverse is not shown after
it — not after answering it (buried for the day) nor after burying it (not back to back)."""

from __future__ import annotations

from textual.widgets import DataTable

from quizapp.ui.screens.review import ReviewScreen

SIZE = (100, 32)

GLOSSARY = """+++
deck = "terms"
title = "Terms"
+++

| Term | Definition |
|------|------------|
| Saturation | the activation's flat region, where its gradient is near 0 |
| Dead unit | a ReLU unit that outputs 0 for every input |
| Leak | the small slope of Leaky ReLU for z < 0 |
"""


async def test_reverse_never_follows_and_waits_for_tomorrow(make_app, tmp_path):
    deck = tmp_path / "terms.md"
    deck.write_text(GLOSSARY, encoding="utf-8")
    app = make_app(paths=(deck,))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert str(app.screen.query_one(DataTable).get_row_at(0)[1]) == "3"  # three rows, six cards
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        first = screen.card
        assert first.front == "Saturation"
        await pilot.press("minus")  # bury "Saturation": its reverse must not come next
        await pilot.pause()
        assert screen.card.front != "the activation's flat region, where its gradient is near 0"
        seen = []
        while isinstance(app.screen, ReviewScreen):
            seen.append(app.screen.card)
            await pilot.press("space", "3")
            await pilot.pause()
        fronts = [c.front for c in seen]
        # only the terms (one card per row a day); each comes back once for its 10-minute step
        assert set(fronts) == {"Dead unit", "Leak"} and len(fronts) == 4
        assert all(a != b for a, b in zip(fronts, fronts[1:]))
        reverses = [c for c in app.study.cards() if c.kind == "glossary_reverse"]
        assert all(app.collection.state(c.key) is None for c in reverses)  # FSRS state untouched
