"""LaTeX maths → a small tree of what to draw (symbols, scripts, fractions, roots, tables).

pylatexenc's :class:`LatexWalker` parses the source (strictly: an unclosed brace or environment is
a :class:`LatexError`, never a guess); this module walks its nodes into the tree that
``latex_linear`` and ``latex_layout`` draw. pylatexenc leaves ``^``, ``_`` and ``\\left``/``\\right``
to the reader, so they are paired here. Symbols come from :mod:`latex_tables` and, for everything
else, from latex2text's macro table; an unknown command is kept as written (``\\foo``) and reported.

Limits keep hostile input cheap: at most :data:`MAX_SOURCE` characters and :data:`MAX_DEPTH` nested
braces or environments, checked by a linear scan before pylatexenc (which recurses) sees the text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from quizapp.core.text import latex_tables as T
from quizapp.core.text.latex_nodes import (  # noqa: F401  (LatexError is part of this module's API)
    CLOSING,
    OPENING,
    OPS,
    Accent,
    Delim,
    Frac,
    LatexError,
    Row,
    Script,
    Sqrt,
    Sym,
    Marker,
    Table,
    char_kind,
)

MAX_SOURCE = 4000
MAX_DEPTH = 40


@lru_cache(maxsize=1)
def _context():
    """pylatexenc's macro table, plus the argument shapes of commands it does not know."""
    from pylatexenc.latexwalker import get_default_latex_context_db
    from pylatexenc.macrospec import MacroSpec

    db = get_default_latex_context_db()
    extra = {
        "operatorname": "*{", "boldsymbol": "{", "bm": "{", "pmb": "{", "dfrac": "{{", "tfrac": "{{",
        "cfrac": "{{", "binom": "{{", "dbinom": "{{", "tbinom": "{{", "mathop": "{", "boxed": "{",
        "phantom": "{", "hphantom": "{", "vphantom": "{", "overset": "{{", "underset": "{{",
        "stackrel": "{{", "tag": "*{", "mathring": "{", "color": "{", "textcolor": "{{",
        "overbrace": "{", "underbrace": "{",
    }
    db.add_context_category("quizapp", macros=[MacroSpec(n, a) for n, a in extra.items()], prepend=True)
    return db


@lru_cache(maxsize=1)
def _text_symbols():
    """latex2text's macro → text table (``\\alpha`` → α …), the fallback for symbols."""
    from pylatexenc.latex2text import get_default_latex_context_db

    return get_default_latex_context_db()


def check_nesting(src: str) -> None:
    """Raise :class:`LatexError` for text too long or nested too deeply for the recursive parser."""
    if len(src) > MAX_SOURCE:
        raise LatexError(f"too long to render ({len(src):,} characters; the limit is {MAX_SOURCE:,})")
    depth = envs = 0  # open braces, open environments
    i, n = 0, len(src)
    while i < n:
        ch = src[i]
        if ch == "\\":  # a command or an escaped character: \{ is no brace
            if src.startswith("begin", i + 1):
                envs += 1
            elif src.startswith("end", i + 1):
                envs = max(envs - 1, 0)
            i += 2
        else:
            depth += (ch == "{") - (ch == "}")
            i += 1
        if depth + envs > MAX_DEPTH:
            raise LatexError(f"nested too deeply (more than {MAX_DEPTH} levels of braces)")


def parse_latex(src: str) -> tuple[Row, list[str]]:
    """The drawing tree of ``src`` and the problems worth a warning (unknown commands, ``%``).
    Raises :class:`LatexError` when the source cannot be read."""
    check_nesting(src)
    from pylatexenc.latexwalker import LatexWalker, LatexWalkerError

    try:
        nodes, _, _ = LatexWalker(src, latex_context=_context(), tolerant_parsing=False).get_latex_nodes()
    except LatexWalkerError as error:
        raise LatexError(_first_line(error)) from None
    except RecursionError:
        raise LatexError("nested too deeply") from None
    builder = _Builder()
    return builder.row(nodes, 0, top=True), builder.problems


_SAYINGS = (  # pylatexenc's messages, in the words of someone who just wrote the formula
    (re.compile(r"expecting '\}'"), lambda m: "a '{' is never closed"),
    (re.compile(r"mismatching closing brace"), lambda m: "a '}' has no matching '{'"),
    (re.compile(r'arguments of macro "(\w+)"'), lambda m: f"\\{m.group(1)} is missing an argument"),
    (re.compile(r"expecting \\end\{([^}]*)\}"), lambda m: f"\\begin{{{m.group(1)}}} is never ended"),
    (re.compile(r"closing environment: '([^']*)'"), lambda m: f"\\end{{{m.group(1)}}} has no \\begin"),
)


def _first_line(error: Exception) -> str:
    text = str(error).strip().split("\n")[0]
    for pattern, say in _SAYINGS:
        m = pattern.search(text)
        if m:
            return say(m)
    text = text.split(" @(")[0].strip()
    return text[:1].lower() + text[1:] if text else "cannot be read"


class _Builder:
    def __init__(self) -> None:
        self.problems: list[str] = []

    # -- nodes -------------------------------------------------------------------------------
    def row(self, nodes, depth: int, *, text_mode: bool = False, top: bool = False) -> Row:
        if depth > MAX_DEPTH:
            raise LatexError("nested too deeply")
        items: list = []
        for node in nodes or ():
            self._node(node, items, depth, text_mode)
        return _finish(items, top)

    def _arg(self, node, depth: int, *, text_mode: bool = False) -> Row:
        if node is None:
            return Row([])
        if getattr(node, "nodelist", None) is not None and type(node).__name__ == "LatexGroupNode":
            return self.row(node.nodelist, depth + 1, text_mode=text_mode)
        return self.row([node], depth + 1, text_mode=text_mode)

    def _node(self, node, items: list, depth: int, text_mode: bool) -> None:
        kind = type(node).__name__
        if kind == "LatexCharsNode":
            _chars(node.chars, items, text_mode)
        elif kind == "LatexGroupNode":
            group = self.row(node.nodelist, depth + 1, text_mode=text_mode)
            if items and isinstance(items[-1], Sym) and items[-1].kind == "unknown":
                items += [Sym("{"), group, Sym("}", "unknown")]  # \foo{x} is shown as written
            else:
                items.append(group)
        elif kind == "LatexMathNode":
            items.append(self.row(node.nodelist, depth + 1))
        elif kind == "LatexCommentNode":
            self.problems.append("'%' starts a comment in LaTeX: write \\% for a percent sign")
            items.append(Sym("%" + node.comment))
        elif kind == "LatexSpecialsNode":
            chars = node.specials_chars
            if chars == "&":
                items.append(Marker("&"))
            elif chars == "~":
                items.append(Sym(" ", "space"))
            elif set(chars) == {"'"}:
                items.append(Sym("′" * len(chars) if len(chars) != 2 else "″"))
            else:
                _chars(chars, items, text_mode)
        elif kind == "LatexMacroNode":
            self._macro(node, items, depth, text_mode)
        elif kind == "LatexEnvironmentNode":
            items.append(self._environment(node, depth))

    def _macro(self, node, items: list, depth: int, text_mode: bool) -> None:
        name = node.macroname
        args = list(node.nodeargd.argnlist) if node.nodeargd is not None and node.nodeargd.argnlist else []
        post_space = bool(node.macro_post_space)
        present = [a for a in args if a is not None]
        if name == "\\":
            items.append(Marker("\\\\"))
        elif name in ("left", "right"):
            items.append(Marker(name))
        elif name in T.SPACES:
            items.append(Sym(T.SPACES[name], "space"))
        elif name in T.IGNORED:
            pass
        elif name in ("frac", "dfrac", "tfrac", "cfrac"):
            if len(present) < 2:
                raise LatexError(f"\\{name} needs two arguments")
            items.append(Frac(self._arg(present[-2], depth), self._arg(present[-1], depth)))
        elif name in ("binom", "dbinom", "tbinom"):
            if len(present) < 2:
                raise LatexError(f"\\{name} needs two arguments")
            items += [Sym("(", "open"), self._arg(present[0], depth), Sym(" choose ", "word"),
                      self._arg(present[1], depth), Sym(")", "close")]
        elif name == "sqrt":
            if not args or args[-1] is None:
                raise LatexError("\\sqrt needs an argument")
            index = self._arg(args[0], depth) if len(args) > 1 and args[0] is not None else None
            items.append(Sqrt(self._arg(args[-1], depth), index))
        elif name in T.ACCENTS:
            items.append(Accent(self._arg(present[-1] if present else None, depth), T.ACCENTS[name]))
        elif name == "not":
            items.append(Row([self._arg(present[-1] if present else None, depth), Sym("\u0338")]))
        elif name == "operatorname":
            word = _plain(self._arg(present[-1] if present else None, depth, text_mode=True))
            items.append(Sym(word, "word"))
            if post_space:
                items.append(Sym(" ", "space"))
        elif name in T.PLAIN_STYLES:
            items.append(self._arg(present[-1] if present else None, depth, text_mode=name in T.TEXT_MODE))
        elif name in T.LETTER_STYLES:
            body = _plain(self._arg(present[-1] if present else None, depth))
            items.append(Sym("".join(T.styled_letter(name, c) for c in body)))
        elif name in ("overset", "stackrel", "underset"):
            if len(present) < 2:
                raise LatexError(f"\\{name} needs two arguments")
            over, base = self._arg(present[0], depth), self._arg(present[1], depth)
            items.append(Script(base, sub=over) if name == "underset" else Script(base, sup=over))
        elif name in ("xrightarrow", "xleftarrow"):
            arrow = Sym("→" if name == "xrightarrow" else "←", "rel")
            below = self._arg(args[0], depth) if args and args[0] is not None else None
            items.append(Script(arrow, sub=below, sup=self._arg(args[-1] if args else None, depth)))
        elif name in ("overbrace", "underbrace", "textcolor"):
            items.append(self._arg(present[-1] if present else None, depth))
        elif name in T.DROPPED_WITH_ARGUMENT:
            pass
        elif name == "tag":
            items.append(Row([Sym("    (", "space"), self._arg(present[-1] if present else None, depth), Sym(")")]))
        elif name in T.WORDS:
            items.append(Sym(name, "word"))
            if post_space:
                items.append(Sym(" ", "space"))
        elif name in T.BIG_OPERATORS:
            items.append(Sym(T.BIG_OPERATORS[name], "big"))
            if post_space:
                items.append(Sym(" ", "space"))
        else:
            symbol = T.SYMBOLS.get(name)
            if symbol is None:
                symbol = _text_symbol(name)
            if symbol is None:
                self.problems.append(f"unknown command \\{name} (shown as written)")
                items.append(Sym("\\" + name, "unknown"))
                for arg in present:
                    items += [Sym("{"), self._arg(arg, depth), Sym("}", "unknown")]
                if post_space:
                    items.append(Sym(" ", "space"))
                return
            sym_kind = char_kind(symbol) if len(symbol) == 1 else "ord"
            if name in OPENING:
                sym_kind = "open"
            elif name in CLOSING:
                sym_kind = "close"
            items.append(Sym(symbol, sym_kind))
            if post_space and not (symbol[:1].isalpha() or symbol in "∂∇∞ℓħ"):
                items.append(Sym(" ", "space"))

    def _environment(self, node, depth: int):
        name = node.environmentname
        if depth > MAX_DEPTH:
            raise LatexError("nested too deeply")
        items: list = []
        for child in node.nodelist or ():
            self._node(child, items, depth + 1, False)
        rows = _split_rows(items)
        if name in T.MATRIX_BRACKETS:
            left, right = T.MATRIX_BRACKETS[name]
            return Table(rows, "matrix", left, right)
        if name in T.CASES:
            return Table(rows, "cases", "{", "")
        if name not in T.ROW_ENVIRONMENTS:
            self.problems.append(f"unknown environment {name!r} (shown as rows)")
        return Table(rows, "rows")


def _text_symbol(name: str) -> str | None:
    spec = _text_symbols().get_macro_spec(name)
    repl = getattr(spec, "simplify_repl", None) if spec is not None else None
    if isinstance(repl, str) and "%" not in repl:
        return repl
    return None


def _chars(chars: str, items: list, text_mode: bool) -> None:
    i, n = 0, len(chars)
    after_script = False  # the token right after ^ or _ is one character: x^23 is x²3
    while i < n:
        ch = chars[i]
        if ch.isspace():
            if not (items and isinstance(items[-1], Sym) and items[-1].kind == "space"):
                items.append(Sym(" ", "space"))
            i += 1
            continue
        if ch in "^_" and not text_mode:
            items.append(Marker(ch))
            after_script = True
            i += 1
            continue
        if ch.isdigit() and not after_script:
            j = i + 1
            while j < n and (chars[j].isdigit() or (chars[j] == "." and j + 1 < n and chars[j + 1].isdigit())):
                j += 1
            items.append(Sym(chars[i:j], "num"))
            i = j
            continue
        after_script = False
        if text_mode:
            items.append(Sym(ch))
        elif ch == "'":
            items.append(Sym("′"))
        elif ch in OPS:
            items.append(Sym(OPS[ch], "op"))
        else:
            items.append(Sym(ch, char_kind(ch)))
        i += 1


def _plain(row: Row) -> str:
    """The text of a row of plain symbols (for \\operatorname and letter styles)."""
    out = []
    for item in row.items:
        if isinstance(item, Sym):
            out.append(item.text)
        elif isinstance(item, Row):
            out.append(_plain(item))
    return "".join(out).strip()


def _split_rows(items: list) -> list[list[Row]]:
    rows: list[list[Row]] = [[Row([])]]
    for item in items:
        if isinstance(item, Marker) and item.what == "\\\\":
            rows.append([Row([])])
        elif isinstance(item, Marker) and item.what == "&":
            rows[-1].append(Row([]))
        else:
            rows[-1][-1].items.append(item)
    if len(rows) > 1 and not any(_has_content(c) for c in rows[-1]):
        rows.pop()  # a trailing \\ ends the last row, it does not start one
    return [[_finish(cell.items, False) for cell in row] for row in rows]


def _has_content(row: Row) -> bool:
    return any(not (isinstance(i, Sym) and i.kind == "space") for i in row.items)


def _finish(items: list, top: bool) -> Row:
    """Pair ``\\left``/``\\right``, attach scripts; at the top, ``&`` and ``\\\\`` make rows."""
    if top and any(isinstance(i, Marker) and i.what in ("&", "\\\\") for i in items):
        return Row([Table(_split_rows(items), "rows")])
    items = _delimiters(items)
    return Row(_scripts(items))


def _delimiters(items: list) -> list:
    out: list = []
    opened: list[tuple[int, str]] = []
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, Marker) and item.what in ("left", "right"):
            j = i + 1
            while j < len(items) and isinstance(items[j], Sym) and items[j].kind == "space":
                j += 1
            delim = items[j].text if j < len(items) and isinstance(items[j], Sym) else ""
            delim = "" if delim == "." else delim
            if item.what == "left":
                opened.append((len(out), delim))
            elif opened:
                start, left = opened.pop()
                body = Row(_scripts(out[start:]))
                del out[start:]
                out.append(Delim(left, body, delim))
            else:
                out.append(Sym(delim, "close"))
            i = j + 1
            continue
        out.append(item)
        i += 1
    for start, left in reversed(opened):  # \left without \right: the delimiter alone
        out.insert(start, Sym(left, "open"))
    return out


def _scripts(items: list) -> list:
    out: list = []
    i, n = 0, len(items)
    while i < n:
        item = items[i]
        if isinstance(item, Marker) and item.what in ("^", "_"):
            j = i + 1
            while j < n and isinstance(items[j], Sym) and items[j].kind == "space":
                j += 1
            if j >= n or isinstance(items[j], Marker):
                raise LatexError(f"'{item.what}' needs something after it")
            arg = items[j] if isinstance(items[j], Row) else Row([items[j]])
            base = out.pop() if out and not (isinstance(out[-1], Sym) and out[-1].kind == "space") else Sym("")
            script = base if isinstance(base, Script) else Script(base)
            slot = "sup" if item.what == "^" else "sub"
            if getattr(script, slot) is not None:
                raise LatexError("double superscript" if slot == "sup" else "double subscript")
            setattr(script, slot, arg)
            out.append(script)
            i = j + 1
            continue
        if isinstance(item, Marker):  # a stray & or \\ inside a group
            out.append(Sym(" ", "space"))
        else:
            out.append(item)
        i += 1
    return out
