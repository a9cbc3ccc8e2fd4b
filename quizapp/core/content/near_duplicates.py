"""Near-duplicate cards across every loaded deck: ``quizapp check`` warns when two cards ask the same thing.

Each card becomes content terms (card_terms.py): its *question* (the front; a glossary row's term; a
cloze sentence with its blank; a question's series prefix such as "Final tip:" left out) and its
*answer* (the back); both together are its *fact*. A glossary row and its reverse card are one fact.
Two cards are near-duplicates when

* their facts are alike: the TF-IDF cosine of their term sets (set_join.py; rare terms weigh most:
  sharing "relu" in a ReLU library says little, sharing "n_out" a lot) is at least THRESHOLD;
* their answers agree: one answer lies (by weight) at least THRESHOLD inside the other, or each
  inside the other's question (a reversal: "Which init for ReLU? He" / "He init is for …? ReLU").
  Answers of single letters and the digits 0 and 1 ("0", "1 if z > 0 else 0") agree only when written
  alike — or, for a cloze, when the other card states its whole sentence; and
* they ask about the same subject: when *both* questions have a word that the other card never
  mentions ("Tanh — Cons?" / "Sigmoid — Cons?", "ReLU'(z) = …" / "LeakyReLU'(z) = …"), or both a number
  the other lacks (n_in = 256 / n_in = 512), they are different questions about similar things.

The similarity reported is min(fact cosine, answer agreement). Never compared: the cards of one
construct (a glossary row and its reverse, the cells of one table row, the blanks of one sentence),
two cards of one deck with the same front (the parser warns about those already), and gradient skill
cards, which are duplicates only when their TOML says the same (same family and parameters).
A repetition the author means is marked with ``<!-- dup-ok: other-id -->`` (dup_ok.py).

Cost: the candidate pairs come from an index (set_join.py), so the work grows with the cards that
share rare terms, not with all pairs; 10k cards take a few tenths of a second (benchmarks/near_dups.py).
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections import defaultdict

from quizapp.core.content.card_terms import terms
from quizapp.core.content.dup_ok import dup_ok_marks, intended
from quizapp.core.content.gcpause import gc_paused
from quizapp.core.content.identity import normalise
from quizapp.core.content.library import Library
from quizapp.core.content.model import Card, CardKind, Problem, Severity
from quizapp.core.content.set_join import candidate_pairs, weigh

THRESHOLD = 0.5  # tuned on the shipped decks and on the pairs of tests/core/content/test_near_duplicates.py
_NUMBER = re.compile(r"\d+(?:\.\d+)?\Z")
_NOT_WORD = re.compile(r"[\W_]+")
_MAX_ALSO = 3  # further earlier duplicates named in one warning
_PREFIX = re.compile(r"\s*((?:[^\W\d_][\w-]*\s+){0,3}[^\W\d_][\w-]*)\s*:\s+")  # up to four words and a colon
_QUESTIONS = (CardKind.QA, CardKind.MCQ)
_FRAMING_MIN = 3  # questions that share a prefix before it counts as framing
_COPIES_COMPARED = 4  # identical cards compared with every other card; more are compared with the first


class Item:
    """One card (a glossary row for both of its cards) as weighted terms."""

    __slots__ = ("card", "order", "q", "a", "f", "size", "front")

    def __init__(self, card: Card, order: int, q: frozenset[str], a: frozenset[str]) -> None:
        self.card, self.order, self.q, self.a = card, order, q, a
        self.f = q | a
        self.size = 0.0
        self.front = ""  # the normalised front, filled in only when needed


def card_items(library: Library) -> list[Item]:
    """The cards to compare, in library order (skill cards and reverse glossary cards left out)."""
    cards = [c for c in library.cards if c.kind not in (CardKind.GRADIENT, CardKind.GLOSSARY_REVERSE)]
    framing = _framing_prefixes(cards)
    items: list[Item] = []
    for card in cards:
        front = card.front
        m = _PREFIX.match(front) if card.kind in _QUESTIONS else None
        if m and normalise(m.group(1)) in framing:
            front = front[m.end():]
        q, a = terms(front), terms(card.back)
        if q or a:
            items.append(Item(card, len(items), q, a))
    return items


def _framing_prefixes(cards: list[Card]) -> set[str]:
    """Question prefixes like "Final tip:" or "Decision tree:" that several questions share: they
    frame a series and say nothing about what each question asks."""
    counts: dict[str, int] = defaultdict(int)
    for card in cards:
        if card.kind in _QUESTIONS:
            m = _PREFIX.match(card.front)
            if m:
                counts[normalise(m.group(1))] += 1
    return {p for p, n in counts.items() if n >= _FRAMING_MIN}


def _weight(s: frozenset[str], weights: dict[str, float]) -> float:
    return sum(map(weights.__getitem__, s))


def _inside(a: frozenset[str], f: frozenset[str], weights: dict[str, float]) -> float:
    total = _weight(a, weights)
    return _weight(a & f, weights) / total if total else 0.0


def _glue(t: str) -> bool:
    """A term that says little on its own: a single letter (z, x, w) or one of the digits 0 and 1."""
    return len(t) == 1 and (t.isalpha() or t in "01")


def _kinds_of(tokens: frozenset[str]) -> tuple[bool, bool]:
    """(has a word of two or more letters, has a number other than 0-9)."""
    words = numbers = False
    for t in tokens:
        if _glue(t):
            continue
        if _NUMBER.match(t):
            numbers = True
        else:
            words = True
    return words, numbers


def different_subjects(x: Item, y: Item) -> bool:
    """Both questions name something the other card never mentions (a word, or a number)."""
    wx, nx = _kinds_of(x.q - y.f)
    wy, ny = _kinds_of(y.q - x.f)
    return (wx and wy) or (nx and ny)


def _signature(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def agreement(x: Item, y: Item, weights: dict[str, float]) -> float:
    """How far the answers agree: one answer inside the other, or each inside the other's question
    (a reversal). Answers made only of single letters and digits ("0", "1 if z > 0 else 0") agree
    only when they are written the same, or for a cloze, when the other card states its sentence."""
    ax = frozenset(t for t in x.a if not _glue(t))
    ay = frozenset(t for t in y.a if not _glue(t))
    if not ax or not ay:
        if _signature(x.card.back) == _signature(y.card.back):
            return 1.0
        # A cloze like "Dead neurons output {{0}} for all inputs" asks its whole sentence: it agrees
        # with a card that says that sentence and the blank's answer.
        best = 0.0
        for glue, other in ((x, y), (y, x)):
            if glue.card.kind is CardKind.CLOZE and not (ax if glue is x else ay) and glue.a <= other.a:
                best = max(best, _inside(glue.f, other.f, weights))
        return best
    direct = max(_inside(ax, y.a, weights), _inside(ay, x.a, weights))
    reverse = min(_inside(ax, y.q, weights), _inside(ay, x.q, weights))
    return max(direct, reverse)


def overlap(x: Item, y: Item, weights: dict[str, float]) -> float:
    """Weighted cosine of the two facts (terms as a set, each weighted by its rarity)."""
    if not x.size or not y.size:
        return 0.0
    return _weight(x.f & y.f, weights) / math.sqrt(x.size * y.size)


def similarity(x: Item, y: Item, weights: dict[str, float], floor: float = 0.0) -> float:
    """min(fact overlap, answer agreement), or 0 for questions about different subjects (or when
    the overlap alone is below ``floor``)."""
    shared = overlap(x, y, weights)
    if shared < floor or shared == 0.0 or different_subjects(x, y):
        return 0.0
    return min(shared, agreement(x, y, weights))


def _siblings(x: Card, y: Card) -> bool:
    """Cards of one construct: a table row (its cells, a glossary row's two cards) or one sentence."""
    if x.file != y.file:
        return False
    return x.line == y.line or (x.kind is y.kind is CardKind.CLOZE and x.context == y.context)


def _same_front(x: Item, y: Item) -> bool:
    if x.card.deck != y.card.deck or x.card.kind is not y.card.kind:
        return False
    if not x.front:
        x.front = normalise(x.card.front)
    if not y.front:
        y.front = normalise(y.card.front)
    return x.front == y.front


# ---- the check -----------------------------------------------------------------------------------

def find_near_duplicates(library: Library, threshold: float = THRESHOLD) -> list[tuple[Card, Card, float]]:
    """(later card, earlier card, similarity) for every near-duplicate pair, in library order."""
    with gc_paused():  # many small tuples and sets, none of them cyclic
        return _find(library, threshold)


def _find(library: Library, threshold: float) -> list[tuple[Card, Card, float]]:
    items = card_items(library)
    weights = weigh(items)
    marks = dup_ok_marks(library.cards)
    # Beyond a few, cards with the very same terms are compared with the first of them only, so that
    # a deck of a thousand copies of one row costs a thousand comparisons, not half a million.
    copies: dict[tuple[frozenset[str], frozenset[str]], list[Item]] = defaultdict(list)
    compared: list[Item] = []
    pairs: list[tuple[Item, Item]] = []
    for item in items:
        same = copies[item.q, item.a]
        if len(same) < _COPIES_COMPARED:
            compared.append(item)
        else:
            pairs.append((same[0], item))
        same.append(item)
    found: list[tuple[Card, Card, float]] = []
    for x, y in itertools.chain(candidate_pairs(compared, weights, threshold), pairs):
        score = similarity(x, y, weights, threshold)
        if score < threshold or _siblings(x.card, y.card) or _same_front(x, y) or intended(x.card, y.card, marks):
            continue
        early, late = (x, y) if x.order < y.order else (y, x)
        found.append((late.card, early.card, score))
    found += _same_skill_cards(library, marks)
    return found


def _same_skill_cards(library: Library, marks) -> list[tuple[Card, Card, float]]:
    import tomllib

    first: dict[str, Card] = {}
    found = []
    for card in library.cards:
        if card.kind is not CardKind.GRADIENT:
            continue
        try:
            spec = tomllib.loads(card.spec)
        except (tomllib.TOMLDecodeError, ValueError):
            continue
        spec.pop("id", None)
        key = json.dumps(spec, sort_keys=True, default=str)
        if key in first:
            if not intended(card, first[key], marks):
                found.append((card, first[key], 1.0))
        else:
            first[key] = card
    return found


def near_duplicate_problems(library: Library, threshold: float = THRESHOLD) -> list[Problem]:
    """One warning per card that repeats an earlier one, located at the later card."""
    order = {id(c): k for k, c in enumerate(library.cards)}
    by_card: dict[int, list[tuple[Card, Card, float]]] = defaultdict(list)
    for late, early, score in find_near_duplicates(library, threshold):
        by_card[id(late)].append((late, early, score))
    problems = []
    for matches in by_card.values():
        matches.sort(key=lambda m: (-m[2], order[id(m[1])]))
        late, early, score = matches[0]
        problems.append(Problem(late.file, late.line, late.col, Severity.WARNING, _message(late, early, score, matches[1:])))
    return problems


def _message(late: Card, early: Card, score: float, more: list) -> str:
    what = "the same skill card" if late.kind is CardKind.GRADIENT else f"asks what {_quote(early.front)} asks"
    if early.explicit_id:
        hint = f"merge or drop one, or mark the repetition intended: <!-- dup-ok: {early.explicit_id} -->"
    else:
        hint = "merge or drop one, or give that card an id and mark the repetition intended: <!-- dup-ok: ID -->"
    text = f"near-duplicate of {early.file}:{early.line}: {what} (similarity {score:.2f}); {hint}"
    if more:
        others = ", ".join(f"{c.file}:{c.line}" for _, c, _ in more[:_MAX_ALSO])
        text += f"; also like {others}" + (" …" if len(more) > _MAX_ALSO else "")
    return text


def _quote(front: str, width: int = 60) -> str:
    one_line = " ".join(front.split())
    return '"' + (one_line if len(one_line) <= width else one_line[: width - 1] + "…") + '"'
