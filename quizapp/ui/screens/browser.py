"""The card browser: search and filter every card, see its state and full history, and suspend,
unsuspend, bury, reset or edit it. Filtering and history formatting live in ``core/study/browse.py``.

Keys that act on a card are bound on the table only, so typing in the search box never triggers
them; Enter in the search box (or ↓, or Esc) moves to the table.

The first frame has the filters and an empty table saying "Loading cards…"; a thread reads every
card's state and renders the fronts' Markdown, and the rows are filled in when it is done (``loaded``).
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from quizapp.core.study.browse import (
    KIND_SHORT,
    STATES,
    BrowseFilter,
    BrowseRow,
    all_tags,
    build_rows,
    filter_rows,
    one_line,
    relative_due,
)
from quizapp.core.content.model import Card
from quizapp.core.text.safe import visible_controls
from quizapp.ui.screens.browser_actions import CardActions
from quizapp.ui.screens.browser_detail import STATUS_STYLES, card_detail, history_table
from quizapp.ui.widgets.card_text import inline_markdown

NARROW = 90  # below this width the deck column is left out (the detail pane names the deck)


def front_line(card: Card) -> str:
    """A card's front as one plain line (its Markdown rendered), for the table's Front column."""
    return inline_markdown(one_line(card.front, 500)).plain


class CardTable(DataTable):
    """The list of matching cards. Its keys act on the highlighted card."""

    BINDINGS = [
        Binding("s", "screen.toggle_suspend", "Suspend",
                tooltip="Suspend the highlighted card (it leaves reviews), or unsuspend it"),
        Binding("b", "screen.toggle_bury", "Bury",
                tooltip="Bury the highlighted card until tomorrow, or unbury it"),
        Binding("r", "screen.reset", "Reset",
                tooltip="Forget the card's scheduling: it becomes new (logged; its history stays)"),
        Binding("e", "screen.edit", "Edit",
                tooltip="Open the deck file in $EDITOR at this card; the deck reloads afterwards"),
        Binding("u", "screen.undo", "Undo",
                tooltip="Undo the last suspend, bury or reset made in this browser"),
        Binding("slash", "screen.focus_search", "Search", key_display="/",
                tooltip="Type in the search box (Enter or ↓ comes back to the table)"),
    ]

    def on_key(self, event: events.Key) -> None:
        """After ``/`` every character goes to the search box, even those that arrive before the
        focus has moved there: ``/flats`` typed fast must search, not suspend a card."""
        screen = self.screen
        if not isinstance(screen, BrowserScreen):
            return
        char = event.character
        if event.key == "slash" and not screen.typing_search:
            # handled here, not by the binding: bindings run only once the key has bubbled up,
            # after this widget has already taken the keys queued behind it
            event.stop()
            event.prevent_default()
            screen.action_focus_search()
        elif screen.typing_search and char and char.isprintable() and event.key not in ("enter", "tab"):
            event.stop()
            event.prevent_default()
            screen.type_into_search(char)


class BrowserScreen(CardActions, Screen):
    DEFAULT_CSS = """
    #browser {
        padding: 0 1;
    }
    #browse-filters {
        height: 3;
    }
    #browse-search {
        width: 1fr;
    }
    #browse-filters Select {
        width: 17;
    }
    #browse-deck > SelectOverlay {
        width: 32;
    }
    #browse-count {
        height: 1;
        padding: 0 1;
    }
    #browse-table {
        height: auto;
        max-height: 50%;
    }
    #browse-detail {
        height: 1fr;
        border-top: solid $primary;
        padding: 0 1;
    }
    #browse-detail:focus {
        border-top: thick $accent;
    }
    """

    BINDINGS = [
        Binding("escape", "leave", "Home", tooltip="Back to Home (from the search box: to the list)"),
        Binding("ctrl+f", "focus_search", "Search", show=False,
                tooltip="Type in the search box (Enter or ↓ comes back to the table)"),
        Binding("down", "focus_table", "Cards", show=False, tooltip="From the search box: to the table"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, BrowseRow] = {}  # every card, by key
        self._shown: list[str] = []  # keys in the table, in order
        self._undo: list[int] = []  # event ids this browser wrote, newest last
        self._narrow: bool | None = None
        self._front_width = 40
        self._count = Text("Loading cards…", style="dim")
        self._fronts: dict[str, str] = {}  # key → the front's Markdown as one plain line
        self.loaded = False
        self.typing_search = False  # keys reaching the list go to the search box until it has focus

    def compose(self) -> ComposeResult:
        app = self.app
        cards = app.study.cards()
        deck_options = [(visible_controls(d.title), d.id) for d in app.study.decks]
        yield Header()
        with Vertical(id="browser"):
            with Horizontal(id="browse-filters"):
                yield Input(placeholder="Search…", id="browse-search", select_on_focus=False)
                yield Select([(visible_controls(t), t) for t in all_tags(cards)], prompt="Any tag",
                             id="browse-tag")
                yield Select(deck_options, prompt="Any deck", id="browse-deck")
                yield Select([(s, s) for s in STATES], prompt="Any state", id="browse-state")
            yield Static(id="browse-count")
            yield CardTable(id="browse-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="browse-detail"):
                yield Static(id="browse-card")
                yield Static(id="browse-history")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Browse cards"
        self.query_one("#browse-search", Input).tooltip = "Words that must all appear in the front or back"
        self.query_one("#browse-tag", Select).tooltip = "Only cards with this tag"
        self.query_one("#browse-deck", Select).tooltip = "Only cards of this deck"
        self.query_one("#browse-state", Select).tooltip = (
            "new / learning / review / relearning: the schedule (suspended cards included); "
            "suspended, buried, leech: flags")
        self.query_one(CardTable).focus()
        self._update_count()
        self.call_after_refresh(self.reload)

    def on_resize(self) -> None:
        self._layout_columns()

    # ---- data ----------------------------------------------------------------------------------

    @property
    def table(self) -> CardTable:
        return self.query_one(CardTable)

    def current_filter(self) -> BrowseFilter:
        def value(selector: str) -> str | None:
            v = self.query_one(selector, Select).value
            return None if v is Select.NULL else str(v)

        return BrowseFilter(self.query_one("#browse-search", Input).value, value("#browse-tag"),
                            value("#browse-deck"), value("#browse-state"))

    class Rows(Message):
        def __init__(self, rows: list[BrowseRow], fronts: dict[str, str]) -> None:
            super().__init__()
            self.rows, self.fronts = rows, fronts

    def reload(self) -> None:
        """Read every card's state again (in a thread) and show the matching rows."""
        self._read_rows()

    @work(thread=True, exclusive=True, group="load")
    def _read_rows(self) -> None:
        study = self.app.study
        cards = study.cards()
        states = study.collection.states(c.key for c in cards)
        rows = build_rows(cards, states, study.now(), study.config.leech_threshold)
        self.post_message(self.Rows(rows, {c.key: front_line(c) for c in cards}))

    @on(Rows)
    def _rows_read(self, message: Rows) -> None:
        self._rows = {r.key: r for r in message.rows}
        self._fronts = message.fronts
        self.loaded = True
        self.apply_filter()

    def apply_filter(self) -> None:
        self._shown = [r.key for r in filter_rows(self._rows.values(), self.current_filter())]
        self._fill_table()

    def _refresh_row(self, key: str) -> None:
        """Re-read one card after an action; it stays listed (like Anki) until the filter changes."""
        study = self.app.study
        card = study.card(key)
        if card is None:
            return
        (row,) = build_rows([card], study.collection.states([key]), study.now(), study.config.leech_threshold)
        self._rows[key] = row
        self._fronts[key] = front_line(card)
        table = self.table
        if key in self._shown:
            for column, value in self._cells(row).items():
                table.update_cell(key, column, value)
        self._show_detail(key)

    # ---- table -----------------------------------------------------------------------------------

    def _layout_columns(self) -> None:
        width = self.size.width or 100
        narrow = width < NARROW
        # the other columns and their padding, the front's padding, the screen's padding, the scrollbar
        fixed = (0 if narrow else 12 + 2) + (8 + 2) + (10 + 2) + (9 + 2) + (4 + 2) + (4 + 2) + 2 + 2 + 2
        front_width = max(16, width - fixed)
        if narrow == self._narrow and front_width == self._front_width:
            return
        self._narrow, self._front_width = narrow, front_width
        table = self.table
        table.clear(columns=True)
        if not narrow:
            table.add_column("Deck", key="deck", width=12)
        table.add_column("Kind", key="kind", width=8)
        table.add_column("Front", key="front", width=front_width)
        table.add_column("State", key="state", width=10)
        table.add_column("Due", key="due", width=9)
        table.add_column("Laps", key="lapses", width=4)
        table.add_column("Revs", key="reps", width=4)
        self._fill_table()

    def _cells(self, row: BrowseRow) -> dict[str, Text]:
        now = self.app.study.now()
        cells = {
            "kind": Text(KIND_SHORT.get(row.card.kind, str(row.card.kind)), style="dim"),
            "front": Text(one_line(self._fronts.get(row.key) or front_line(row.card), self._front_width)),
            "state": Text(row.status, style=STATUS_STYLES.get(row.status, "")),
            "due": Text(relative_due(row.due, now) if not row.suspended else "—", style="dim" if row.suspended else ""),
            "lapses": Text(str(row.lapses), style="bold red" if row.leech else ("" if row.lapses else "dim"),
                           justify="right"),
            "reps": Text(str(row.reps), style="" if row.reps else "dim", justify="right"),
        }
        if not self._narrow:
            cells = {"deck": Text(one_line(row.card.deck, 12), style="dim"), **cells}
        return cells

    def _fill_table(self) -> None:
        table = self.table
        if not table.columns:
            self._layout_columns()
            return
        highlighted = self.highlighted_key()
        cursor = table.cursor_row
        table.clear()
        for key in self._shown:
            cells = self._cells(self._rows[key])
            table.add_row(*(cells[str(c.value)] for c in table.columns), key=key)
        if self._shown:
            row = self._shown.index(highlighted) if highlighted in self._shown else min(cursor, len(self._shown) - 1)
            table.move_cursor(row=max(row, 0))
        total = len(self._rows)
        if not self.loaded and not total:
            return
        self._count = Text(f"{len(self._shown)} of {total} card{'s' if total != 1 else ''}", style="bold")
        self._update_count()
        self._show_detail(self.highlighted_key())

    def _update_count(self) -> None:
        out = self._count.copy()
        if isinstance(self.focused, Input):
            out.append("   Enter or ↓: to the list, where s b r e u act on the card", style="dim")
        elif isinstance(self.focused, CardTable):
            out.append("   / search · Tab: filters, details · Esc: home", style="dim")
        self.query_one("#browse-count", Static).update(out)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, CardTable):
            self.typing_search = False
        self._update_count()

    def highlighted_key(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def highlighted_card(self) -> Card | None:
        key = self.highlighted_key()
        return self.app.study.card(key) if key is not None else None

    @on(DataTable.RowHighlighted, "#browse-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.row_key.value if event.row_key is not None else None)

    # ---- detail ------------------------------------------------------------------------------------

    def _show_detail(self, key: str | None) -> None:
        card_view = self.query_one("#browse-card", Static)
        history_view = self.query_one("#browse-history", Static)
        row = self._rows.get(key) if key is not None else None
        if row is None:
            card_view.update(Text("No cards match the search and filters.", style="dim"))
            history_view.update("")
            return
        study = self.app.study
        card_view.update(card_detail(row, study.tz, study.now()))
        history_view.update(history_table(study.collection.history(row.card.key), study.tz))

    # ---- filters -----------------------------------------------------------------------------------

    @on(Input.Changed, "#browse-search")
    def _search_changed(self) -> None:
        self.apply_filter()

    @on(Select.Changed)
    def _select_changed(self) -> None:
        self.apply_filter()

    @on(Input.Submitted, "#browse-search")
    def _search_submitted(self) -> None:
        self.table.focus()

    def action_focus_search(self) -> None:
        self.typing_search = True
        self.query_one("#browse-search", Input).focus()

    def type_into_search(self, text: str) -> None:
        search = self.query_one("#browse-search", Input)
        search.value += text
        search.cursor_position = len(search.value)
        self.action_focus_search()

    def action_focus_table(self) -> None:
        if isinstance(self.focused, Input):
            self.table.focus()

    def library_changed(self) -> None:
        """The decks were re-read: fronts, backs and lines may have changed."""
        self.reload()

    def action_leave(self) -> None:
        if isinstance(self.focused, Input):  # first Esc leaves the search box, the next one the browser
            self.table.focus()
            return
        self.dismiss(None)
