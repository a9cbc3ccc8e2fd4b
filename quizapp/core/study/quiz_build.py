"""Building a quiz from decks: which cards can be asked how, and multiple-choice distractors (see
:mod:`quizapp.core.study.quiz`)."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from quizapp.core.clock import Clock, utcnow
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.study.quiz_items import CHOICE_OPTIONS, TYPED_MAX_WORDS, QuizItem, QuizKind
from quizapp.core.study.quiz_run import Quiz
from quizapp.core.text.compare import answer_alternatives, normalize_text

if TYPE_CHECKING:
    from quizapp.core.srs.store import Collection


# ---------------------------------------------------------------------------------------------
# Building a quiz
# ---------------------------------------------------------------------------------------------

_STOP = frozenset("a an and are as at be by for from in is it its of on or than that the this to "
                  "with when which what".split())
_GLOSSARY = (CardKind.GLOSSARY, CardKind.GLOSSARY_REVERSE)
_GENERATED_CHOICE = (*_GLOSSARY, CardKind.COMPARISON, CardKind.QA)


@lru_cache(maxsize=16384)
def _norm(text: str) -> str:
    return normalize_text(text)


@lru_cache(maxsize=16384)
def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _norm(text).split() if w not in _STOP)


def _column(card: Card) -> str:
    """The column name of a comparison cell ("Sigmoid — Formula?" → "formula")."""
    _head, sep, tail = card.front.rpartition(" — ")
    return _norm(tail.rstrip("?")) if sep else ""


def _typeable(card: Card) -> bool:
    return card.typed or ("\n" not in card.back.strip()
                          and len(_norm(card.back).split()) <= TYPED_MAX_WORDS)


def _same_answer(a: str, b: str) -> bool:
    """Would compare_text accept either as the other? Its alternatives ("x / y", an optional
    " (remark)", a **key phrase**) in normal form, without its slow similarity scoring."""
    return _norm(b) in _alternatives(a) or _norm(a) in _alternatives(b)


@lru_cache(maxsize=16384)
def _alternatives(text: str) -> frozenset[str]:
    return frozenset(n for n in map(_norm, answer_alternatives(text)) if n)


@lru_cache(maxsize=16384)
def _shape(text: str) -> str:
    """"number" (only numbers and symbols), "yesno" or "text": options should look alike."""
    tokens = _norm(text).split()
    if tokens and all(not t[:1].isalpha() or t in _GREEK_WORDS for t in tokens):
        return "number"
    return "yesno" if tokens and tokens[0] in ("yes", "no") else "text"


_GREEK_WORDS = frozenset({"alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "lambda", "mu",
                          "pi", "sigma", "tau", "phi", "omega", "e", "ln", "log", "exp", "sqrt"})


def _closeness(answer: str, answer_words: frozenset[str], other: str) -> float:
    """Lower is closer: length ratio on a log scale, minus the share of words in common, plus a
    penalty when one is a number and the other words."""
    la, lo = max(len(_norm(answer)), 1), max(len(_norm(other)), 1)
    words = _words(other)
    union = answer_words | words
    shared = len(answer_words & words) / len(union) if union else 0.0
    return abs(math.log(la / lo)) - 1.5 * shared + (_shape(answer) != _shape(other))


def choice_options(card: Card, deck_cards: Sequence[Card], rng: random.Random,
                   n: int = CHOICE_OPTIONS - 1) -> list[str]:
    """Up to ``n`` distractors for ``card``: other answers of the same kind in the same section of
    its deck — never an unrelated card's (a wrong option from another topic gives itself away).

    Candidates are ranked by tier (a comparison cell's own column first), then by closeness in
    length and wording, with a little seeded jitter so two quizzes differ. An empty list means
    the card cannot be asked as multiple choice."""
    answer = card.back
    right = _norm(answer)
    answer_words = _words(answer)
    column = _column(card) if card.kind is CardKind.COMPARISON else ""
    ranked: list[tuple[int, float, str]] = []
    for other in deck_cards:
        if other.key == card.key or other.kind is not card.kind or other.section != card.section:
            continue
        if card.kind is CardKind.COMPARISON:
            tier = 0 if _column(other) == column else 2
        elif card.kind is CardKind.QA and _typeable(other):
            continue  # a one-word answer next to three sentences gives itself away
        else:
            tier = 0
        ranked.append((tier, _closeness(answer, answer_words, other.back) + rng.random() * 0.3, other.back))
    ranked.sort(key=lambda r: (r[0], r[1]))
    chosen: list[str] = []
    seen = {right}
    best_tier = None
    for tier, _score, text in ranked:
        norm = _norm(text)
        if not norm or norm in seen or _same_answer(text, answer):
            continue
        if card.kind is CardKind.COMPARISON:
            best_tier = tier if best_tier is None else best_tier
            if tier >= 2 and best_tier < 2:
                break  # another column's value would be an obvious giveaway: fewer options instead
        seen.add(norm)
        chosen.append(text)
        if len(chosen) == n:
            break
    minimum = 1 if card.kind is CardKind.COMPARISON else 2
    return chosen if len(chosen) >= minimum else []


def _plan_kind(card: Card) -> QuizKind | None:
    """The quiz kind a card is asked as (before checking it has enough distractors)."""
    if card.kind is CardKind.MCQ:
        return QuizKind.CHOICE if len(card.choices) >= 2 and card.correct_choices else None
    if card.kind in (*_GLOSSARY, CardKind.COMPARISON):
        return QuizKind.CHOICE
    if card.kind is CardKind.QA:
        return QuizKind.TYPED if _typeable(card) else QuizKind.CHOICE
    return {CardKind.CLOZE: QuizKind.CLOZE, CardKind.DRILL: QuizKind.DRILL,
            CardKind.GRADIENT: QuizKind.GRADIENT}.get(card.kind)


def _fact(card: Card) -> tuple:
    """Cards asking the same fact (a glossary row's two directions) share this."""
    if card.kind in _GLOSSARY:
        return ("glossary", card.deck, frozenset((_norm(card.front), _norm(card.back))))
    return ("card", card.key)


def _candidates(decks: Iterable[Deck], kinds: set[QuizKind]) -> dict[QuizKind, list[tuple[Card, list[Card]]]]:
    out: dict[QuizKind, list[tuple[Card, list[Card]]]] = {k: [] for k in QuizKind if k in kinds}
    seen: set[str] = set()
    for deck in decks:
        if deck.failed:
            continue
        for card in deck.cards:
            kind = _plan_kind(card)
            if kind in out and card.key not in seen:
                seen.add(card.key)
                out[kind].append((card, deck.cards))
    return out


def available_counts(decks: Iterable[Deck], kinds: Iterable[QuizKind | str] = tuple(QuizKind)) -> dict[QuizKind, int]:
    """How many cards can be asked per kind (a glossary row counts once per direction; drill and
    gradient cards whose TOML turns out broken are counted)."""
    out = {}
    rng = random.Random(0)  # whether a card has enough distractors does not depend on the draw
    for kind, pool in _candidates(decks, {QuizKind(k) for k in kinds}).items():
        if kind is QuizKind.CHOICE:
            pool = [c for c, cards in pool if c.kind is CardKind.MCQ or choice_options(c, cards, rng)]
        out[kind] = len(pool)
    return out


def _make_item(card: Card, deck_cards: list[Card], kind: QuizKind, rng: random.Random) -> QuizItem | None:
    if kind is QuizKind.CHOICE:
        if card.kind is CardKind.MCQ:
            right = [card.choices[i].text for i in card.correct_choices]
            ask = "pick every right option" if len(right) > 1 else ""
            return QuizItem(card, kind, card.front, " / ".join(right), ask,
                            tuple(c.text for c in card.choices), frozenset(card.correct_choices))
        distractors = choice_options(card, deck_cards, rng)
        if not distractors:
            return None
        options = [card.back, *distractors]
        rng.shuffle(options)
        prompt, ask = card.front, ""
        if card.kind is CardKind.GLOSSARY:
            ask = "pick the definition"
        elif card.kind is CardKind.GLOSSARY_REVERSE:
            ask = "which term is this?"
        return QuizItem(card, kind, prompt, card.back, ask, tuple(options), frozenset({options.index(card.back)}))
    if kind is QuizKind.TYPED:
        return QuizItem(card, kind, card.front, card.back)
    if kind is QuizKind.CLOZE:
        return QuizItem(card, kind, card.front, card.back)
    if kind is QuizKind.DRILL:
        from quizapp.core.formula.drills import parse_drill_toml

        drill, _problems = parse_drill_toml(card.spec, validate=False)
        if drill is None:
            return None
        return QuizItem(card, kind, drill.prompt, drill.answer, drill=drill)
    if kind is QuizKind.GRADIENT:
        import tomllib

        from quizapp.core.generators import generate
        from quizapp.core.generators.format import arr

        try:
            spec = tomllib.loads(card.spec)
            question = generate(spec["family"], seed=rng.randrange(2**31),
                                difficulty=spec.get("difficulty", "easy"),
                                activation=spec.get("activation"), params=spec.get("params"))
        except (KeyError, ValueError, TypeError, tomllib.TOMLDecodeError):
            return None
        names = tuple(question.answer)
        expected = "; ".join(f"{n} = {arr(question.answer[n])}" for n in names)
        return QuizItem(card, kind, question.prompt, expected, answers=names, question=question)
    return None


def build_quiz(decks: Iterable[Deck], kinds: Iterable[QuizKind | str], count: int, *,
               seed: int | None = None, time_limit: float | None = None,
               collection: Collection | None = None, clock: Clock = utcnow, now: float = 0.0) -> Quiz:
    """A quiz of up to ``count`` items from ``decks`` of the chosen ``kinds``.

    Kinds take turns (so each chosen kind is asked when it has cards), cards are drawn at random
    without repeating a fact (a glossary row is asked in one direction only), then the items are
    shuffled. ``seed`` None draws one (kept in ``quiz.seed``). ``time_limit`` is in seconds."""
    if count < 1:
        raise ValueError(f"count must be ≥ 1, got {count}")
    decks = [d for d in decks if not d.failed]
    wanted = [QuizKind(k) for k in dict.fromkeys(kinds)]
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    pools = _candidates(decks, set(wanted))
    for pool in pools.values():
        rng.shuffle(pool)
    items: list[QuizItem] = []
    facts: set[tuple] = set()
    turn = [k for k in wanted if pools.get(k)]
    while len(items) < count and turn:
        for kind in list(turn):
            if len(items) >= count:
                break
            pool = pools[kind]
            while pool:
                card, deck_cards = pool.pop()
                if _fact(card) in facts:
                    continue
                item = _make_item(card, deck_cards, kind, rng)
                if item is not None:
                    facts.add(_fact(card))
                    items.append(item)
                    break
            if not pool:
                turn.remove(kind)
    rng.shuffle(items)
    return Quiz(items, time_limit=time_limit, decks=[d.id for d in decks], kinds=wanted, seed=seed,
                collection=collection, clock=clock, now=now)

