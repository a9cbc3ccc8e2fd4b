"""Mermaid in the notes: a flowchart becomes an indented tree of its arrows; anything else is named."""

from __future__ import annotations

import time

from quizapp.core.text.mermaid_text import MAX_LINES, diagram_as_text, flowchart_text
from quizapp.core.text.notes_fences import prepare_fences

FLOW = """flowchart TD
    A[ReLU vs Leaky ReLU] --> B[ReLU]
    A --> C[Leaky ReLU]
    B --> D{z ≤ 0?}
    D -->|Yes| E[Output: 0]
    D -->|No| F[Output: z]
    style E fill:#FFB6C1
"""


def test_a_flowchart_is_drawn_as_a_tree_with_labels_and_edge_texts():
    assert flowchart_text(FLOW) == (
        "ReLU vs Leaky ReLU\n"
        "├─▶ ReLU\n"
        "│   └─▶ z ≤ 0?\n"
        "│       ├─ Yes ▶ Output: 0\n"
        "│       └─ No ▶ Output: z\n"
        "└─▶ Leaky ReLU")


def test_chains_cycles_and_shared_nodes_are_drawn_once():
    assert flowchart_text("graph LR; A-->B-->C; C-->A") == "A\n└─▶ B\n    └─▶ C\n        └─▶ A (see above)"


def test_other_diagrams_are_named_not_shown_as_source():
    text = diagram_as_text("sequenceDiagram\n  Alice->>Bob: hi")
    assert text.startswith("Diagram (sequenceDiagram): not drawn") and "Alice" not in text


def test_a_huge_chain_is_bounded_and_linear():
    source = "flowchart TD\n" + "\n".join(f"n{i} --> n{i + 1}" for i in range(20_000))
    start = time.perf_counter()
    text = flowchart_text(source)
    assert time.perf_counter() - start < 2
    assert len(text.splitlines()) <= MAX_LINES + 1 and max(len(x) for x in text.splitlines()) < 60


def test_notes_fences_replace_mermaid_and_name_plain_blocks_text():
    notes = "# T\n\n```\nf(z)\n```\n\n```mermaid\nflowchart TD\nA-->B\n```\n\nafter"
    assert prepare_fences(notes) == "# T\n\n```text\nf(z)\n```\n\n```text\nDiagram (flowchart):\n\nA\n└─▶ B\n```\n\nafter"
