"""Notes, sections, future-format fences and empty decks."""

from __future__ import annotations

from quizapp.core.content.model import Severity
from quizapp.core.content.parser import parse_deck

TEXT = """# Title

Intro prose.

## Glossary

| Term | Definition |
|---|---|
| A | alpha |

## Formulas

```
f(z) = max(0, z)
```

```mermaid
flowchart TD
```

```drill
id = "leaky-relu-grad"
prompt = "Derivative of Leaky ReLU"
answer = "1 if z > 0 else alpha"
```

```gradient
id = "dense"
family = "dense_backward"
difficulty = "easy"
```

Q: last?
A: yes
"""


def test_notes_sections_and_card_fences():
    deck = parse_deck(TEXT, "n.md")
    assert [c.section for c in deck.cards] == ["Glossary", "Glossary", "Formulas", "Formulas", "Formulas"]
    assert deck.notes == ("# Title\n\nIntro prose.\n\n## Glossary\n\n*2 glossary cards here.*\n\n## Formulas\n\n"
                          "```\nf(z) = max(0, z)\n```\n\n```mermaid\nflowchart TD\n```\n\n"
                          "*3 cards here: 1 formula drill, 1 gradient skill, 1 Q&A.*")
    drill, gradient = deck.cards[2:4]
    assert (drill.kind, drill.key, drill.line, drill.front, drill.back) == (
        "drill", "n:leaky-relu-grad", 21, "Derivative of Leaky ReLU", "1 if z > 0 else alpha")
    assert 'answer = "1 if z > 0 else alpha"' in drill.spec
    assert (gradient.kind, gradient.key, gradient.line) == ("gradient", "n:dense", 27)
    assert "dense backward" in gradient.front and 'family = "dense_backward"' in gradient.spec
    assert not deck.problems


def test_card_fences_with_missing_keys_or_bad_toml_are_located_errors():
    text = (
        "```drill\nid = \"d\"\nprompt = \"p\"\n```\n\n"
        "```gradient\nfamily = \"sgd_step\"\n```\n\n"
        "```drill\nid = \"x\"\nprompt = = 2\n```\n\nQ: ok?\nA: yes\n"
    )
    deck = parse_deck(text, "f.md")
    assert [c.front for c in deck.cards] == ["ok?"]
    assert [(p.line, p.col, p.message.split(":")[0]) for p in deck.errors] == [
        (1, 1, "drill 'd' needs an answer (a string)"),
        (6, 1, "gradient block needs an id like id = \"leaky-relu-grad\" (letters, digits, - _ .)"),
        (12, 10, "drill block"),
    ]


def test_deck_without_cards_is_a_warning_not_an_error():
    deck = parse_deck("# Just notes\n\nSome text.\n", "n.md")
    assert deck.cards == [] and not deck.failed and deck.notes == "# Just notes\n\nSome text."
    assert [(p.line, p.severity) for p in deck.problems] == [(1, Severity.WARNING)]


def test_crlf_and_bom_are_handled():
    deck = parse_deck("\ufeff+++\r\ndeck = \"w\"\r\n+++\r\nQ: a?\r\nA: b\r\n", "w.md")
    assert deck.id == "w" and [(c.front, c.back, c.line) for c in deck.cards] == [("a?", "b", 4)]


def test_check_validates_the_maths_of_drills_and_skill_cards(tmp_path):
    from quizapp.core.content.check import run_check

    deck = tmp_path / "d.md"
    deck.write_text(
        '+++\ndeck = "d"\n+++\n\n'
        '```drill\nid = "lrelu"\nprompt = "Leaky ReLU derivative"\nanswer = "1 if z > 0 else alpha"\n'
        'accept = ["where(z > 0, 1, alpha)", "1 if z > 0 else 0"]\nconstants = { alpha = 0.01 }\n```\n\n'
        '```gradient\nid = "g"\nfamily = "no_such_family"\n```\n',
        encoding="utf-8",
    )
    report = run_check([deck])
    assert report.exit_code == 1
    lines = report.text().splitlines()
    assert any(line.startswith(f"{deck}:9:") and "drill 'lrelu'" in line and "accept" in line for line in lines), lines
    assert any(line.startswith(f"{deck}:13:1: error: gradient 'g'") and "no_such_family" in line for line in lines)
