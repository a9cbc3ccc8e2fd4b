"""``quizapp new ID``: a starter deck with one example of every construct of the format.

The template passes ``quizapp check`` with no problems (tested), so an author starts from a deck
that works and edits it: front matter, a glossary, a comparison table, Q&A with a ``Note:``, multiple
choice, cloze, a formula drill and a gradient skill card — each with an ``<!-- id: … -->`` so that
rewording a card later keeps its review history.
"""

from __future__ import annotations

import re
from pathlib import Path

DECK_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")

TEMPLATE = '''+++
deck = "{deck}"
title = "{toml_title}"
tags = ["{deck}"]
typed = false        # true: Q&A and cloze cards are answered by typing
+++

# {title}

Prose like this paragraph is not a card: it is kept as the deck's notes (press `n` on Home).
Every construct below is a card; see docs/content-format.md for the whole format and run
`quizapp check {file}` after editing. The `<!-- id: … -->` comments keep a card's review history
when you reword its front; `quizapp ids --write {file}` adds them to cards that have none.

## Glossary

| Term | Definition | Example |
|------|------------|---------|
| ReLU <!-- id: relu --> | max(0, z): z if positive, else 0 | relu(-2) = 0 |
| Leaky ReLU <!-- id: leaky-relu --> | max(αz, z) with a small α such as 0.01 | leaky_relu(-2) = -0.02 |

## Comparison

| Aspect | ReLU | Leaky ReLU |
|--------|------|------------|
| Output for z < 0 <!-- id: negative-output --> | 0 | αz |
| Range <!-- id: range --> | [0, ∞) | (−∞, ∞) |

## Questions

**Q: What is the dying ReLU problem?** <!-- id: dying-relu -->
A: A ReLU unit whose pre-activation is negative for every input outputs 0 and gets no gradient, so it
never learns again.

Note: a single negative input is harmless; the unit dies only when z ≤ 0 for all inputs.

**Q: Which activation keeps a non-zero gradient for z < 0?** <!-- id: which-leaky -->
- [ ] ReLU
- [x] Leaky ReLU
- [ ] Step function

A: Leaky ReLU's derivative is α for z < 0.

## Fill in the blanks

Leaky ReLU's default slope for negative inputs is α = {{{{0.01}}}}. <!-- id: leaky-default-alpha -->

## Formula drill

```drill
id = "leaky-relu-derivative"
prompt = "Derivative of Leaky ReLU with respect to z"
answer = "1 if z > 0 else alpha"
accept = ["where(z > 0, 1, alpha)"]
reject = ["1 if z > 0 else 0"]
vars = {{ z = [-3, 3] }}
constants = {{ alpha = 0.01 }}
hint = "Two cases: z > 0 and z ≤ 0."
explanation = "The leak keeps a gradient of α for z ≤ 0."
```

## Gradient skill card

```gradient
id = "backprop-leaky"
family = "backprop_activation"
activation = "leaky_relu"
difficulty = "easy"
```
'''


class ScaffoldError(ValueError):
    """The deck cannot be created (bad id, file exists)."""


def title_of(deck_id: str) -> str:
    return " ".join(word.capitalize() for word in deck_id.split("-"))


def deck_text(deck_id: str, title: str | None = None, file: str | None = None) -> str:
    """The starter deck's Markdown."""
    if not DECK_ID.match(deck_id):
        raise ScaffoldError(f"deck id {deck_id!r} must be a slug: a-z, 0-9 and single '-' (e.g. 'attention-basics')")
    title = " ".join((title or title_of(deck_id)).split())
    toml_title = title.replace("\\", "\\\\").replace('"', '\\"')
    return TEMPLATE.format(deck=deck_id, title=title, toml_title=toml_title, file=file or f"{deck_id}.md")


def create_deck(deck_id: str, out_dir: Path, title: str | None = None) -> Path:
    """Write ``out_dir/<deck_id>.md`` (never over an existing file); returns its path."""
    from quizapp.core.user_files import write_user_file

    path = Path(out_dir) / f"{deck_id}.md"
    text = deck_text(deck_id, title, str(path))
    try:  # whole or not at all; UserFileError (an OSError) when it cannot be written
        write_user_file(path, text.encode("utf-8"), overwrite=False, make_parents=True)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; choose another id or --out folder") from None
    return path
