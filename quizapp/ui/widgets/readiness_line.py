"""Home's readiness line (with an interview date set): today's plan and the predicted recall on the
day — "42 reviews + 15 new today; predicted recall on Dec 20: 86% → 92% if you keep the plan". The
plan is played forward in a thread (a fraction of a second for a few thousand cards), so Home's
first frame never waits for it; without a date the line is hidden."""

from __future__ import annotations

import sqlite3

from rich.text import Text
from textual import work
from textual.widgets import Static
from textual.worker import get_current_worker


class ReadinessLine(Static):
    DEFAULT_CSS = """
    ReadinessLine { height: auto; margin-bottom: 1; color: $text; }
    .-phone ReadinessLine { margin-bottom: 0; }
    """

    def refresh_plan(self) -> None:
        study = self.app.study
        date = study.config.interview_date if study is not None else None
        self.display = date is not None
        if date is None:
            return
        self.update(Text(f"Interview {date.isoformat()}: working out the plan…", style="dim"))
        self.compute(study)

    @work(thread=True, exclusive=True, group="readiness")
    def compute(self, study) -> None:
        from quizapp.core.plan.readiness import plan_report

        try:
            report = plan_report(study)
        except (sqlite3.Error, ValueError) as error:  # damage (Home's counts report it), no cards to plan
            self.app.call_from_thread(self.update, Text(f"Interview plan unavailable: {error}", style="dim"))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, report)

    def _show(self, report: dict) -> None:
        self.report = report
        line = Text()
        line.append("Plan: ", style="bold")
        line.append(report["today"]["line"])
        self.update(line)
