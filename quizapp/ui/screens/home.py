"""Home: every deck with its new / learning / due counts, today's reviews and streak, broken decks.

With many decks the list is grouped (``widgets/deck_groups.py``: front matter ``group``, else the
first tag): a heading row per group with its summed counts; Enter on a heading folds or unfolds the
group. When the list would not fit the terminal (80×24 with ~15 decks) the biggest groups start
folded, as few as needed, and the key menu gives way to the table (the footer and ? list the keys)."""

from __future__ import annotations

import sqlite3

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quizapp.core.content.model import Deck
from quizapp.core.text.safe import visible_controls
from quizapp.ui.widgets.deck_groups import GROUP_KEY, fold_to_fit, grouped, home_rows, summed
from quizapp.ui.widgets.readiness_line import ReadinessLine

ALL_DECKS = "__all__"
NARROW = 60  # cells: below this (a phone), Home's table is cut to fit (see narrow_deck_width)


class HomeScreen(Screen):
    BINDINGS = [
        Binding("enter", "review_selected", "Review deck", show=False,
                tooltip="Review the highlighted deck (All decks: everything due; a group heading: fold or unfold it)"),
        Binding("r", "review_selected", "Review deck",
                tooltip="Review the highlighted deck (All decks: everything due; a group heading: fold or unfold it)"),
        Binding("a", "review_all", "Review all due", tooltip="Review every due card of every deck"),
        Binding("d", "drills", "Formula drills", show=False,
                tooltip="Practise the highlighted deck's formula drills (All decks: every drill)"),
        Binding("g", "app.gradient_lab", "Gradient Lab", show=False,
                tooltip="Practise computing gradients: fresh numbers, checked answers, worked solutions"),
        Binding("t", "app.training", "Training demo", show=False,
                tooltip="Training demo: watch ReLU units die while Leaky ReLU keeps learning"),
        Binding("q", "app.quiz", "Quiz", show=False,
                tooltip="Quiz: practice on chosen decks and kinds, scored, optionally timed; schedule untouched"),
        Binding("n", "notes", "Deck notes", show=False, tooltip="Read the highlighted deck's notes: its prose, code and diagrams"),
        Binding("b", "app.browse", "Browse cards", show=False,
                tooltip="Browse cards: search, filter, see each card's history; suspend, bury, reset, edit"),
        Binding("s", "app.statistics", "Statistics", show=False,
                tooltip="Statistics: review heatmap, due forecast, true retention, mastery per deck"),
        Binding("plus", "more_new", "10 more new", key_display="+",
                tooltip="Study 10 more new cards today in the highlighted deck (All decks: from any deck) "
                        "when the daily new-card limit holds some back"),
        Binding("i", "interview_date", "Interview date", show=False,
                tooltip="Set the interview date: scheduling plans for it; Home shows your predicted recall on the day"),
        Binding("c", "cram", "Cram deck", show=False,
                tooltip="Cram the highlighted deck ahead of schedule (weakest, last failed, a tag): the schedule is untouched"),
        Binding("question_mark", "app.help", "Help", key_display="?", tooltip="This list of keys"),
    ]

    _counted_at_mount = False
    _quota = None  # today's new-card quota (core.study.new_limits.NewQuota), from the last count
    _deck_width: int | None = None  # the deck column's width on a narrow screen; None: not narrow
    folded: set[str] | None = None  # groups shown as their heading only; None: not decided yet

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="today")
            yield ReadinessLine(id="readiness")
            yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
            yield Static(id="limit")
            yield Static(id="broken")
            yield Static(menu_text(self.BINDINGS), id="home-menu")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self._deck_width = narrow_deck_width(self.app.size.width)
        self._add_columns(table)
        table.focus()
        self.refresh_counts()  # now, so the first frame is laid out once, with the counts in it
        self._counted_at_mount = True

    def on_screen_resume(self) -> None:
        """Counts are recomputed whenever Home is shown again (after a review, a reload, …)."""
        if self._counted_at_mount:
            self._counted_at_mount = False
            return
        self.refresh_counts()

    def library_changed(self) -> None:
        """The decks were re-read (a saved deck file): new cards, decks and errors show."""
        self.refresh_counts()

    def refresh_counts(self) -> None:
        app = self.app
        study = app.study
        if study is None:  # the collection is being recovered
            return
        try:
            per_deck, total, self._quota = study.overview()
            streak, reviews = study.streak(), study.reviews_today()
            minutes = study.time_today_seconds() / 60
        except sqlite3.DatabaseError as error:  # a damaged collection: the app offers recovery
            if app.collection_failed(error):
                return
            raise
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        cursor_key = self._cursor_key(table)
        table.clear()
        decks = [d for d in app.library.decks if not d.failed and d.id in per_deck]
        if self.folded is None:  # the first time: fold the biggest groups until the list fits
            self.folded = fold_to_fit(decks, max(4, app.size.height - 7))
        for row in home_rows(decks, self.folded):
            if row.group is not None:
                new, learning, due = summed(per_deck, row.decks)
                new = min(new, total.new)  # the all-decks cap holds for a group too
                mark = "▸ " if row.group in self.folded else "▾ "
                title = Text(f"{mark}{visible_controls(row.title)} ({len(row.decks)})", style="bold")
                cards = sum(len(d.cards) for d in row.decks)
            else:
                deck = row.decks[0]
                c = per_deck[deck.id]
                new, learning, due = c.new, c.learning, c.due
                title = Text(("  " if row.indent else "") + visible_controls(deck.title))
                cards = len(deck.cards)
            table.add_row(*(
                title,
                _count(new, "blue"),
                _count(learning, "red"),
                _count(due, "green"),
                Text(str(cards), style="dim", justify="right"),
            )[:len(table.columns)], key=row.key)  # a narrow screen has no Cards column
        table.add_row(*(
            Text("All decks", style="bold"),
            _count(total.new, "blue"),
            _count(total.learning, "red"),
            _count(total.due, "green"),
            Text(str(sum(len(d.cards) for d in app.library.decks)), style="dim", justify="right"),
        )[:len(table.columns)], key=ALL_DECKS)
        if table.row_count:
            keys = [r.key.value for r in table.ordered_rows]
            table.move_cursor(row=keys.index(cursor_key) if cursor_key in keys else min(cursor, table.row_count - 1))
        menu = len(menu_text(self.BINDINGS).plain.split("\n")) + 1  # its rows and its padding
        self.set_class(table.row_count + 1 > self.app.size.height - 7 - menu, "-crowded")
        today = Text()
        today.append("Today: ", style="bold")
        today.append(f"{reviews} review{'s' if reviews != 1 else ''}")
        today.append(f" in {minutes:.0f} min" if reviews else "")
        today.append("   ·   Streak: ", style="bold")
        today.append(f"{streak} day{'s' if streak != 1 else ''}")
        due_now = total.new + total.learning + total.due
        today.append("   ·   ", style="bold")
        if due_now:
            today.append(f"{due_now} to study now")
        elif self._quota.held:  # not "all caught up": the limits hold new cards back
            today.append("Daily new-card limit reached", style="bold yellow")
        else:
            today.append("All caught up 🎉", style="bold green")
        self.query_one("#today", Static).update(today)
        self._show_limit()
        broken = _broken_decks(app.library.decks)
        self.query_one("#broken", Static).update(broken)
        self.query_one("#broken", Static).display = bool(broken)  # no blank line under the list
        self.query_one(ReadinessLine).refresh_plan()

    def _add_columns(self, table: DataTable) -> None:
        narrow = self._deck_width is not None
        # a str label would be parsed as markup (and load rich's emoji table)
        table.add_column(Text("Deck"), key="deck", width=self._deck_width)
        columns = [("New", "new"), ("Lrn" if narrow else "Learning", "learning"), ("Due", "due")]
        for label, key in columns if narrow else [*columns, ("Cards", "cards")]:
            table.add_column(Text(label, justify="right"), key=key, width=4 if narrow else 8)

    def on_resize(self, event: events.Resize) -> None:
        """A phone-sized screen keeps every count in view: see :func:`narrow_deck_width`."""
        width = narrow_deck_width(event.size.width)
        if width == self._deck_width:
            return
        self._deck_width = width
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        self._add_columns(table)
        self.refresh_counts()
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_limit()

    def _scope(self) -> str:
        from quizapp.core.study.new_limits import ALL

        deck_id = self._selected_deck()
        return ALL if deck_id is None else deck_id

    def _show_limit(self) -> None:
        """Under the table: whether the daily new-card limit holds back new cards of the highlighted
        row, and that + lets 10 more in today."""
        from quizapp.core.study.new_limits import held_message

        message = held_message(self._quota, self._scope()) if self._quota is not None else None
        limit = self.query_one("#limit", Static)
        limit.update(Text(message or "", style="yellow"))
        limit.display = message is not None
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """+ is offered only where the limits hold new cards back."""
        if action == "more_new":
            return self._quota is not None and self._scope() in self._quota.held
        return True

    def action_more_new(self) -> None:
        study, deck_id = self.app.study, self._selected_deck()
        title = self.app.deck_title(deck_id)

        def extended(_result: None) -> None:
            self.notify(f"10 more new cards today in {title}.", markup=False)
            self.refresh_counts()

        self.app.writes.run(lambda: study.extend_new_today(deck_id), extended, what="extending today's limit")

    @staticmethod
    def _cursor_key(table: DataTable) -> str | None:
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _selected_deck(self) -> str | None:
        """The highlighted deck's id; None for All decks and for a group's heading."""
        key = self._cursor_key(self.query_one(DataTable))
        return None if key is None or key == ALL_DECKS or key.startswith(GROUP_KEY) else key

    def action_review_selected(self) -> None:
        key = self._cursor_key(self.query_one(DataTable))
        if key is not None and key.startswith(GROUP_KEY):
            self.toggle_group(key[len(GROUP_KEY):])
            return
        self.app.start_review(self._selected_deck())

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key.startswith(GROUP_KEY):
            self.toggle_group(key[len(GROUP_KEY):])
            return
        self.app.start_review(None if key == ALL_DECKS else key)

    def toggle_group(self, group: str) -> None:
        """Fold an unfolded group (its heading stays, with the counts of all its decks), or unfold it."""
        folded = self.folded if self.folded is not None else set()
        folded.symmetric_difference_update({group})
        self.folded = folded
        self.refresh_counts()

    def action_review_all(self) -> None:
        self.app.start_review(None)

    def action_drills(self) -> None:
        key = self._cursor_key(self.query_one(DataTable))
        if key is not None and key.startswith(GROUP_KEY):  # a group's heading: the group's drills
            name = key[len(GROUP_KEY):]
            members = grouped([d for d in self.app.library.decks if not d.failed]).get(name, [])
            self.app.action_drills(group=(name, [d.id for d in members]))
            return
        self.app.action_drills(self._selected_deck())

    def action_interview_date(self) -> None:
        from quizapp.ui.plan_actions import open_interview_date

        open_interview_date(self.app)

    def action_cram(self) -> None:
        from quizapp.ui.plan_actions import open_cram

        open_cram(self.app, self._selected_deck())

    def action_notes(self) -> None:
        deck_id = self._selected_deck()
        if deck_id is None:
            self.notify("Pick one deck to read its notes.", severity="warning")
            return
        self.app.show_notes(deck_id)


def menu_text(bindings: list[Binding], columns: int = 3) -> Text:
    """Every Home key with its short name, in columns — built from the bindings so it cannot drift.

    Plain padded text rather than a rich Table: it is on the first frame, and a table costs more to lay out.
    """
    # enter is r's twin; + shows (with its line under the table) only when a limit holds cards back
    entries = [(b.key_display or b.key, b.description) for b in bindings if b.key not in ("enter", "plus")]
    entries.append(("ctrl+q", "Quit"))
    rows = -(-len(entries) // columns)
    grid = [entries[c * rows:(c + 1) * rows] for c in range(columns)]
    widths = [max(len(name) for _, name in column) for column in grid]
    out = Text(no_wrap=True, overflow="ellipsis")
    for r in range(rows):
        if r:
            out.append("\n")
        for c, column in enumerate(grid):
            if r >= len(column):
                continue
            key, name = column[r]
            if c:
                out.append("   ")
            out.append(f"{key:>6} ", "bold")
            out.append(name.ljust(widths[c]) if c < columns - 1 else name)
    return out


def narrow_deck_width(screen_width: int) -> int | None:
    """Under :data:`NARROW` cells the deck titles are cut to what is left beside New, Lrn and Due
    (Cards is left out); None: the full table, titles as wide as they are."""
    if screen_width >= NARROW:
        return None
    return max(8, screen_width - 2 - 3 * (4 + 2) - 2 - 2)  # padding, three counts, the title's own padding, a scrollbar


def _count(value: int, colour: str) -> Text:
    return Text(str(value), style=f"bold {colour}" if value else "dim", justify="right")


def _broken_decks(decks: list[Deck]) -> Text:
    broken = [d for d in decks if d.errors]
    if not broken:
        return Text()
    out = Text("Decks with errors (run `quizapp check` for all of them):\n", style="bold red")
    for deck in broken:
        first = deck.errors[0]
        status = "not loaded" if deck.failed else f"{len(deck.errors)} error(s), other cards loaded"
        out.append(f"  ✗ {visible_controls(str(first))}  ({status})\n")
    return out
