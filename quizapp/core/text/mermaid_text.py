"""A Mermaid flowchart as plain text: the terminal cannot draw it, so the notes viewer shows its
nodes and arrows as an indented tree instead of the Mermaid source.

    ReLU vs Leaky ReLU
    ├─▶ ReLU: max(0,z)
    │   └─▶ z ≤ 0?
    │       ├─ Yes ▶ Output: 0

Only ``flowchart``/``graph`` diagrams are drawn, from the arrows between nodes (``A[label] -->|text| B{label}``);
style, class and subgraph lines are skipped. Other diagram kinds (and anything unreadable) give
None, and the viewer says "diagram" with the source left out. Bounded: at most :data:`MAX_NODES`
nodes are drawn, a node reached twice is drawn once and then named "(see above)", so a cycle or a
hostile diagram cannot make the text grow past the input's size times a small factor.
"""

from __future__ import annotations

import re

MAX_NODES = 200
MAX_LINES = 400
MAX_INDENT = 32  # a long chain stops indenting here

_NODE = r"([A-Za-z0-9_]+)\s*(\[\[.*?\]\]|\[\(.*?\)\]|\(\(.*?\)\)|\[.*?\]|\(.*?\)|\{\{.*?\}\}|\{.*?\}|>.*?\])?"
_ARROW = r"\s*(-->|---|-\.->|==>|-\.-|===|--[ox]|<-->)\s*(?:\|([^|]*)\|\s*)?"
_EDGE = re.compile(_NODE + _ARROW + _NODE)
_HEAD = re.compile(r"^\s*(flowchart|graph)\b", re.IGNORECASE)
_SKIP = re.compile(r"^\s*(style|classDef|class|linkStyle|click|subgraph|end|direction|%%)\b")
_LABEL_EDGES = re.compile(r"^[\[\(\{>]+|[\]\)\}]+$")


def diagram_kind(source: str) -> str:
    """The diagram's first word (``flowchart``, ``sequenceDiagram``, …), or "diagram"."""
    for line in source.splitlines():
        if line.strip() and not line.strip().startswith("%%"):
            return line.split()[0][:40]
    return "diagram"


def _label(shape: str | None) -> str | None:
    if not shape:
        return None
    text = _LABEL_EDGES.sub("", shape.strip()).strip().strip('"').strip()
    return text or None


def flowchart_text(source: str) -> str | None:
    """The flowchart as an indented tree of its arrows, or None if it is not a flowchart with arrows."""
    lines = source.splitlines()
    if not lines or not _HEAD.match(next((x for x in lines if x.strip()), "")):
        return None
    labels: dict[str, str] = {}
    edges: dict[str, list[tuple[str, str]]] = {}
    order: list[str] = []
    targets: set[str] = set()

    def node(name: str, shape: str | None) -> str:
        if name not in labels:
            if len(labels) >= MAX_NODES:
                return name
            labels[name] = name
            order.append(name)
        label = _label(shape)
        if label:
            labels[name] = label
        return name

    first = next(k for k, x in enumerate(lines) if x.strip())
    head, _, rest_of_head = lines[first].partition(";")  # graph LR; A-->B on one line
    for line in [rest_of_head, *lines[first + 1:]]:
        if _SKIP.match(line) or not line.strip():
            continue
        for chain in line.split(";"):
            rest = chain.strip()
            # a chain A --> B --> C: take one arrow at a time, the target starts the next one
            while rest:
                match = _EDGE.match(rest)
                if match is None:
                    lone = re.match(_NODE + r"\s*$", rest)
                    if lone:
                        node(lone.group(1), lone.group(2))
                    break
                a = node(match.group(1), match.group(2))
                b = node(match.group(5), match.group(6))
                edges.setdefault(a, []).append((b, (match.group(4) or "").strip()))
                targets.add(b)
                rest = rest[match.start(5):]
                if _EDGE.match(rest) is None:
                    break
    if not edges:
        return None
    out: list[str] = []
    seen: set[str] = set()

    def walk(name: str, prefix: str, lead: str) -> None:
        if len(out) >= MAX_LINES:
            return
        if name in seen:
            out.append(f"{lead}{labels.get(name, name)} (see above)")
            return
        seen.add(name)
        out.append(f"{lead}{labels.get(name, name)}")
        children = edges.get(name, [])
        for k, (child, text) in enumerate(children):
            last = k == len(children) - 1
            arrow = f"─ {text} ▶ " if text else "─▶ "
            deeper = prefix + ("    " if last else "│   ") if len(prefix) < MAX_INDENT else prefix
            stack.append((child, deeper, prefix + ("└" if last else "├") + arrow))

    stack: list[tuple[str, str, str]] = []
    for root in [n for n in order if n not in targets] + order:
        if root in seen:
            continue
        stack.append((root, "", ""))
        while stack:  # depth first, without recursion (a long chain must not hit the recursion limit)
            name, prefix, lead = stack.pop()
            before = len(stack)
            walk(name, prefix, lead)
            stack[before:] = reversed(stack[before:])
    if len(out) >= MAX_LINES:
        out.append("…")
    return "\n".join(out)


def diagram_as_text(source: str) -> str:
    """What the notes viewer shows for a ```mermaid block: a first line saying it is a diagram, then
    the flowchart as text (or a line saying where to see a kind it cannot draw)."""
    kind = diagram_kind(source)
    drawn = flowchart_text(source)
    if drawn is None:
        return f"Diagram ({kind}): not drawn in the terminal; open the deck file in a Markdown viewer to see it."
    return f"Diagram ({kind}):\n\n{drawn}"
