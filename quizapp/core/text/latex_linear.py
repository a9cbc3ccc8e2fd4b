"""The drawing tree of :mod:`latex_tree` as one line of Unicode.

* Scripts use Unicode sub/superscripts when every character has one (xᵢ, z², Wᵀ, e⁻ᶻ), else
  ``_x``/``^x`` for one character and ``_(…)``/``^(…)`` for more (μ_B, e^(zᵢ)).
* A fraction is ``num/den``; a part is parenthesised when it is compound — a sum, a relation, a
  nested fraction, or (below the bar) a product with an explicit operator: 1/(1 + e⁻ᶻ),
  e^(zᵢ)/∑ⱼ e^(zⱼ).
* ``\\sqrt{x}`` is √x for one symbol, √(x + 1) otherwise; ∛ and ∜ for the cube and fourth roots.
* Accents are combining marks (x̂, x̄); matrices are bracketed rows ([[1, 2], [3, 4]]), a column
  vector is a transposed row ((x, y)ᵀ), cases are ``{a, if …; b, otherwise}``.
"""

from __future__ import annotations

import re
import unicodedata

from quizapp.core.text import latex_tables as T
from quizapp.core.text.latex_nodes import Accent, Delim, Frac, Row, Script, Sqrt, Sym, Table

_SPACES = re.compile(r" {2,}")


def linear(node) -> str:
    """One line of Unicode for ``node`` (spaces collapsed, ends stripped)."""
    return _SPACES.sub(" ", _text(node)).strip()


def _text(node) -> str:
    if isinstance(node, Sym):
        return node.text
    if isinstance(node, Row):
        return _row_text(node.items)
    if isinstance(node, Script):
        return script_text(node)
    if isinstance(node, Frac):
        return frac_text(node)
    if isinstance(node, Sqrt):
        return sqrt_text(node)
    if isinstance(node, Accent):
        return accented(linear(node.body), node.mark)
    if isinstance(node, Delim):
        return f"{node.left}{linear(node.body)}{node.right}"
    if isinstance(node, Table):
        return table_text(node)
    return ""


def _solid(items: list, k: int, step: int):
    """The nearest item from ``k`` (exclusive) in direction ``step`` that is not a space."""
    k += step
    while 0 <= k < len(items):
        item = items[k]
        if not (isinstance(item, Sym) and item.kind == "space"):
            return item
        k += step
    return None


def _row_text(items: list) -> str:
    parts: list[str] = []
    for k, item in enumerate(items):
        if isinstance(item, Sym) and item.kind == "space":
            before, after = _solid(items, k, -1), _solid(items, k, 1)
            if _edge(before, -1) == "open" or _edge(after, 0) == "close":
                continue  # ( a ) reads (a): LaTeX ignores these spaces too
        text = _text(item)
        if k and isinstance(items[k - 1], Script) and _loose(items[k - 1]) and text[:1].isalnum():
            parts.append(" ")  # ∇_θ L, not ∇_θL
        parts.append(text)
    return "".join(parts)


def _edge(item, end: int) -> str:
    """The kind of the symbol at the start (``end`` 0) or end (-1) of ``item``."""
    while isinstance(item, (Script, Row)):
        if isinstance(item, Script):
            item = item.base
        elif item.items:
            item = item.items[end]
        else:
            return ""
    return item.kind if isinstance(item, Sym) else ""


def _loose(node: Script) -> bool:
    """Whether the script ends in a one-character fallback (μ_B): a letter after it must not touch."""
    last, table = (node.sup, T.SUPERSCRIPTS) if node.sup is not None else (node.sub, T.SUBSCRIPTS)
    text = raised(linear(last), table, "^") if last is not None else ""
    return text.startswith("^") and not text.endswith(")")


def raised(text: str, table: dict[str, str], marker: str) -> str:
    """``text`` as a sub/superscript: Unicode when every character has a form, else marked."""
    compact = text.replace(" ", "")
    if not compact:
        return ""
    if all(c in table for c in compact):
        return "".join(table[c] for c in compact)
    if sum(not unicodedata.combining(c) for c in compact) == 1:
        return marker + compact
    return f"{marker}({text})"


def script_text(node: Script) -> str:
    base = linear(node.base) if not isinstance(node.base, Sym) else node.base.text
    if isinstance(node.base, (Frac, Table)) or (isinstance(node.base, Sqrt) and not base.endswith(")")):
        base = f"({base})"
    out = base
    if node.sub is not None:
        out += raised(linear(node.sub), T.SUBSCRIPTS, "_")
    if node.sup is not None:
        out += raised(linear(node.sup), T.SUPERSCRIPTS, "^")
    return out


def _flat(row) -> list:
    """The items of ``row`` with plain groups opened up (what a reader sees at its top level)."""
    out = []
    for item in row.items if isinstance(row, Row) else [row]:
        if isinstance(item, Row):
            out += _flat(item)
        elif not (isinstance(item, Sym) and item.kind == "space"):
            out.append(item)
    return out


def compound(row: Row, *, below: bool) -> bool:
    """Whether a fraction's part needs parentheses (see the module docstring)."""
    items = _flat(row)
    for k, item in enumerate(items):
        if isinstance(item, (Frac, Table)):
            return True
        if isinstance(item, Sym) and item.kind in ("op", "rel", "punct"):
            if item.text in T.PRODUCT_OPERATORS:
                if below:
                    return True
            elif k > 0 or below:  # a leading sign on top reads fine: −b/2a
                return True
    return False


def frac_text(node: Frac) -> str:
    num, den = linear(node.num), linear(node.den)
    if compound(node.num, below=False):
        num = f"({num})"
    if compound(node.den, below=True):
        den = f"({den})"
    return f"{num}/{den}"


def single(row: Row) -> bool:
    """One symbol, possibly with scripts or an accent: what √ and ⁿ can take without brackets."""
    items = _flat(row)
    if len(items) != 1:
        return False
    item = items[0]
    if isinstance(item, Sym):
        return item.kind in ("ord", "num") and (item.kind == "num" or len(item.text) == 1)
    return isinstance(item, (Script, Accent, Delim))


def sqrt_text(node: Sqrt) -> str:
    body = linear(node.body)
    root = "√"
    if node.index is not None:
        index = linear(node.index)
        root = {"2": "√", "3": "∛", "4": "∜"}.get(index) or raised(index, T.SUPERSCRIPTS, "^") + "√"
    return root + (body if single(node.body) else f"({body})")


def accented(text: str, mark: str) -> str:
    out = []
    for ch in text:
        out.append(ch)
        if ch.isalnum() and ch not in T.SCRIPT_CHARS:
            out.append(mark)
    return "".join(out)


def table_text(node: Table) -> str:
    rows = [[linear(cell) for cell in row] for row in node.rows]
    if node.kind == "matrix":
        if len(rows) > 1 and all(len(r) == 1 for r in rows):  # a column vector: a transposed row
            return f"{node.left}{', '.join(r[0] for r in rows)}{node.right}ᵀ"
        if len(rows) == 1:
            return f"{node.left}{', '.join(rows[0])}{node.right}"
        inner = ", ".join(f"[{', '.join(r)}]" for r in rows)
        return f"{node.left}{inner}{node.right}"
    if node.kind == "cases":
        return "{" + "; ".join(", ".join(c for c in r if c) for r in rows) + "}"
    return "; ".join(" ".join(c for c in r if c) for r in rows)
