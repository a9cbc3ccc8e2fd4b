"""What the review screen shows per card kind: labels, and the panels that ask drill and skill cards."""

from __future__ import annotations

from quizapp.core.content.model import Card, CardKind

KIND_LABELS = {
    CardKind.GLOSSARY: "Define the term",
    CardKind.GLOSSARY_REVERSE: "Which term is this?",
    CardKind.COMPARISON: "Compare",
    CardKind.QA: "Question",
    CardKind.MCQ: "Multiple choice",
    CardKind.CLOZE: "Fill in the blank",
    CardKind.DRILL: "Formula drill",
    CardKind.GRADIENT: "Compute the gradient",
}
SPECIAL = (CardKind.DRILL, CardKind.GRADIENT)  # answered in an embedded panel, checked by the engine
# "Right and quick" earns Easy: seconds allowed per skill-card difficulty, and for a drill.
QUICK_SECONDS = {"easy": 45.0, "medium": 120.0, "hard": 240.0, "drill": 20.0}


def make_special_panel(card: Card, seed: int | None):
    """The panel that asks a drill or skill card, or a message saying why its spec is unusable.

    The panels import NumPy, so this runs only when such a card is shown, never at start-up.
    """
    import random
    import tomllib

    if card.kind is CardKind.DRILL:
        from quizapp.core.formula.drills import parse_drill_toml
        from quizapp.ui.widgets.drill_panel import DrillPanel

        drill, problems = parse_drill_toml(card.spec, validate=False)
        if drill is None:
            return f"{card.file}:{card.line}: " + "; ".join(p.message for p in problems)
        return DrillPanel(drill)
    from quizapp.core.generators import generate
    from quizapp.ui.widgets.gradient_question import GradientQuestionPanel

    try:
        data = tomllib.loads(card.spec)
        question = generate(data["family"], seed=random.randrange(2**31) if seed is None else seed,
                            difficulty=data.get("difficulty", "easy"), activation=data.get("activation"),
                            params=data.get("params"))
    except (ValueError, TypeError, KeyError, tomllib.TOMLDecodeError) as error:
        return f"{card.file}:{card.line}: {error}"
    return GradientQuestionPanel(question)


# ---- what the review screen says -----------------------------------------------------------------

FRONT_IN_MESSAGE = 40  # characters of a card's front quoted in a notification (then "…")


def quoted_front(front: str, limit: int = FRONT_IN_MESSAGE) -> str:
    """A card's front on one line for a notification: whitespace runs made single spaces, control
    characters visible, cut at ``limit`` characters with an ellipsis (never silently)."""
    from quizapp.core.text.safe import visible_controls

    text = " ".join(visible_controls(front).split())
    return f"“{text if len(text) <= limit else text[:limit - 1].rstrip() + '…'}”"


def progress_text(title: str, done: int, left: int, cards: int) -> str:
    """The counter above a card: grades given, showings left (re-shows included) and, when those
    differ, how many cards they are."""
    text = f"{title}   ·   {done} done   ·   {left} left"
    if cards != left:
        text += f" ({cards} card{'s' if cards != 1 else ''})"
    return text


def undone_message(kind: str, rating, front: str) -> str:
    """What an undo cancelled, for the notification: the grade, the bury or the suspension."""
    what = {"review": f"your {getattr(rating, 'name', 'grade')}", "cram": f"your {getattr(rating, 'name', 'grade')}",
            "bury": "burying",
            "suspend": "suspending"}.get(kind, kind)
    return f"Undone: {what} {quoted_front(front)} — the card is back."
