"""Card text as styled terminal text.

Deck text is the author's Markdown. Inline emphasis, strong and code are kept as styling by walking
markdown-it's inline tokens (never Textual markup, so ``a[i]`` stays ``a[i]``); control characters
are made visible first so a deck cannot send escape sequences to the terminal. LaTeX maths
(``$x_i^2$``) is shown as Unicode (xᵢ²) by core.text.maths_markdown, cached per text.
"""

from __future__ import annotations

from functools import lru_cache

from rich.text import Text
from textual.widgets import Static

from quizapp.core.text.maths_markdown import render_maths_markdown
from quizapp.core.text.safe import visible_controls

_STYLES = {"strong": "bold", "em": "italic", "s": "strike"}


@lru_cache(maxsize=1)
def _md():
    from markdown_it import MarkdownIt  # imported on first use: keeps it off the start-up path

    return MarkdownIt("commonmark").enable("strikethrough")


# Characters of one text shown on screen (about 100 lines at 100 columns, more than a screen); a
# longer text is cut with a note. Wrapping costs Textual ~4 s per MB on every layout, so a 5 MB
# question line would freeze the review screen; nobody reads that much in a terminal card anyway.
MAX_SHOWN = 10_000


def inline_markdown(source: str, base_style: str = "") -> Text:
    """Render one block of inline Markdown (several lines allowed) as a rich Text; a source longer
    than :data:`MAX_SHOWN` characters is cut there, with a note saying how much is not shown."""
    hidden = len(source) - MAX_SHOWN
    if hidden > 0:
        source = source[:MAX_SHOWN]
    text = Text(style=base_style, end="")
    lines = render_maths_markdown(visible_controls(source)).split("\n")
    for number, line in enumerate(lines):
        if number:
            text.append("\n")
        _append_inline(text, line)
    text.rstrip()
    if hidden > 0:
        text.append(f" … ({hidden:,} more characters not shown: open the deck file to read them)",
                    style="dim italic")
    return text


@lru_cache(maxsize=32)
def card_markdown(source: str) -> Text:
    """:func:`inline_markdown` of a card's text, remembered: a card is rendered once, however often
    it is shown (the cached Text is never changed: Static copies it into its own content)."""
    return inline_markdown(source)


def _append_inline(text: Text, line: str) -> None:
    stack: list[str] = []
    for token in _md().parseInline(line)[0].children or []:
        kind = token.type
        if kind.endswith("_open") and kind[:-5] in _STYLES:
            stack.append(_STYLES[kind[:-5]])
        elif kind.endswith("_close") and kind[:-6] in _STYLES:
            if stack:
                stack.pop()
        elif kind == "code_inline":
            text.append(token.content, style="bold cyan")
        elif kind in ("softbreak", "hardbreak"):
            text.append("\n")
        elif kind == "html_inline":
            if not token.content.startswith("<!--"):
                text.append(token.content, style=" ".join(stack))
        else:
            text.append(token.content, style=" ".join(stack))


class CardText(Static):
    """A Static that shows deck Markdown safely."""

    DEFAULT_CSS = """
    CardText {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, source: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(card_markdown(source), id=id, classes=classes)
        self.source = source

    def show(self, source: str) -> None:
        """Show ``source``; the same text again changes nothing (no render, no layout)."""
        if source == self.source:
            return
        self.source = source
        self.update(card_markdown(source))
