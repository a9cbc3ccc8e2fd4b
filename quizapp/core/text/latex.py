"""LaTeX maths → readable Unicode for a terminal: ``\\frac{e^{z_i}}{\\sum_j e^{z_j}}`` → e^(zᵢ)/∑ⱼ e^(zⱼ).

:func:`render_latex` never raises. Maths it cannot read (an unclosed brace, a missing argument,
nesting deeper than 40) comes back with ``ok`` false and its own source as the text, so the reader
still sees what the author wrote; ``problems`` says why (``quizapp check`` prints it, located).

Results are cached by source (the same formula on ten cards is parsed once). pylatexenc — the
parser underneath — is imported on the first call only, so text without maths never pays for it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import NamedTuple

__all__ = ["DISPLAY_WIDTH", "Rendering", "latex_to_unicode", "render_latex"]

# A stacked (2-D) layout is used for display maths only when it is at most this wide; wider blocks
# would wrap on a narrow terminal and lose their shape, so they stay on one line.
DISPLAY_WIDTH = 60


class Rendering(NamedTuple):
    text: str  # one line of Unicode; the source itself when ``ok`` is false
    lines: tuple[str, ...]  # the 2-D layout (display maths that gains from it), else ()
    ok: bool  # false: the source could not be read and ``text`` is the source
    problems: tuple[str, ...]  # why not ok, or warnings (unknown commands, a % comment)


@lru_cache(maxsize=16384)
def render_latex(source: str, display: bool = False, max_width: int = DISPLAY_WIDTH) -> Rendering:
    """The Unicode of the maths ``source`` (without its ``$`` delimiters)."""
    from quizapp.core.text.latex_tree import LatexError, parse_latex

    try:
        root, problems = parse_latex(source)
        from quizapp.core.text.latex_linear import linear

        text = linear(root)
        lines: tuple[str, ...] = ()
        if display:
            from quizapp.core.text.latex_layout import layout

            stacked = layout(root, max_width)
            lines = tuple(stacked) if stacked else ()
    except LatexError as error:
        return Rendering(" ".join(source.split()), (), False, (str(error),))
    except RecursionError:
        return Rendering(" ".join(source.split()), (), False, ("nested too deeply",))
    if not text and source.strip():
        text = " ".join(source.split())
    # composed where Unicode has the letter (ŷ is one character, x̂ stays x + a combining hat)
    text = unicodedata.normalize("NFC", text)
    lines = tuple(unicodedata.normalize("NFC", line) for line in lines)
    return Rendering(text, lines, True, tuple(problems))


def latex_to_unicode(source: str) -> str:
    """One line of Unicode for ``source`` (its own text when it cannot be read)."""
    return render_latex(source).text
