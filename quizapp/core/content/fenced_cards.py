"""Cards from fenced TOML blocks: ```drill (formula drills) and ```gradient (skill cards).

The deck parser only reads the TOML and the keys every card needs (id, and a prompt and answer for
drills; the family for skill cards), so loading decks stays free of NumPy. The maths — formulas that
parse, accepted forms that are equivalent, engine agreement, known families and activations — is
checked by ``quizapp check`` (see check.py), with the same file:line:col locations.
"""

from __future__ import annotations

import re
import tomllib

from quizapp.core.content.blocks import Block
from quizapp.core.content.draft import Context, Draft
from quizapp.core.content.model import CardKind

FENCES = {"drill": CardKind.DRILL, "gradient": CardKind.GRADIENT}
_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_SOURCE_COMMENT = re.compile(r"^\s*#\s*sources?\s*:(.*)$", re.IGNORECASE | re.MULTILINE)  # "# Source: …" in the TOML


def fence_kind(b: Block) -> CardKind | None:
    if b.type != "fence":
        return None
    words = b.tokens[0].info.strip().split()
    return FENCES.get(words[0].lower()) if words else None


def fenced_draft(b: Block, kind: CardKind, ctx: Context) -> Draft | None:
    """The draft of one fenced card, or None after reporting why it cannot be a card."""
    text = b.tokens[0].content
    first = b.start + 2  # 1-based line of the TOML's first line (after the ``` line)
    report = ctx.report
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        m = _TOML_POS.search(str(error))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        report.error(first + line - 1, col, f"{kind} block: invalid TOML: {_TOML_POS.sub('', str(error)).strip()}")
        return None

    def where(key: str) -> tuple[int, int]:
        for offset, raw in enumerate(text.splitlines()):
            if raw.lstrip().startswith(key) and "=" in raw:
                return first + offset, len(raw) - len(raw.lstrip()) + 1
        return b.start + 1, 1

    card_id = data.get("id")
    if not isinstance(card_id, str) or not _ID.match(card_id):
        report.error(*where("id"), f"{kind} block needs an id like id = \"leaky-relu-grad\" (letters, digits, - _ .)")
        return None
    if kind is CardKind.DRILL:
        missing = [k for k in ("prompt", "answer") if not isinstance(data.get(k), str) or not data[k].strip()]
        if missing:
            report.error(*where(missing[0]), f"drill {card_id!r} needs {'an' if missing[0] == 'answer' else 'a'} {missing[0]} (a string)")
            return None
        front, back = data["prompt"].strip(), data["answer"].strip()
    else:
        family = data.get("family")
        if not isinstance(family, str) or not family.strip():
            report.error(*where("family"), f"gradient block {card_id!r} needs a family, e.g. family = \"backprop_activation\"")
            return None
        details = ", ".join(str(data[k]) for k in ("activation", "difficulty") if isinstance(data.get(k), str))
        front = data.get("prompt") if isinstance(data.get("prompt"), str) else (
            f"Compute the gradient: {family.replace('_', ' ')}" + (f" ({details})" if details else ""))
        back = "A fresh question with new numbers at every review; checked by the engine."
    sources = tuple(m.group(1).strip() for m in _SOURCE_COMMENT.finditer(text) if m.group(1).strip())
    return Draft(kind, front, back, b.start + 1, 1, ctx.new_group(), section=ctx.section,
                 author_id=card_id, id_line=b.start + 1, spec=text, sources=sources)
