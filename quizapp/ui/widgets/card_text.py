"""Card text as styled terminal text.

Deck text is the author's Markdown. Inline emphasis, strong and code are kept as styling by walking
markdown-it's inline tokens (never Textual markup, so ``a[i]`` stays ``a[i]``); control characters
are made visible first so a deck cannot send escape sequences to the terminal.
"""

from __future__ import annotations

from functools import lru_cache

from rich.text import Text
from textual.widgets import Static

from quizapp.core.textsafe import visible_controls

_STYLES = {"strong": "bold", "em": "italic", "s": "strike"}


@lru_cache(maxsize=1)
def _md():
    from markdown_it import MarkdownIt  # imported on first use: keeps it off the start-up path

    return MarkdownIt("commonmark").enable("strikethrough")


def inline_markdown(source: str, base_style: str = "") -> Text:
    """Render one block of inline Markdown (several lines allowed) as a rich Text."""
    text = Text(style=base_style, end="")
    lines = visible_controls(source).split("\n")
    for number, line in enumerate(lines):
        if number:
            text.append("\n")
        _append_inline(text, line)
    text.rstrip()
    return text


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
        super().__init__(inline_markdown(source), id=id, classes=classes)
        self.source = source

    def show(self, source: str) -> None:
        self.source = source
        self.update(inline_markdown(source))
