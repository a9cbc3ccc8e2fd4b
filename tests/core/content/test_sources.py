"""Sources: every way a deck gives them, that they stay out of answers and keys, and the --strict check."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.core.content.check import run_check
from quizapp.core.content.deck_cache import deck_from_json, deck_to_json
from quizapp.core.content.loader import load_deck
from quizapp.core.content.model import CardKind


def deck(tmp_path: Path, body: str, front_matter: str = "") -> Path:
    path = tmp_path / "d.md"
    path.write_text(f'+++\ndeck = "d"\n{front_matter}+++\n\n{body.strip()}\n', encoding="utf-8")
    return path


def cards(tmp_path: Path, body: str, front_matter: str = ""):
    parsed = load_deck(deck(tmp_path, body, front_matter))
    assert not parsed.errors, parsed.errors
    return parsed.cards


# ---- where sources come from ---------------------------------------------------------------------

SYNTAXES = {
    "a Source line ending a Q&A answer": (
        "Q: PyTorch's default LeakyReLU slope?\nA: 0.01\nSource: PyTorch docs, torch.nn.LeakyReLU",
        {"PyTorch docs, torch.nn.LeakyReLU"},
    ),
    "a Source paragraph after the answer": (
        "Q: PyTorch's default LeakyReLU slope?\nA: 0.01\n\n**Source:** PyTorch docs",
        {"PyTorch docs"},
    ),
    "Sources in a quoted note": (
        "Q: Keras LeakyReLU layer default?\nA: 0.3\n\n> **Note:** tf.nn.leaky_relu uses 0.2.\n> Sources: Keras docs; TensorFlow docs",
        {"Keras docs", "TensorFlow docs"},
    ),
    "a multiple-choice explanation": (
        "Q: Who proposed PReLU?\n- [x] He et al.\n- [ ] Glorot\n\nA: In Delving Deep into Rectifiers.\nSource: arXiv:1502.01852",
        {"arXiv:1502.01852"},
    ),
    "a glossary Source column": (
        "| Term | Definition | Source |\n|---|---|---|\n| He init | Variance 2/n_in, for ReLU | He et al. 2015 |",
        {"He et al. 2015"},
    ),
    "a comparison Source column": (
        "| Function | Default α | Source |\n|---|---|---|\n| ELU | 1.0 | Clevert et al. 2016 |",
        {"Clevert et al. 2016"},
    ),
    "a cloze's last line": (
        "Leaky ReLU's default α in PyTorch is {{0.01}}.\nSource: PyTorch docs",
        {"PyTorch docs"},
    ),
    "a comment in a drill": (
        '```drill\nid = "gelu-c"\nprompt = "The cubic coefficient of the GELU tanh approximation"\n'
        'answer = "0.044715"\n# Source: Hendrycks & Gimpel 2016\n```',
        {"Hendrycks & Gimpel 2016"},
    ),
}


@pytest.mark.parametrize("body, expected", SYNTAXES.values(), ids=SYNTAXES.keys())
def test_each_syntax_gives_the_card_its_sources(tmp_path, body, expected):
    found = cards(tmp_path, body)
    assert found and all(set(c.sources) == expected for c in found), [(c.front, c.sources) for c in found]
    for c in found:  # the source is never part of what the learner answers or reads as the note
        assert "Source" not in c.back and "Source" not in c.note and "Source" not in c.front


def test_a_sentence_after_the_citations_stays_in_the_note(tmp_path):
    [card] = cards(tmp_path, "Q: Deep tanh net, large weights?\nA: Gradient norms grow with depth.\n\n"
                             "Note: Source: Poole et al. 2016; Schoenholz et al. 2017. A one-layer view holds for "
                             "the saturated units only.")
    assert card.sources == ("Poole et al. 2016", "Schoenholz et al. 2017.")
    assert card.note == "A one-layer view holds for the saturated units only."


def test_an_aspect_tables_source_row_cites_each_column_and_is_no_card(tmp_path):
    found = cards(tmp_path, "| Aspect | ReLU | Leaky ReLU |\n|---|---|---|\n| Negative slope | 0 | 0.01 |\n"
                            "| Source | Nair & Hinton 2010 | PyTorch docs |")
    assert [(c.front, c.sources) for c in found] == [
        ("ReLU — Negative slope?", ("Nair & Hinton 2010",)), ("Leaky ReLU — Negative slope?", ("PyTorch docs",))]


def test_a_decks_sources_come_from_its_front_matter(tmp_path):
    parsed = load_deck(deck(tmp_path, "Q: a?\nA: b", 'sources = ["He et al. 2015", "PyTorch docs"]\n'))
    assert parsed.sources == ("He et al. 2015", "PyTorch docs") and parsed.problems == []
    assert deck_from_json(deck_to_json(parsed)).sources == parsed.sources
    bad = load_deck(deck(tmp_path, "Q: a?\nA: b", 'sources = "one string"\n'))
    assert [p.message for p in bad.errors] == ['sources must be a list of strings, e.g. sources = ["He et al. 2015, arXiv:1502.01852"]']


def test_a_source_keeps_the_cards_key_and_survives_the_deck_cache(tmp_path):
    plain = cards(tmp_path, "Q: PyTorch's default slope?\nA: 0.01\n\nAlpha is {{0.01}} in PyTorch.")
    cited = cards(tmp_path, "Q: PyTorch's default slope?\nA: 0.01\nSource: PyTorch docs\n\n"
                            "Alpha is {{0.01}} in PyTorch.\nSource: PyTorch docs")
    assert [(c.key, c.front, c.back) for c in cited] == [(c.key, c.front, c.back) for c in plain]
    parsed = load_deck(tmp_path / "d.md")
    assert [c.sources for c in deck_from_json(deck_to_json(parsed)).cards] == [("PyTorch docs",)] * 2


# ---- quizapp check --strict ----------------------------------------------------------------------

NEEDS_A_SOURCE = {
    "a default": "Q: What is Keras's default kernel initializer for Dense layers?\nA: glorot_uniform",
    "a library's behaviour": "Q: What does PyTorch use for ReLU'(0)?\nA: 0",
    "who designed it": "Q: What was He initialization designed for?\nA: ReLU networks",
    "a date": "Q: When was the transformer published?\nA: In 2017, in Attention Is All You Need.",
    "a constant": "Q: What is SELU's scale λ?\nA: ≈ 1.0507",
    "a constant behind a bound": "| Aspect | Leaky ReLU |\n|---|---|\n| Derivative (z ≤ 0) | α (0.01) |",
    "a cloze constant": "- Leaky ReLU = max(αz, z) where α = {{0.01}}",
}
FINE = {
    "worked from the question's numbers": "Q: What is SiLU(1)?\nA: σ(1) ≈ 0.731",
    "a calculation": "Q: He init, n_in = 256: standard deviation?\nA: ≈ 0.088",
    "a worked answer": "Q: Xavier std for a 100 × 100 layer?\nA: √(2/200) = 0.1",
    "no claim": "Q: Why not initialise all weights to zero?\nA: Every unit would learn the same thing.",
    "an inline citation": "Q: Who proposed PReLU?\nA: He et al. (2015) learn the negative slope.",
    "authors and year": "Q: What was Xavier init derived for?\nA: Glorot & Bengio (2010): tanh-like units.",
    "official docs named": "Q: PyTorch's default LeakyReLU slope?\nA: 0.01 (PyTorch docs, torch.nn.LeakyReLU)",
    "the card's own Source line": "Q: PyTorch's default LeakyReLU slope?\nA: 0.01\nSource: PyTorch docs",
}


def strict_warnings(path: Path) -> list[str]:
    return [p.message for p in run_check([path], strict=True).library.warnings if p.message.startswith("no source")]


@pytest.mark.parametrize("body", NEEDS_A_SOURCE.values(), ids=NEEDS_A_SOURCE.keys())
def test_strict_warns_about_a_claim_without_a_source(tmp_path, body):
    found = strict_warnings(deck(tmp_path, body))
    assert len(found) == 1, found
    assert "add a 'Source:' line" in found[0]
    assert run_check([tmp_path / "d.md"]).warnings == 0  # only with --strict


@pytest.mark.parametrize("body", FINE.values(), ids=FINE.keys())
def test_strict_accepts_worked_answers_citations_and_sourced_cards(tmp_path, body):
    assert strict_warnings(deck(tmp_path, body)) == []


def test_deck_sources_cover_every_card_and_a_glossary_row_is_warned_about_once(tmp_path):
    body = "| Term | Definition |\n|---|---|\n| He init | Weight initialization designed for ReLU |"
    assert len(strict_warnings(deck(tmp_path, body))) == 1  # the row, not its reverse card as well
    assert strict_warnings(deck(tmp_path, body, 'sources = ["He et al. 2015"]\n')) == []
    assert {c.kind for c in load_deck(tmp_path / "d.md").cards} == {CardKind.GLOSSARY, CardKind.GLOSSARY_REVERSE}


def test_the_strict_option_of_the_command(tmp_path, capsys):
    path = deck(tmp_path, NEEDS_A_SOURCE["a default"])
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["check", str(path), *data]) == 0
    assert "no source" not in capsys.readouterr().out
    assert main(["check", "--strict", str(path), *data]) == 0  # warnings never fail the check
    out = capsys.readouterr().out
    assert f"{path}:5:1: warning: no source for a default" in out
