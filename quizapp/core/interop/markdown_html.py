"""Card Markdown → the simple HTML Anki fields hold.

markdown-it-py (already a dependency) renders CommonMark plus tables and strikethrough with raw HTML
*escaped* (``html: False``), so text like ``a < b`` or ``<div>`` shows as written. Images become links
(no media is packaged), ``<!-- id: … -->`` comments are dropped, and a single paragraph loses its
``<p>`` wrapper so short fields stay inline. Maths (``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``, found
as the screens find it: core.text.maths_spans) becomes MathJax's ``\\(…\\)`` / ``\\[…\\]``, which
Anki renders natively; ``}}`` inside it is spaced to ``} }`` so a cloze note's ``{{c1::…}}`` is not
closed early (a space between braces changes nothing in LaTeX).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from quizapp.core.content.identity import strip_ids
from quizapp.core.text.maths_spans import install as install_maths


@lru_cache(maxsize=1)
def _renderer():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "breaks": False}).enable(["table", "strikethrough"])

    def image(self, tokens, idx, options, env):  # an image as a link: media files are not exported
        token = tokens[idx]
        src = html.escape(token.attrGet("src") or "", quote=True)
        alt = html.escape(token.content or "image")
        return f'<a href="{src}">{alt}</a>'

    def maths(self, tokens, idx, options, env):  # LaTeX for Anki's MathJax, HTML-escaped
        token = tokens[idx]
        latex = html.escape(token.content.replace("}}", "} }"), quote=False)
        return f"\\[{latex}\\]" if token.type == "math_display" else f"\\({latex}\\)"

    md.add_render_rule("image", image)
    md.add_render_rule("math_inline", maths)
    md.add_render_rule("math_display", maths)
    install_maths(md)
    return md


def markdown_to_html(text: str) -> str:
    """``text`` (card Markdown) as HTML for an Anki field."""
    text = strip_ids(text).strip()
    if not text:
        return ""
    out = _renderer().render(text).strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    # Soft line breaks become <br> (notes are written line by line); <pre> keeps its newlines.
    pieces = re.split(r"(<pre>.*?</pre>)", out, flags=re.DOTALL)
    return "".join(p if p.startswith("<pre>") else re.sub(r"\n(?=<)|(?<=>)\n", "", p).replace("\n", "<br>")
                   for p in pieces)


def text_to_html(text: str) -> str:
    """Plain text (a formula, a TOML value) escaped for a field, newlines kept."""
    return html.escape(text).replace("\n", "<br>")
