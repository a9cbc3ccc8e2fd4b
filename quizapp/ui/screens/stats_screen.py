"""Statistics: a calendar heatmap of reviews, the due forecast, true retention, mastery per deck,
streaks and time — everything :func:`quizapp.core.study.stats.compute_stats` returns, drawn with Rich text
in the theme's colours. Wide terminals get two columns; narrow ones stack the panels and scroll."""

from __future__ import annotations

from datetime import date, timedelta

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from quizapp.core.study.stats import STABILITY_BUCKETS, HeatScale, compute_stats, deck_keys
from quizapp.core.text.safe import visible_controls

WIDE = 100  # at least this many columns: panels side by side
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "")
BLOCK = "■"
BARS = " ▁▂▃▄▅▆▇█"
BAR_HEIGHT = 6
BUCKET_HEADS = {"new": "New", "under_1d": "<1d", "1_7d": "1–7d", "7_21d": "7–21d", "21_90d": "21–90d",
                "over_90d": ">90d"}
RETENTION_ROWS = (("today", "Today"), ("yesterday", "Yesterday"), ("week", "Last 7 days"),
                  ("month", "Last 30 days"))


class StatisticsScreen(Screen):
    """Read-only; recomputed from the log (in a thread) when opened and on ``r``. ``stats`` holds the
    figures last shown (:func:`~quizapp.core.study.stats.compute_stats`), empty until the first are in."""

    DEFAULT_CSS = """
    StatisticsScreen #stats { padding: 0 1; }
    StatisticsScreen .stats-row { height: auto; }
    StatisticsScreen .stats-panel {
        border: round $primary;
        border-title-color: $text;
        border-title-style: bold;
        padding: 0 1;
        height: auto;
    }
    StatisticsScreen #stats-heatmap, StatisticsScreen #stats-forecast { width: auto; }
    StatisticsScreen #stats-retention, StatisticsScreen #stats-time { width: 1fr; }
    StatisticsScreen #stats-mastery { width: 1fr; }
    StatisticsScreen.-narrow .stats-row { layout: vertical; }
    StatisticsScreen.-narrow .stats-panel, StatisticsScreen.-narrow #stats-heatmap,
    StatisticsScreen.-narrow #stats-forecast { width: 100%; }
    StatisticsScreen.-loading .stats-panel { display: none; }
    StatisticsScreen #stats-empty { color: $text-muted; height: auto; margin: 0 1; }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="Back to your decks"),
        Binding("r", "refresh_stats", "Refresh", tooltip="Recompute the statistics from the review log"),
        Binding("o", "optimize", "Fit parameters",
                tooltip="Fit FSRS parameters to your review log (needs quizapp[optimize]); applied only if better"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.stats: dict = {}
        self.loaded = False  # the first figures are in

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static("Computing statistics…", id="stats-empty")
            yield Static(id="stats-plan", classes="stats-panel")  # with an interview date: first
            with Horizontal(classes="stats-row"):
                yield Static(id="stats-heatmap", classes="stats-panel")
                yield Static(id="stats-retention", classes="stats-panel")
            with Horizontal(classes="stats-row"):
                yield Static(id="stats-forecast", classes="stats-panel")
                yield Static(id="stats-time", classes="stats-panel")
            yield Static(id="stats-mastery", classes="stats-panel")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Statistics"
        titles = {"#stats-heatmap": "Reviews · last 26 weeks", "#stats-retention": "True retention",
                  "#stats-forecast": "Due · next 30 days", "#stats-time": "Streak and time",
                  "#stats-mastery": "Mastery · cards by memory stability"}
        for selector, title in titles.items():
            self.query_one(selector).border_title = title
        self.set_class(self.app.size.width < WIDE, "-narrow")
        self.add_class("-loading")
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.render_stats())
        self.call_after_refresh(self.action_refresh_stats)  # after the first frame
        self.query_one("#stats").focus()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < WIDE, "-narrow")

    # ---- data --------------------------------------------------------------------------------

    def action_refresh_stats(self) -> None:
        self.compute()

    @work(thread=True, exclusive=True, group="stats")
    def compute(self) -> None:
        """Reads the whole log (about a second for 50 000 reviews), so off the UI thread."""
        study = self.app.study
        stats = compute_stats(self.app.collection, deck_keys(study.decks), study.config, study.now(),
                              study.tz)
        if study.config.interview_date is not None:
            from quizapp.core.plan.readiness import plan_report

            try:
                stats["plan"] = plan_report(study)
            except ValueError:  # no card to plan for (interview_decks names no loaded deck)
                pass
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, stats)

    def _show(self, stats: dict) -> None:
        if self.is_attached:
            self.stats = stats
            self.render_stats()
            self.loaded = True

    def action_close(self) -> None:
        self.dismiss(None)

    # ---- drawing -----------------------------------------------------------------------------

    def _colours(self) -> dict[str, str]:
        v = self.app.theme_variables or self.app.get_css_variables()
        background = Color.parse(v.get("background", "#000000"))
        foreground = Color.parse(v.get("foreground", "#ffffff"))
        hot = Color.parse(v.get("success", "green"))
        bars = Color.parse(v.get("primary", "blue"))
        out = {f"heat{level}": background.blend(hot, share).hex
               for level, share in ((1, 0.35), (2, 0.55), (3, 0.78), (4, 1.0))}
        out["heat0"] = background.blend(foreground, 0.14).hex
        out["bar"] = bars.hex
        out["today"] = Color.parse(v.get("warning", "yellow")).hex
        out["muted"] = background.blend(foreground, 0.55).hex
        out["good"] = Color.parse(v.get("text-success", v.get("success", "green"))).hex
        out["warn"] = Color.parse(v.get("text-warning", v.get("warning", "yellow"))).hex
        out["bad"] = Color.parse(v.get("text-error", v.get("error", "red"))).hex
        return out

    def render_stats(self) -> None:
        if not self.stats:
            return
        self.remove_class("-loading")
        s, colours = self.stats, self._colours()
        target = self.app.study.config.desired_retention
        empty = self.query_one("#stats-empty", Static)
        if s["time"]["reviews_total"]:
            empty.display = False
        else:
            empty.display = True
            empty.update("No reviews yet — grade some cards and come back to see your progress.")
        self.query_one("#stats-heatmap", Static).update(heatmap_text(s["heatmap"], colours))
        self.query_one("#stats-retention", Static).update(retention_table(s["retention"], target, colours))
        self.query_one("#stats-forecast", Static).update(forecast_text(s["forecast"], colours))
        self.query_one("#stats-time", Static).update(time_table(s, colours))
        titles = {d["id"]: self.app.deck_title(d["id"]) for d in s["mastery"]["decks"]}
        self.query_one("#stats-mastery", Static).update(mastery_table(s["mastery"], titles, colours))
        panel = self.query_one("#stats-plan", Static)
        panel.display = "plan" in s
        if "plan" in s:
            from quizapp.ui.widgets.plan_chart import plan_chart

            panel.border_title = f"Interview · {s['plan']['interview_date']}"
            panel.update(plan_chart(s["plan"], colours))

    def action_optimize(self) -> None:
        self.notify("Fitting FSRS parameters to your review log…", timeout=3)
        self.fit_parameters()

    @work(thread=True, exclusive=True, group="fit")
    def fit_parameters(self) -> None:
        from quizapp.ui.plan_actions import fit_message

        message = fit_message(self.app)
        self.app.call_from_thread(self.notify, message, title="FSRS parameters", timeout=12, markup=False)


# ---- renderers (pure: dict in, Rich renderable out) ------------------------------------------------


def heatmap_text(days: list[dict], colours: dict[str, str]) -> Text:
    """GitHub-style calendar: a column per week (Monday on top), a row per weekday, month names above."""
    if not days:
        return Text()
    counts = {date.fromisoformat(d["date"]): d["reviews"] for d in days}
    levels = {date.fromisoformat(d["date"]): d["level"] for d in days}
    start, end = min(counts), max(counts)
    first_monday = start - timedelta(days=start.weekday())
    columns = (end - first_monday).days // 7 + 1
    label_width = 4
    months = [" "] * (label_width + 2 * columns)
    shown = [max(first_monday + timedelta(weeks=col), start) for col in range(columns)]
    runs: list[tuple[int, int]] = []  # (first column, number of columns) of each month
    for col, day in enumerate(shown):
        if col and day.month == shown[col - 1].month:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((col, 1))
    free_from = 0
    for first, width in runs:
        if width < 2 and first != runs[-1][0]:
            continue  # a sliver of a month at the left edge: its name would crowd the next one
        name = shown[first].strftime("%b")
        at = label_width + 2 * first
        if at >= free_from and at + len(name) <= len(months):
            months[at:at + len(name)] = name
            free_from = at + len(name) + 1
    text = Text("".join(months).rstrip() + "\n", style=colours["muted"])
    for weekday in range(7):
        text.append(f"{WEEKDAYS[weekday]:<{label_width}}", style=colours["muted"])
        for col in range(columns):
            day = first_monday + timedelta(weeks=col, days=weekday)
            if day not in counts:
                text.append("  ")
                continue
            text.append(BLOCK, style=colours[f"heat{levels[day]}"])
            text.append(" ")
        text.append("\n")
    scale = HeatScale.of(counts.values())
    total = sum(counts.values())
    active = sum(1 for n in counts.values() if n)
    text.append(f"{total} review{'s' if total != 1 else ''} on {active} day{'s' if active != 1 else ''}   ",
                style=colours["muted"])
    text.append("Less ", style=colours["muted"])
    for level, low, high in scale.ranges():
        text.append(BLOCK, style=colours[f"heat{level}"])
        text.append(" ")
    text.append("More", style=colours["muted"])
    if scale.top:
        text.append(f" (max {scale.top})", style=colours["muted"])
    return text


def forecast_text(days: list[dict], colours: dict[str, str], height: int = BAR_HEIGHT) -> Group:
    """Vertical bars, one per day (today first, overdue included), eighth-block resolution."""
    counts = [d["due"] for d in days]
    top = max(counts, default=0)
    axis = max(2, len(str(top)))
    chart = Text()
    for row in range(height - 1, -1, -1):
        label = str(top) if row == height - 1 and top else ("0" if row == 0 else "")
        chart.append(f"{label:>{axis}} ", style=colours["muted"])
        chart.append("│" if row else "┤", style=colours["muted"])
        for i, n in enumerate(counts):
            eighths = round(n / top * height * 8) if top else 0
            if n and eighths == 0:
                eighths = 1
            fill = min(8, max(0, eighths - row * 8))
            chart.append(BARS[fill], style=colours["today"] if i == 0 else colours["bar"])
            chart.append(" ")
        chart.append("\n")
    ticks = [" "] * (2 * len(counts) + 4)
    for i, label in ((0, "today"), (7, "+7d"), (14, "+14d"), (21, "+21d"), (28, "+28d")):
        if i < len(counts):
            ticks[2 * i:2 * i + len(label)] = label
    chart.append(" " * (axis + 2) + "".join(ticks).rstrip(), style=colours["muted"])
    week, month = sum(counts[:7]), sum(counts)
    summary = Text()
    summary.append("Today ", style="bold")
    summary.append(str(counts[0] if counts else 0))
    summary.append("  Tomorrow ", style="bold")
    summary.append(str(counts[1] if len(counts) > 1 else 0))
    summary.append("  7 days ", style="bold")
    summary.append(str(week))
    summary.append("  30 days ", style="bold")
    summary.append(str(month))
    summary.append(f"  (≈{month / max(1, len(counts)):.1f}/day)", style=colours["muted"])
    return Group(chart, summary)


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def retention_table(retention: dict, target: float, colours: dict[str, str]) -> Group:
    table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False, expand=False)
    table.add_column("", no_wrap=True)
    table.add_column("Pass", justify="right")
    table.add_column("Fail", justify="right")
    table.add_column("Rate", justify="right", no_wrap=True)
    for key, label in RETENTION_ROWS:
        r = retention[key]
        rate = r["rate"]
        style = ("" if rate is None else colours["good"] if rate >= target
                 else colours["warn"] if rate >= target - 0.1 else colours["bad"])
        table.add_row(label, str(r["passed"]), str(r["failed"]), Text(_percent(rate), style=f"bold {style}"))
    note = Text(f"\nReviews of cards in the Review state; Hard/Good/Easy pass, Again fails. "
                f"Target {target * 100:.0f}%.", style=colours["muted"])
    return Group(table, note)


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    if seconds and minutes == 0:
        return f"{round(seconds)}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def time_table(stats: dict, colours: dict[str, str]) -> Group:
    t = stats["time"]

    def days(n: int) -> str:
        return f"{n} day{'s' if n != 1 else ''}"

    head = Text()
    head.append("Streak ", style="bold")
    head.append(days(stats["streak"]), style=f"bold {colours['good']}" if stats["streak"] else "")
    head.append(f"  best {stats['streak_longest']}\n", style=colours["muted"])
    head.append(f"Studied on {days(t['days_studied'])}\n", style=colours["muted"])
    table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column("Reviews", justify="right", no_wrap=True)
    table.add_column("Time", justify="right", no_wrap=True)
    table.add_row("Today", str(t["reviews_today"]), _duration(t["today_seconds"]))
    table.add_row("7 days", str(t["reviews_week"]), _duration(t["week_seconds"]))
    table.add_row("All time", str(t["reviews_total"]), _duration(t["total_seconds"]))
    return Group(head, table)


def mastery_table(mastery: dict, titles: dict[str, str], colours: dict[str, str]) -> Table:
    table = Table(box=None, padding=(0, 0, 0, 1), pad_edge=False, show_edge=False, expand=True)
    table.add_column("Deck", ratio=1, overflow="ellipsis", no_wrap=True)
    table.add_column("Cards", justify="right")
    keys = ("new", *(b[0] for b in STABILITY_BUCKETS))
    for key in keys:
        table.add_column(BUCKET_HEADS[key], justify="right", no_wrap=True)
    table.add_column("Mature", justify="right", no_wrap=True)

    def row(name: Text, block: dict) -> list:
        cells: list = [name, str(block["cards"])]
        for key in keys:
            n = block[key]
            cells.append(Text(str(n), style="" if n else colours["muted"]))
        share = block["mature"] / block["cards"] if block["cards"] else 0
        style = f"bold {colours['good']}" if block["mature"] else colours["muted"]
        cells.append(Text(f"{share * 100:.0f}%", style=style))
        return cells

    for deck in mastery["decks"]:
        table.add_row(*row(Text(visible_controls(titles.get(deck["id"], deck["id"]))), deck))
    if len(mastery["decks"]) != 1:
        table.add_row(*row(Text("All decks", style="bold"), mastery["totals"]))
    return table
