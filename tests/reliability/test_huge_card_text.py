"""A card with a huge question line (scaled down from the 5 MB that cost ~8 s per grade): its text is
rendered once, however often the card is shown, and what is laid out on screen is bounded."""

from __future__ import annotations

import pytest
from rich.text import Text

from quizapp.ui.screens.review import ReviewScreen
from quizapp.ui.widgets import card_text
from quizapp.ui.widgets.card_text import MAX_SHOWN, CardText

SIZE = (100, 32)
HUGE = "a *huge* line " * 80_000  # 1.1 MB on one line


@pytest.fixture
def renders(monkeypatch):
    """Every call of the Markdown renderer, by source."""
    calls: list[str] = []
    render = card_text.inline_markdown

    def counting(source: str, base_style: str = "") -> Text:
        calls.append(source)
        return render(source, base_style)

    card_text.card_markdown.cache_clear()
    monkeypatch.setattr(card_text, "inline_markdown", counting)
    yield calls
    card_text.card_markdown.cache_clear()


async def test_each_card_text_is_rendered_once_and_the_huge_one_is_cut(make_app, tmp_path, renders):
    deck = tmp_path / "huge.md"
    small = [f"Q: small question {i}?\nA: answer {i}" for i in range(4)]
    deck.write_text('+++\ndeck = "huge"\n+++\n\n' + "\n\n".join([small[0], f"Q: {HUGE}\nA: big", *small[1:]]) + "\n")
    app = make_app(paths=(deck,), start_in_review=True, review_deck="huge")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        shown_fronts = []
        for _ in range(20):  # each card; the huge one again and again (learning steps bring it back)
            if not isinstance(app.screen, ReviewScreen):
                break
            card = screen.card
            shown_fronts.append(card.front)
            front = screen.query_one("#front", CardText)
            if card.front == HUGE.strip():
                shown = str(front.content)
                assert len(shown) < MAX_SHOWN + 200 and "more characters not shown" in shown
            await pilot.press("space")
            await pilot.pause()
            screen.refresh_card()  # as after a reload of an unrelated deck
            again = card.front == HUGE.strip() and shown_fronts.count(card.front) == 1
            await pilot.press("1" if again else "4")
            await pilot.pause()
        huge = HUGE.strip()
        assert not isinstance(app.screen, ReviewScreen)  # the session was finished
        assert shown_fronts.count(huge) >= 2  # the huge card was shown more than once ...
        assert renders.count(huge) == 1  # ... and rendered once
        for front in set(shown_fronts):
            assert renders.count(front) == 1, front
        assert len(set(shown_fronts)) == 5
