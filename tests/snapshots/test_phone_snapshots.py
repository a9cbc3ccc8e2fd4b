"""SVG snapshots at a phone's size (40×20 cells, what `quizapp serve` gives a phone in portrait):
every count of Home in view, the card and all four grade buttons of Review on screen."""

from __future__ import annotations

from textual.widgets import Button, DataTable

PHONE = (40, 20)


def test_home_phone(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=PHONE)


def test_review_front_phone(snap_compare, make_app):
    app = make_app(start_in_review=True, review_deck="basics")
    assert snap_compare(app, terminal_size=PHONE)


def test_review_back_phone(snap_compare, make_app):
    app = make_app(start_in_review=True, review_deck="basics")
    assert snap_compare(app, terminal_size=PHONE, press=["space"])


def test_summary_phone(snap_compare, make_app):
    app = make_app(start_in_review=True, review_deck="basics")
    keys = ["space", "4", "space", "4", "2", "4"]  # glossary, Q&A, multiple choice (the reverse is a sibling)
    assert snap_compare(app, terminal_size=PHONE, press=keys)


async def test_phone_layout_keeps_counts_and_grades_on_screen(make_app):
    """What the snapshots show, as facts: Home's Due column and all four grade buttons lie inside
    the 40 cells, and widening the window past 60 brings the full table (with Cards) back."""
    app = make_app(start_in_review=False)
    async with app.run_test(size=PHONE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [c.key.value for c in table.columns.values()] == ["deck", "new", "learning", "due"]
        assert table.virtual_size.width <= table.scrollable_content_region.width
        await pilot.resize_terminal(100, 32)
        await pilot.pause()
        assert [c.key.value for c in app.screen.query_one(DataTable).columns.values()][-1] == "cards"
        await pilot.resize_terminal(*PHONE)
        await pilot.press("enter", "space")
        await pilot.pause()
        for button in app.screen.query(Button).results():
            if (button.id or "").startswith("grade-"):
                region = button.region
                assert region.width >= 10 and region.right <= PHONE[0] and region.bottom <= PHONE[1] - 1, button.id
