"""The interview forecast on the Statistics screen, drawn in Rich text like the due forecast beside
it: a bar per study day until the interview (reviews + new cards the plan expects), and under it
the predicted recall on the day if you stopped after that day, rising to what keeping the plan gives.
Pure: the plan report (:func:`quizapp.core.plan.readiness.plan_report`) in, a renderable out."""

from __future__ import annotations

from datetime import date

from rich.console import Group
from rich.text import Text

from quizapp.core.text.safe import visible_controls

BARS = " ▁▂▃▄▅▆▇█"
HEIGHT = 5
MAX_DAYS = 40  # two cells a day: what fits beside the axis at 100 columns


def plan_chart(report: dict, colours: dict[str, str]) -> Group:
    day = date.fromisoformat(report["interview_date"])
    head = Text()
    head.append(f"Predicted recall on {day.strftime('%b')} {day.day}: ", style="bold")
    head.append(f"{report['recall_now']:.0f}% now")
    head.append(" → ", style=colours["muted"])
    head.append(f"{report['recall_planned']:.0f}% if you keep the plan", style=f"bold {colours['good']}")
    head.append(f"   ({report['days_left']} day{'s' * (report['days_left'] != 1)} left · "
                f"{report['unseen']} unseen)", style=colours["muted"])
    days = report["days"][:MAX_DAYS]
    if not days:
        return Group(head, Text("The interview is today: scheduling is back to normal.", style=colours["muted"]))
    loads = [d["reviews"] + d["new"] for d in days]
    top = max(loads) or 1
    axis = max(3, len(str(top)))
    chart = Text()
    for row in range(HEIGHT - 1, -1, -1):
        label = str(top) if row == HEIGHT - 1 else ("0" if row == 0 else "")
        chart.append(f"{label:>{axis}} │", style=colours["muted"])
        for i, n in enumerate(loads):
            eighths = max(1 if n else 0, round(n / top * HEIGHT * 8))
            chart.append(BARS[min(8, max(0, eighths - row * 8))], style=colours["today"] if i == 0 else colours["bar"])
            chart.append(" ")
        chart.append("\n")
    chart.append(f"{'%':>{axis}} │", style=colours["muted"])
    for d in days:
        chart.append(BARS[max(1, round(d["recall"] / 100 * 8))], style=colours["good"])
        chart.append(" ")
    chart.append("\n" + " " * (axis + 2), style=colours["muted"])
    ticks = [" "] * (2 * len(days) + 6)
    for i in range(0, len(days), 7):
        label = "today" if i == 0 else f"+{i}d"
        ticks[2 * i:2 * i + len(label)] = label
    chart.append("".join(ticks).rstrip(), style=colours["muted"])
    more = len(report["days"]) - len(days)
    legend = Text(f"Bars: reviews + new each day (today {loads[0]}); %: recall on the day if you stopped there"
                  + (f"; {more} more days not drawn" if more > 0 else ""), style=colours["muted"])
    decks = deck_lines(report, colours)
    return Group(head, chart, legend, *([decks] if decks.plain else []))


def deck_lines(report: dict, colours: dict[str, str], limit: int = 8) -> Text:
    """Per deck: recall on the day now → with the plan (the first ``limit`` decks)."""
    decks = report["decks"]
    if len(decks) < 2:
        return Text()
    width = min(32, max(len(d["title"]) for d in decks[:limit]))
    out = Text()
    for d in decks[:limit]:
        title = visible_controls(d["title"])
        title = title if len(title) <= width else title[:width - 1] + "…"
        out.append(f"\n{title:<{width}}  " if out.plain else f"{title:<{width}}  ")
        out.append(f"{d['recall_now']:>3.0f}% → ", style=colours["muted"])
        out.append(f"{d['recall_planned']:.0f}%", style=colours["good"])
    if len(decks) > limit:
        out.append(f"\n… and {len(decks) - limit} more decks (quizapp plan lists them all)", style=colours["muted"])
    return out
