"""What the card browser's detail pane shows for one card: its facts and text, and its history."""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text

from quizapp.core.study.browse import KIND_SHORT, BrowseRow, history_lines, local_time, relative_due
from quizapp.core.text.safe import visible_controls
from quizapp.ui.widgets.card_text import inline_markdown

STATUS_STYLES = {
    "new": "blue", "learning": "red", "relearning": "red", "review": "green",
    "suspended": "yellow", "buried": "dim", "leech": "bold red",
}
GRADE_STYLES = {"Again": "red", "Hard": "yellow", "Good": "green", "Easy": "blue"}


def card_detail(row: BrowseRow, tz: tzinfo | None, now: datetime) -> Text:
    """Kind, deck, file:line and tags; state, lapses, reviews and due date; then front, back, note."""
    card = row.card
    head = Text()
    head.append(KIND_SHORT.get(card.kind, str(card.kind)), style="bold")
    head.append(f"  ·  {visible_controls(card.deck)}")
    if card.section:
        head.append(f"  ·  {visible_controls(card.section)}")
    head.append(f"\n{visible_controls(Path(card.file).name)}:{card.line}", style="dim")
    if card.tags:
        head.append(f"  ·  tags: {visible_controls(', '.join(card.tags))}", style="dim")
    facts = Text("\n\n")
    for i, flag in enumerate(row.flags()):
        facts.append(" · " if i else "")
        facts.append(flag, style=STATUS_STYLES.get(flag, ""))
    facts.append(f"  ·  {row.lapses} lapse{'s' if row.lapses != 1 else ''}"
                 f" · {row.reps} review{'s' if row.reps != 1 else ''}")
    if row.due is not None:
        facts.append(f"\ndue {local_time(row.due, tz)} ({relative_due(row.due, now)})",
                     style="dim" if row.suspended else "")
    if row.buried and row.record is not None and row.record.buried_until is not None:
        facts.append(f"  ·  buried until {local_time(row.record.buried_until, tz)}")
    back = inline_markdown(card.back)
    if card.choices:
        back = Text()
        for i, choice in enumerate(card.choices):
            back.append("\n" if i else "")
            back.append("✓ " if choice.correct else "  ", style="green")
            back.append_text(inline_markdown(choice.text))
    out = Text()
    for part in (head, facts, Text("\n\nFront\n", style="bold underline"), inline_markdown(card.front),
                 Text("\n\nBack\n", style="bold underline"), back):
        out.append_text(part)
    if card.note:
        out.append("\n")
        out.append_text(inline_markdown(card.note, "dim italic"))
    return out


def history_table(entries, tz: tzinfo | None) -> Group:
    """The card's log, newest last; undone events struck through."""
    lines = history_lines(entries, tz)
    title = Text("\nHistory", style="bold underline")
    if not lines:
        return Group(title, Text("Never reviewed.", style="dim"))
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="dim", expand=False)
    table.add_column("When", no_wrap=True)
    table.add_column("Event", no_wrap=True)
    table.add_column("Next", no_wrap=True, justify="right")
    table.add_column("Took", no_wrap=True, justify="right")
    table.add_column("")
    for line in lines:
        style = "dim strike" if line.undone else ""
        table.add_row(Text(line.when, style=style or "dim"),
                      Text(line.event, style=style or GRADE_STYLES.get(line.event, "")),
                      Text(line.interval, style=style), Text(line.duration, style=style),
                      Text(line.detail + ("  (undone)" if line.undone else ""), style="dim"))
    return Group(title, table)
