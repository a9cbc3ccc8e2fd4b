"""A compact dropdown (Gradient Lab's family, activation and difficulty; Training's preset) shows
when it has focus: Tab onto it changes its colour (issue 21: the focus was invisible)."""

from __future__ import annotations

from textual.widgets import Select


def shade(select: Select):
    current = select.query_one("SelectCurrent")
    return current.styles.background, current.rich_style.bold


async def test_tabbing_onto_a_lab_dropdown_shows_the_focus(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        family = app.screen.query_one("#lab-family", Select)
        unfocused = shade(family)
        while app.screen.focused is not family:
            await pilot.press("shift+tab")
        await pilot.pause()
        focused = shade(family)
        assert focused != unfocused and focused[0].a > 0.3 and focused[1]
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.focused is not family and shade(family) == unfocused
