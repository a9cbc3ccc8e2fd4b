"""A checked drill in a review at 100×32 keeps its plot's bottom axis and labels on screen (issue 21:
the card's box ended above them): the plot is shortened by what does not fit."""

from __future__ import annotations

from pathlib import Path

import pytest

DECK = Path(__file__).parent / "decks_drill" / "sigmoid.md"  # a drill with a long list of accepted forms


@pytest.mark.parametrize("size", [(100, 32), (120, 40)])
async def test_the_plots_bottom_axis_stays_inside_the_card(make_app, size):
    app = make_app(paths=(DECK,), start_in_review=True, review_deck="sigmoid")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("z", "enter")
        await pilot.pause(0.4)  # the grade bar docks below the card, then the plot is fitted
        await pilot.pause()
        panel = app.screen.query_one("DrillPanel")
        plot = panel.query_one("#drill-plot")
        box = panel.parent
        assert plot.display
        assert plot.region.bottom <= box.scrollable_content_region.bottom, (plot.region, box.scrollable_content_region)
        if size == (120, 40):  # room enough: the plot keeps its full height
            assert plot.outer_size.height == 9
