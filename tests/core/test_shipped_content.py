"""The shipped decks in content/: they load cleanly, and nothing of the seed sheet is lost.

The seed ("ReLU vs Leaky ReLU - Quick Revision") is kept verbatim in tests/fixtures/seed/. The facts
it must contribute are computed by parsing that file with the real parser, so the expectations
follow the seed, not a hand-copied list; the counts pin that parse so the test cannot pass because
the seed produced no cards.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from quizapp.core.content.check import run_check
from quizapp.core.content.frontmatter import split_front_matter
from quizapp.core.content.loader import deck_files, load_deck
from quizapp.core.content.model import Card, CardKind, Deck, Problem

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
SEED = ROOT / "tests" / "fixtures" / "seed" / "relu-vs-leaky-relu-quick-revision.md"
RELU_DECK = "relu-vs-leaky-relu"

# Every shipped deck and the card kinds it claims to have (each needs at least one card).
CLAIMED_KINDS: dict[str, frozenset[CardKind]] = {
    "relu-vs-leaky-relu": frozenset(CardKind),
    "weight-initialisation": frozenset(CardKind),
    "activations-and-gradients": frozenset(CardKind),
    "losses-and-outputs": frozenset(CardKind),
    "backpropagation": frozenset(CardKind),
    "classic-ml": frozenset(CardKind),
    "cnns": frozenset(CardKind),
    "rnns-and-gating": frozenset(CardKind),
    "attention-and-transformers": frozenset(CardKind),
    "signal-propagation": frozenset(CardKind),
    "normalisation": frozenset(CardKind),
    "optimisers-and-schedules": frozenset(CardKind),
    "regularisation": frozenset(CardKind),
    "training-diagnostics": frozenset(CardKind),
}

# What the seed itself yields as cards; the rest of it (summary, points, tips, code) is prose.
SEED_CARD_COUNTS = {
    CardKind.GLOSSARY: 8,
    CardKind.GLOSSARY_REVERSE: 8,
    CardKind.COMPARISON: 30,  # 6×2 + 5×2 + 4×2 cells
    CardKind.QA: 5,
}

KEBAB_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
FENCE = re.compile(r"^```[^\n]*\n.*?^```[ \t]*$", re.MULTILINE | re.DOTALL)
CLOZE = re.compile(r"\{\{(.*?)(?:::.*?)?\}\}")
ID_COMMENT = re.compile(r"<!--\s*id\s*:.*?-->")
# Decks cite their sources in a `sources` front-matter list (issue 14). Until the parser knows the key
# it warns about it; that one warning is expected, any other problem is not.
SOURCES_PENDING = "unknown front-matter key 'sources'"


def unexpected(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems if SOURCES_PENDING not in p.message]


def norm(text: str) -> str:
    """Comparison form: NFKC, casefolded, no emphasis/code markers, single spaces, no final dot."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"\*+|`+", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(" .")


@cache
def shipped() -> dict[str, Deck]:
    return {d.id: d for d in (load_deck(p) for p in deck_files(CONTENT))}


@cache
def seed() -> Deck:
    return load_deck(SEED)


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def relu_text() -> str:
    return (CONTENT / f"{RELU_DECK}.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The lines under ``## heading`` up to the next heading of level 2 or a rule."""
    m = re.search(rf"^##+ {re.escape(heading)}\s*$(.*?)(?=^## |^---|\Z)", text, re.MULTILINE | re.DOTALL)
    assert m, f"section {heading!r} not found"
    return m.group(1)


# ---- every shipped deck -------------------------------------------------------------------------

def test_checker_reports_no_errors_or_warnings():
    report = run_check([CONTENT])
    assert report.errors == 0 and not unexpected(report.library.warnings), report.text()
    summary = report.summary()
    assert summary["decks"] == len(CLAIMED_KINDS) and summary["failed"] == 0, report.text()


def test_the_claimed_decks_are_exactly_the_shipped_ones():
    assert set(shipped()) == set(CLAIMED_KINDS)


@pytest.mark.parametrize("deck_id", sorted(CLAIMED_KINDS))
def test_deck_loads_cleanly_with_every_claimed_kind(deck_id):
    deck = shipped()[deck_id]
    assert not deck.failed and not unexpected(deck.problems), unexpected(deck.problems)
    assert deck.path.stem == deck_id
    counts = Counter(c.kind for c in deck.cards)
    missing = sorted(str(k) for k in CLAIMED_KINDS[deck_id] if counts[k] == 0)
    assert not missing, f"{deck_id} has no {missing} cards"
    assert len({c.key for c in deck.cards}) == len(deck.cards)


@pytest.mark.parametrize("deck_id", sorted(CLAIMED_KINDS))
def test_questions_have_stable_kebab_case_ids(deck_id):
    for card in shipped()[deck_id].cards:
        if card.kind in (CardKind.QA, CardKind.MCQ):
            assert card.explicit_id, f"{card.file}:{card.line}: {card.front!r} has no <!-- id: … -->"
            assert KEBAB_ID.match(card.explicit_id), card.explicit_id


@pytest.mark.parametrize("deck_id", sorted(CLAIMED_KINDS))
def test_multiple_choice_has_one_correct_option_and_clean_options(deck_id):
    for card in shipped()[deck_id].cards:
        if card.kind is CardKind.MCQ:
            assert len(card.correct_choices) == 1, card.front
            assert len(card.choices) >= 3, card.front
            # An "A:" line glued to the last option (no blank line) would become part of it.
            assert all("\n" not in c.text for c in card.choices), card.front


# ---- nothing of the seed is lost ----------------------------------------------------------------

def test_seed_parses_into_the_expected_cards():
    deck = seed()
    assert not deck.failed and deck.errors == []
    assert Counter(c.kind for c in deck.cards) == Counter(SEED_CARD_COUNTS)


def test_every_seed_card_is_in_the_shipped_deck():
    """Glossary terms (both ways), every comparison cell and the five interview Q&As, verbatim."""
    have = {(c.kind, norm(c.front), norm(c.back)) for c in shipped()[RELU_DECK].cards}
    missing = [(str(c.kind), c.front, c.back) for c in seed().cards if (c.kind, norm(c.front), norm(c.back)) not in have]
    assert not missing, missing


def test_every_code_block_of_the_seed_is_kept_verbatim_in_the_notes():
    notes = shipped()[RELU_DECK].notes
    blocks = FENCE.findall(seed_text())
    assert len(blocks) == 4  # formulas, code snippets, decision tree, mermaid
    for block in blocks:
        assert block in notes, block.splitlines()[0]


def test_every_prose_line_of_the_seed_is_in_the_shipped_file():
    """Headings, the summary, the top-10 points and the tips survive, cloze markup aside."""
    shipped_text = norm(ID_COMMENT.sub("", CLOZE.sub(r"\1", relu_text())))
    in_fence = False
    checked = 0
    for line in seed_text().splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence or not line.strip() or line.startswith("|") or line.strip() == "---":
            continue
        assert norm(line) in shipped_text, line
        checked += 1
    assert checked >= 30


def test_each_top_10_point_is_a_cloze_card():
    contexts = {norm(c.context) for c in shipped()[RELU_DECK].cards if c.kind is CardKind.CLOZE}
    points = re.findall(r"^\d+\. (.+)$", section(seed_text(), "Top 10 Points to Remember"), re.MULTILINE)
    assert len(points) == 10
    missing = [p for p in points if norm(p) not in contexts]
    assert not missing, missing


def test_each_cheat_sheet_formula_is_a_cloze_card():
    contexts = {norm(c.context) for c in shipped()[RELU_DECK].cards if c.kind is CardKind.CLOZE}
    formulas_block = section(seed_text(), "Cheat Sheet").split("```")[1]
    formulas = [line for line in formulas_block.splitlines()[1:] if "=" in line]
    assert len(formulas) == 7
    missing = [f for f in formulas if norm(f) not in contexts]
    assert not missing, missing


def test_each_decision_tree_branch_is_a_question():
    tree = section(seed_text(), "Cheat Sheet").split("```")[5]
    answers = Counter(norm(a) for a in re.findall(r"── .+? → (.+)$", tree, re.MULTILINE))
    assert sum(answers.values()) == 5
    got = Counter(
        norm(c.back)
        for c in shipped()[RELU_DECK].cards
        if c.kind in (CardKind.QA, CardKind.MCQ) and c.front.startswith("Decision tree:")
    )
    assert got == answers


def test_each_final_tip_has_a_card():
    tips = re.findall(r"^\d+\. \*\*(.+?)\*\*", section(seed_text(), "Final Tips"), re.MULTILINE)
    assert len(tips) == 5
    tip_cards = [c for c in shipped()[RELU_DECK].cards if c.section == "Final Tips" and c.kind in (CardKind.QA, CardKind.MCQ)]
    assert len(tip_cards) >= len(tips)


@pytest.mark.parametrize(
    ("loose", "precise"),
    [
        ("| Dead neurons | Possible | Not possible |", "can still be *inactive*"),
        ("W ~ N(0, sqrt(2/n_in))", "the variance is 2/n_in"),
        ("happens when gradient = 0 for", "dead* only when z ≤ 0 for **every** input"),
        ("| Exploding gradient | High weights | Gradient clipping |", "careful\n> initialization (He/Xavier), normalization"),
        ("Backward: dW = X.T @ dz / m", "dW = dZ Xᵀ / m"),
        ("max(αz, z) - like ReLU", "exactly when α ≤ 1"),
    ],
)
def test_loose_seed_statements_keep_their_text_and_get_a_precise_note(loose, precise):
    text = relu_text()
    assert loose in seed_text()
    assert loose in text and precise in text
    assert text.index(precise) > text.index(loose)


# ---- sources (issue 14, part D) -------------------------------------------------------------------

CITES = re.compile(r"\b(19|20)\d\d\b|\bdocs\b|\bnotes\b")
CLAIM = re.compile(r"\bdefaults?\b|PyTorch|Keras|TensorFlow|\b(torch|tf|keras)\.|et al\.|\b(19|20)\d\d\b|GPT|BERT|"
                   r"\bdesigned\b|\bderived\b", re.IGNORECASE)
API = re.compile(r"\b(?:torch|tf|keras)\.[\w.]*\w")


def sources_of(deck_id: str) -> list[str]:
    """The deck's `sources` list, read from its front matter (whether or not the parser keeps it)."""
    lines = (CONTENT / f"{deck_id}.md").read_text(encoding="utf-8").splitlines()
    span = split_front_matter(lines)
    assert span and span[1] > 0, deck_id
    return tomllib.loads("\n".join(lines[1:span[1]])).get("sources", [])


def claim_text(card: Card) -> str:
    return " ".join([card.front, card.back, *(c.text for c in card.choices)])


@pytest.mark.parametrize("deck_id", sorted(CLAIMED_KINDS))
def test_each_deck_lists_its_sources(deck_id):
    sources = sources_of(deck_id)
    assert len(sources) >= 5 and all(isinstance(s, str) and s.strip() for s in sources), sources
    assert len(set(sources)) == len(sources)
    uncited = [s for s in sources if not CITES.search(s)]
    assert not uncited, f"each source names a year (paper) or is a framework's docs/notes: {uncited}"


@pytest.mark.parametrize("deck_id", sorted(CLAIMED_KINDS))
def test_cards_stating_a_default_a_paper_or_a_framework_fact_carry_a_source(deck_id):
    """Questions and glossary rows cite in their note (a Source: line, which becomes the card's
    sources, or a source inside a glossary row's note column); a cloze (which has no note) must name an API or
    framework that the deck's sources list covers."""
    sources = " ".join(sources_of(deck_id))
    for card in shipped()[deck_id].cards:
        if not CLAIM.search(claim_text(card)):
            continue
        where = f"{card.file}:{card.line}: {card.front!r}"
        if card.kind in (CardKind.QA, CardKind.MCQ, CardKind.GLOSSARY, CardKind.GLOSSARY_REVERSE):
            # a "Source:" line of a note becomes the card's sources (shown under the answer)
            assert card.sources or "Source:" in card.note, where
        elif card.kind is CardKind.CLOZE:
            for api in API.findall(card.context):
                assert api in sources, f"{where}: {api} not in the deck's sources"
            for framework in ("PyTorch", "Keras", "TensorFlow"):
                if framework in card.context:
                    assert f"{framework} docs:" in sources, f"{where}: no {framework} docs in the sources"


# ---- near-duplicates the audit found (issue 14, part C) -----------------------------------------------

def questions() -> list[Card]:
    return [c for d in shipped().values() for c in d.cards if c.kind in (CardKind.QA, CardKind.MCQ)]


def content_words(text: str) -> set[str]:
    stop = {"a", "an", "the", "of", "for", "in", "on", "to", "is", "what", "which", "with", "and", "or", "does"}
    return set(re.findall(r"\w+", norm(text))) - stop


def test_no_question_is_asked_twice_across_the_decks():
    seen = questions()
    for i, a in enumerate(seen):
        for b in seen[i + 1:]:
            if norm(a.back) != norm(b.back):
                continue
            wa, wb = content_words(a.front), content_words(b.front)
            overlap = len(wa & wb) / len(wa | wb)
            assert overlap < 0.6, f"{a.file}:{a.line} and {b.file}:{b.line} ask the same: {a.front!r} / {b.front!r}"


def test_he_for_relu_and_the_dead_neuron_definition_are_each_asked_once():
    he_for_relu = [c for c in questions() if "relu" in norm(c.front) and re.match(r"he\b", norm(c.back))]
    assert [c.explicit_id for c in he_for_relu] == ["interview-init"]
    definition = re.compile(r"^(in one line, )?what('s| is) (a )?(dying relu|dead neuron)|when exactly is a relu unit dead")
    defining = sorted(c.explicit_id for c in questions() if definition.search(norm(c.front)))
    assert defining == ["interview-dead-neuron", "interview-dying-relu"]
