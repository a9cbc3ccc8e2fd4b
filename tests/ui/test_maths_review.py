"""A card with LaTeX shows readable Unicode on the review screen; prices stay prices."""

from __future__ import annotations

from quizapp.ui.screens.review import ReviewScreen
from quizapp.ui.widgets.card_text import CardText

SIZE = (100, 32)


def shown(app, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id, CardText).render())


async def test_review_screen_shows_maths_as_unicode(make_app, ui_decks):
    app = make_app(paths=(ui_decks / "maths.md",), start_in_review=True, review_deck="maths")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert shown(app, "#front") == "What does BatchNorm compute as x̂ᵢ?"
        await pilot.press("space")
        await pilot.pause()
        back = shown(app, "#back").split("\n")
        assert back[0] == "The normalised input, priced at $5 and $10 in $code$:"  # money and code untouched
        assert back[2:] == [
            "       xᵢ − μ_B",
            "x̂ᵢ = ─────────────",
            "      √(σ_B² + ε)",
        ]
        await pilot.press("3")
        await pilot.pause()
        assert shown(app, "#front") == "Attention in one line?"
        await pilot.press("space")
        await pilot.pause()
        assert shown(app, "#back") == "softmax(QKᵀ/√dₖ)V"
