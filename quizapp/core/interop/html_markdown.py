"""A small HTML → Markdown converter for imported notes and Anki fields (standard library only).

Two modes:

* ``html_to_markdown(html)``: the input is HTML (an Anki field, a ``<div>`` block); text is escaped
  for Markdown and whitespace collapsed, as a browser would.
* ``html_to_markdown(text, markdown=True)``: the input is Markdown with HTML bits in it (community
  notes: ``<b>``, ``<br>``, ``<img>``); only the tags are converted, the text is kept as written.

Bold, italics, strikethrough, code, links, lists, quotes, ``<pre>`` and simple tables are kept;
images become links (``[Image: alt](src)``: media files are not imported); scripts, styles and
comments are dropped; any other tag is dropped and its text kept. ``headings=False`` turns headings
into bold paragraphs and drops ``<hr>`` (both would end a Q&A answer in a deck).

Elements nested deeper than ``MAX_DEPTH`` are flattened: their tags are dropped and their text kept
in place (a dropped ``<script>``'s text too is dropped). The tree, and so the recursive renderer,
never gets deeper than that, whatever the input (500 nested ``<div>`` used to hit Python's recursion
limit), and the builder's per-tag work stays bounded.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = frozenset(["br", "img", "hr", "input", "meta", "link", "source", "wbr", "col", "area", "base", "embed", "param", "track"])
DROP = frozenset(["script", "style", "head", "title", "noscript", "template", "svg", "math", "button", "select"])
BLOCK = frozenset(
    ["p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "center", "figure", "figcaption", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "hr", "details", "summary", "dl", "dt", "dd", "form", "fieldset", "address", "html", "body"]
)
MAX_DEPTH = 48  # elements below this depth are flattened (the renderer takes ~3 frames per level)
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "cite": "*", "dfn": "*", "s": "~~", "del": "~~",
          "strike": "~~"}
_BR = "\x01"  # a <br> while inline text is assembled
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_LINE_START = re.compile(r"^(\s*)(?:(\d{1,9})([.)])(?=\s|$)|(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|=+\s*$|-{2,}|_{3,}"
                         r"|`{3,}|~{3,}|\|))")
_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])|[*`]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|<(?=[A-Za-z/!?])")


class Node:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: dict[str, str] | None = None) -> None:
        self.tag = tag
        self.attrs = attrs or {}
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else ("\n" if c.tag == "br" else c.text()) for c in self.children)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]
        self.flattened: dict[str, int] = {}  # tag → how many of its elements are open, flattened
        self.dropping = 0  # open flattened DROP elements (<script> …): their text is ignored

    def _close_implied(self, tag: str) -> None:
        tags = [n.tag for n in self.stack]
        if tag == "li" and "li" in tags:
            self._pop_to("li", stop=("ul", "ol"))
        elif tag in ("td", "th"):
            self._pop_to("td", stop=("tr", "table"))
            self._pop_to("th", stop=("tr", "table"))
        elif tag == "tr":
            self._pop_to("tr", stop=("table",))
        elif tag in BLOCK and self.stack[-1].tag == "p":
            self.stack.pop()

    def _pop_to(self, tag: str, stop: tuple[str, ...] = ()) -> None:
        for k in range(len(self.stack) - 1, 0, -1):
            if self.stack[k].tag in stop:
                return
            if self.stack[k].tag == tag:
                del self.stack[k:]
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID and len(self.stack) > MAX_DEPTH:  # too deep: keep the text, not the tag
            self.flattened[tag] = self.flattened.get(tag, 0) + 1
            self.dropping += tag in DROP
            return
        self._close_implied(tag)
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if self.flattened.get(tag):
            self.flattened[tag] -= 1
            self.dropping -= tag in DROP
            return
        if tag == "p" and not any(n.tag == "p" for n in self.stack):
            self.stack[-1].children.append(Node("br"))  # a stray </p> still breaks the line
            return
        self._pop_to(tag)

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def escape_text(text: str) -> str:
    """Plain text made safe to read as Markdown (emphasis, code, HTML, cloze braces)."""
    return _ESCAPE.sub(lambda m: "\\" + m.group() if m.group() != "<" else "&lt;", text).replace("{{", "{\\{")


def escape_line_starts(text: str) -> str:
    """Escape what would start a block (heading, quote, list, table) at the start of a line."""
    def fix(m: re.Match) -> str:
        if m.group(2):  # "1." → "1\." (a backslash before a digit is no escape)
            return f"{m.group(1)}{m.group(2)}\\{m.group(3)}"
        return f"{m.group(1)}\\{m.group(4)}"

    return "\n".join(_LINE_START.sub(fix, line, count=1) for line in text.split("\n"))


def code_span(text: str) -> str:
    text = text.replace("\n", " ")
    runs = [len(r) for r in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _wrap(inner: str, mark: str) -> str:
    m = re.match(r"(\s*)(.*?)(\s*)\Z", inner, re.DOTALL)
    lead, core, trail = m.group(1), m.group(2), m.group(3)
    return f"{lead}{mark}{core}{mark}{trail}" if core else inner


class _Renderer:
    def __init__(self, markdown: bool, headings: bool) -> None:
        self.markdown = markdown  # text is Markdown already: keep it as written
        self.headings = headings
        self.marks: set[str] = set()  # emphasis marks open around the inline text being rendered

    # ---- inline -----------------------------------------------------------------------------
    def inline(self, nodes: list[Node | str]) -> str:
        return "".join(self._inline(n) for n in nodes)

    def _inline(self, n: Node | str) -> str:
        if isinstance(n, str):
            return n if self.markdown else escape_text(_SPACE.sub(" ", n))
        tag = n.tag
        if tag in DROP:
            return ""
        if tag == "br":
            return _BR
        if tag == "img":
            return image_link(n.attrs.get("alt", ""), n.attrs.get("src", ""))
        if tag in ("code", "kbd", "tt", "samp", "var"):
            return code_span(n.text())
        mark = _MARKS.get(tag)
        if mark is not None:
            if mark in self.marks:  # bold inside bold is just bold: "****x****" would mean something else
                return self.inline(n.children)
            self.marks.add(mark)
            try:
                return _wrap(self.inline(n.children), mark)
            finally:
                self.marks.discard(mark)
        inner = self.inline(n.children)
        if tag == "sup":
            return "^" + inner
        if tag == "a":
            href = n.attrs.get("href", "").strip()
            if not href or href.startswith(("#", "javascript:")) or not inner.strip():
                return inner
            return f"[{inner}]({href.replace(' ', '%20').replace(')', '%29')})"
        if tag in BLOCK:  # a block inside inline content (e.g. in a table cell): its text, spaced
            return f" {inner} "
        return inner

    # ---- blocks -----------------------------------------------------------------------------
    def blocks(self, nodes: list[Node | str]) -> list[str]:
        out: list[str] = []
        buf: list[Node | str] = []

        def flush() -> None:
            if buf:
                out.extend(self._paragraphs(self.inline(buf)))
                buf.clear()

        for n in nodes:
            if isinstance(n, str) or n.tag not in BLOCK:
                buf.append(n)
            else:
                flush()
                out.extend(self._block(n))
        flush()
        return out

    def _paragraphs(self, text: str) -> list[str]:
        """Inline text with <br> marks → paragraphs (one <br>: a hard line break; two: a new paragraph)."""
        if self.markdown:
            text = re.sub(rf"[ \t]*{_BR}[ \t]*\n?", _BR, text)
            lines = text.replace("\n", _BR + "\x02").split(_BR)
        else:
            lines = text.split(_BR)
        paras: list[list[str]] = [[]]
        for line in lines:
            soft = line.startswith("\x02")
            line = line.lstrip("\x02")
            stripped = line.strip()
            if not stripped:
                if paras[-1]:
                    paras.append([])
                continue
            if soft and paras[-1]:
                paras[-1][-1] += "\n" + (line.rstrip() if self.markdown else stripped)
            else:
                paras[-1].append(line.rstrip() if self.markdown else stripped)
        result = []
        for p in paras:
            if p:
                text = "\\\n".join(p)
                result.append(text if self.markdown else escape_line_starts(text))
        return result

    def _block(self, n: Node) -> list[str]:
        tag = n.tag
        if tag in DROP:
            return []
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = " ".join(self.inline(n.children).replace(_BR, " ").split())
            if not text:
                return []
            return [f"{'#' * int(tag[1])} {text}" if self.headings else _wrap(text, "**")]
        if tag == "hr":
            return ["---"] if self.headings else []
        if tag == "pre":
            return [fence(n.text().strip("\n"), _language(n))]
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(n.children))
            return ["\n".join("> " + line if line else ">" for line in inner.split("\n"))] if inner else []
        if tag in ("ul", "ol"):
            return self._list(n)
        if tag == "table":
            return self._table(n)
        if tag in ("summary", "dt"):
            text = " ".join(self.inline(n.children).replace(_BR, " ").split())
            return [_wrap(text, "**")] if text else []
        return self.blocks(n.children)

    def _list(self, n: Node) -> list[str]:
        ordered = n.tag == "ol"
        start = int(n.attrs.get("start", "1")) if n.attrs.get("start", "1").isdigit() else 1
        items = []
        number = start
        for child in n.children:
            if isinstance(child, str):
                if child.strip():
                    items.append(("- ", self._paragraphs(self.inline([child]))))
                continue
            parts = self.blocks(child.children if child.tag == "li" else [child])
            marker = f"{number}. " if ordered else "- "
            number += 1
            items.append((marker, parts))
        lines = []
        for marker, parts in items:
            body = "\n".join(parts) if parts else ""
            pad = " " * len(marker)
            body_lines = body.split("\n")
            lines.append(marker + body_lines[0])
            lines.extend(pad + line if line else "" for line in body_lines[1:])
        return ["\n".join(lines)] if lines else []

    def _table(self, n: Node) -> list[str]:
        rows: list[list[str]] = []

        def walk(node: Node) -> None:
            for c in node.children:
                if isinstance(c, Node):
                    if c.tag == "tr":
                        cells = [c2 for c2 in c.children if isinstance(c2, Node) and c2.tag in ("td", "th")]
                        rows.append([_cell(self.inline(x.children)) for x in cells])
                    elif c.tag in ("thead", "tbody", "tfoot"):
                        walk(c)

        walk(n)
        rows = [r for r in rows if any(r)]
        if not rows:
            return []
        if len(rows) == 1:
            return ["  \n".join(x for x in rows[0] if x)]
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join("---" for _ in range(width)) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return ["\n".join(lines)]


def _cell(text: str) -> str:
    text = " ".join(text.replace(_BR, " ").split())
    return re.sub(r"(?<!\\)\|", r"\\|", text)


def _language(n: Node) -> str:
    for node in [n, *(c for c in n.children if isinstance(c, Node) and c.tag == "code")]:
        for cls in node.attrs.get("class", "").split():
            for prefix in ("language-", "lang-"):
                if cls.startswith(prefix):
                    return cls[len(prefix):]
    return ""


def fence(code: str, info: str = "") -> str:
    runs = [len(r) for r in re.findall(r"^\s*(`{3,})", code, re.MULTILINE)]
    marks = "`" * max(3, max(runs, default=0) + 1)
    info = "" if "`" in info else info.split("\n")[0]  # a backtick fence's info may not hold backticks
    return f"{marks}{info}\n{code}\n{marks}"


def image_link(alt: str, src: str) -> str:
    """An image as a link (media files are not imported); data: URIs are dropped."""
    alt = " ".join(alt.split())
    label = f"Image: {alt}" if alt else "Image"
    src = src.strip()
    if not src or src.startswith("data:"):
        return f"[{label}]"
    return f"[{label}]({src.replace(' ', '%20')})"


def html_to_markdown(html: str, *, markdown: bool = False, headings: bool = False) -> str:
    """Markdown for ``html`` (see the module docstring); blocks are separated by blank lines."""
    root = parse_html(html)
    return "\n\n".join(b for b in _Renderer(markdown, headings).blocks(root.children) if b.strip()).strip()


_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)


def convert_inline_markdown(text: str) -> str:
    """Markdown with HTML bits and images → Markdown: tags converted, images made links, ``{{``
    escaped; code spans are left exactly as written."""
    spans: list[str] = []

    def keep(m: re.Match) -> str:
        spans.append(m.group())
        return f"\x03{len(spans) - 1}\x03"

    text = _CODE_SPAN.sub(keep, text)
    text = _MD_IMAGE.sub(lambda m: image_link(m.group(1), m.group(2)), text)
    if _TAG.search(text):
        text = html_to_markdown(text, markdown=True)
    text = text.replace("{{", "{\\{")
    return re.sub("\x03(\\d+)\x03", lambda m: spans[int(m.group(1))], text)
