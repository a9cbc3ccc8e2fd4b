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
```

```gradient
families = ["dense"]
```

Q: last?
A: yes
"""


def test_notes_sections_and_future_fences():
    deck = parse_deck(TEXT, "n.md")
    assert [c.section for c in deck.cards] == ["Glossary", "Glossary", "Formulas"]
    assert deck.notes == "# Title\n\nIntro prose.\n\n## Formulas\n\n```\nf(z) = max(0, z)\n```\n\n```mermaid\nflowchart TD\n```"
    assert [(p.line, p.col, p.severity, p.message) for p in deck.problems] == [
        (21, 1, Severity.WARNING, "drill blocks are not supported by this version; skipped"),
        (25, 1, Severity.WARNING, "gradient blocks are not supported by this version; skipped"),
    ]
    assert not deck.errors


def test_deck_without_cards_is_a_warning_not_an_error():
    deck = parse_deck("# Just notes\n\nSome text.\n", "n.md")
    assert deck.cards == [] and not deck.failed and deck.notes == "# Just notes\n\nSome text."
    assert [(p.line, p.severity) for p in deck.problems] == [(1, Severity.WARNING)]


def test_crlf_and_bom_are_handled():
    deck = parse_deck("\ufeff+++\r\ndeck = \"w\"\r\n+++\r\nQ: a?\r\nA: b\r\n", "w.md")
    assert deck.id == "w" and [(c.front, c.back, c.line) for c in deck.cards] == [("a?", "b", 4)]
