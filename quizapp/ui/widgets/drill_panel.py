"""One formula drill: prompt, live parse feedback while typing, and a graded result with a plot.

Deck text (prompt, hint, explanation, formulas) is untrusted: it is shown through rich ``Text`` and
:class:`CardText`, never Textual markup. This module pulls in NumPy and textual-plot, so it must only
be imported when a drill is about to be shown (never at app start-up).
"""

from __future__ import annotations

import time

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static
from textual_plot import HiResMode, PlotWidget

from quizapp.core.formula.drills import Drill
from quizapp.core.formula.equivalence import Verdict, format_number
from quizapp.core.formula.language import Expr, ExprError, parse
from quizapp.ui.widgets.card_text import CardText, inline_markdown
from quizapp.ui.widgets.plot_fit import fit_plot_soon, unfit_plot
from quizapp.ui.widgets.drill_plot import (
    EXPECTED_STYLE, YOURS_STYLE, PlotData, _runs, _safe, describe_names, display_name, nice_ticks,
    plot_data,
)

__all__ = ["DrillPanel", "PlotData", "plot_data"]

DEBOUNCE = 0.15          # seconds of quiet typing before the live check runs
class DrillPanel(Widget):
    """Shows one :class:`Drill`; Enter grades the typed formula and posts :class:`DrillPanel.Submitted`.

    ``allow_retry``: after a submission the input stays editable and Enter grades again (practice);
    otherwise it is disabled (a review grades the first answer). The class ``-compact`` makes the
    plot shorter (for terminals under ~30 rows).
    """

    DEFAULT_CSS = """
    DrillPanel {
        height: auto;
        layout: vertical;
    }
    DrillPanel #drill-prompt {
        text-style: bold;
    }
    DrillPanel #drill-names {
        color: $text-muted;
    }
    DrillPanel #drill-input {
        margin-top: 1;
    }
    DrillPanel #drill-feedback {
        height: auto;
        min-height: 1;
    }
    DrillPanel #drill-hint {
        height: auto;
        color: $warning;
    }
    DrillPanel #drill-result {
        height: auto;
        display: none;
    }
    DrillPanel #drill-result.-shown {
        display: block;
    }
    DrillPanel #drill-verdict {
        text-style: bold;
        margin-top: 1;
    }
    DrillPanel #drill-accepted {
        height: auto;
    }
    DrillPanel #drill-explanation {
        color: $text-muted;
    }
    DrillPanel #drill-caption {
        color: $text-muted;
    }
    DrillPanel #drill-plot {
        height: 9;
        width: 1fr;
    }
    DrillPanel.-compact #drill-plot {
        height: 7;
    }
    """

    BINDINGS = [
        Binding("f2", "hint", "Hint", key_display="F2", tooltip="Show this drill's hint"),
        Binding("f5", "show_answer", "Show answer", key_display="F5",
                tooltip="Give up on this drill: counts as wrong and shows the accepted formulas"),
    ]

    class Submitted(Message):
        """A formula was graded (``text`` is ``""`` when the user gave up)."""

        def __init__(self, panel: DrillPanel, drill: Drill, verdict: Verdict, seconds: float, text: str) -> None:
            super().__init__()
            self.panel = panel
            self.drill = drill
            self.verdict = verdict
            self.seconds = seconds
            self.text = text

        @property
        def control(self) -> DrillPanel:
            return self.panel

    def __init__(self, drill: Drill | None = None, *, allow_retry: bool = False,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.drill = drill
        self.allow_retry = allow_retry
        self.verdict: Verdict | None = None     # of the last submission
        self.plot: PlotData | None = None
        self._shown_at = 0.0
        self._timer: Timer | None = None
        self._ready = False  # composed and mounted: the children can be queried

    def compose(self) -> ComposeResult:
        yield CardText(id="drill-prompt")
        yield Static(id="drill-names")
        yield Input(placeholder="Type a formula, then Enter", id="drill-input")
        yield Static(id="drill-feedback")
        yield Static(id="drill-hint")
        with Vertical(id="drill-result"):
            yield Static(id="drill-verdict")
            yield Static(id="drill-accepted")
            yield CardText(id="drill-explanation")
            yield Static(id="drill-caption")
            yield PlotWidget(id="drill-plot", allow_pan_and_zoom=False)

    def on_mount(self) -> None:
        self._ready = True
        plot = self.query_one(PlotWidget)
        plot.can_focus = False
        plot.margin_top = 0
        plot.margin_bottom = 1
        plot.margin_left = 7
        # the caret under the input must follow the input's own horizontal scrolling
        self.watch(self.input, "scroll_x", self._input_scrolled, init=False)
        if self.drill is not None:
            self._show_current()

    # ---- public ----------------------------------------------------------------------------------

    @property
    def input(self) -> Input:
        return self.query_one("#drill-input", Input)

    def show_drill(self, drill: Drill) -> None:
        """Show ``drill`` with an empty answer (also resets a previous result)."""
        self.drill = drill
        self.verdict = None
        self.plot = None
        if self._ready:
            self._show_current()

    def _show_current(self) -> None:
        drill = self.drill
        assert drill is not None
        self._cancel_timer()
        self._shown_at = self._now()
        self.query_one("#drill-prompt", CardText).show(drill.prompt)
        self.query_one("#drill-names", Static).update(describe_names(drill))
        names = ", ".join(display_name(n) for n in drill.vars) or "no variables"
        typed = self.input
        typed.placeholder = f"Formula in {names}, then Enter"
        typed.disabled = False
        typed.value = ""
        hint = self.query_one("#drill-hint", Static)
        hint.update("")
        hint.display = False
        self.query_one("#drill-result").remove_class("-shown")
        self.query_one(PlotWidget).clear()
        self._live_feedback()
        self.refresh_bindings()
        typed.focus()

    def submit(self) -> Verdict | None:
        """Grade what is typed. Posts :class:`Submitted` and returns the verdict; ``None`` (with the
        problem shown under the input) when there is nothing to grade or the formula cannot be read."""
        drill = self.drill
        if drill is None or not self._ready:
            return None
        self._cancel_timer()
        typed = self.input
        if typed.disabled:
            return None
        text = typed.value
        if not text.strip():
            self._set_feedback(Text("Type a formula first (F5 shows the answer).", style="yellow"))
            return None
        try:
            verdict = drill.grade(text)
            given = parse(text)
        except ExprError as error:
            self._show_error(text, error)
            return None
        except ValueError as error:  # a drill with a bad range: the deck's fault, say so
            self._set_feedback(Text(_safe(f"This drill cannot be graded: {error}"), style="red"))
            return None
        self._live_feedback()
        self._finish(verdict, text, given)
        return verdict

    def show_answer(self) -> Verdict | None:
        """Give up: counts as not equivalent, shows the accepted forms and the expected curve."""
        drill = self.drill
        if drill is None or self.verdict is not None or not self._ready:
            return None
        self._cancel_timer()
        verdict = Verdict(False, "answer shown — counts as not known")
        self._finish(verdict, "", None)
        return verdict

    # ---- live feedback -----------------------------------------------------------------------------

    @on(Input.Changed, "#drill-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._cancel_timer()
        self._timer = self.set_timer(DEBOUNCE, self._live_feedback)

    @on(Input.Submitted, "#drill-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def on_resize(self) -> None:
        if self.drill is not None and self._timer is None:
            self._live_feedback()  # the caret's column depends on the input's width
        fit_plot_soon(self, self.query_one(PlotWidget))  # grown past its box? (plot_fit.py)

    def _input_scrolled(self) -> None:
        if self.drill is not None and self._timer is None:
            self._live_feedback()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _live_feedback(self) -> None:
        self._timer = None
        if self.drill is None or not self._ready:
            return
        text = self.input.value
        if not text.strip():
            self._set_feedback(Text("Enter checks your formula · F2 hint · F5 show answer", style="dim"))
            return
        try:
            expr = self.drill.read(text)  # names known, no forbidden call
        except ExprError as error:
            self._show_error(text, error)
            return
        out = Text("✓ parses: ", style="green")
        out.append(_safe(expr.to_text()), style="bold")
        self._set_feedback(out)

    def _show_error(self, text: str, error: ExprError) -> None:
        message = _safe(error.message)
        typed = self.input
        column = self._caret_column(text, error.col)
        if column is None:
            where = f"column {error.col}: " if error.col else ""
            self._set_feedback(Text(f"✗ {where}{message}", style="red"))
            return
        width = self.content_region.width
        size = cell_len(message)
        if column + 2 + size <= width:  # "   ^ message"
            out = Text(" " * column)
            out.append("^", style="bold red")
            out.append(" " + message, style="red")
        elif size + 1 <= column:  # "message ^" when the caret is far right
            out = Text(" " * (column - size - 1))
            out.append(message + " ", style="red")
            out.append("^", style="bold red")
        else:
            out = Text(" " * column)
            out.append("^", style="bold red")
            out.append("\n" + " " * typed.styles.gutter.left + message, style="red")
        self._set_feedback(out)

    def _caret_column(self, text: str, col: int | None) -> int | None:
        """Screen column (inside the panel) under character ``col`` of the input, if it is visible."""
        typed = self.input
        if not col or "\t" in text or typed.size.width == 0:
            return None
        gutter = typed.styles.gutter
        x = gutter.left + cell_len(text[: col - 1]) - typed.scroll_offset.x
        if not gutter.left <= x <= gutter.left + typed.size.width:  # size: without the gutter
            return None
        return typed.region.x - self.content_region.x + x

    def _set_feedback(self, content: Text) -> None:
        self.query_one("#drill-feedback", Static).update(content)

    # ---- result ------------------------------------------------------------------------------------

    def _now(self) -> float:
        return getattr(self.app, "monotonic", time.monotonic)()

    def _finish(self, verdict: Verdict, text: str, given: Expr | None) -> None:
        drill = self.drill
        assert drill is not None
        seconds = max(0.0, self._now() - self._shown_at)
        self.verdict = verdict
        right = verdict.equivalent
        if given is None:  # gave up
            head = Text("✗ " + verdict.message[0].upper() + verdict.message[1:], style="bold red")
        else:
            head = Text("✓ Right — " if right else "✗ Not equivalent — ",
                        style="bold green" if right else "bold red")
            head.append(_safe(verdict.message), style="")
        self.query_one("#drill-verdict", Static).update(head)
        accepted = Text("Accepted: ", style="bold")  # lines break between formulas, never inside one
        width, used = self.content_region.width - 2, 10  # room for a scrollbar
        for i, form in enumerate(_safe(form) for form in (drill.answer, *drill.accept)):
            if i:
                gap = "   or   " if used + 8 + cell_len(form) <= width else "\n      or  "
                used = used + 8 if gap[0] == " " else 10
                accepted.append(gap, style="dim")
            accepted.append(form, style="bold cyan")
            used += cell_len(form)
        self.query_one("#drill-accepted", Static).update(accepted)
        explanation = self.query_one("#drill-explanation", CardText)
        explanation.show(drill.explanation)
        explanation.display = bool(drill.explanation)
        self._draw_plot(given if given is not None else drill.answer_expr(), mine=given is not None)
        self.query_one("#drill-result").add_class("-shown")
        if not self.allow_retry:
            self.input.disabled = True
        self.refresh_bindings()
        self.post_message(self.Submitted(self, drill, verdict, seconds, text))

    def _draw_plot(self, given: Expr, *, mine: bool) -> None:
        drill = self.drill
        assert drill is not None
        plot = self.query_one(PlotWidget)
        caption = self.query_one("#drill-caption", Static)
        plot.clear()
        unfit_plot(plot)  # the CSS height, shortened again if the box is too small (on_resize)
        data = plot_data(drill, given)
        self.plot = data
        plot.display = caption.display = data is not None
        if data is None:
            return
        plot.set_xlimits(float(data.x[0]), float(data.x[-1]))
        plot.set_ylimits(*data.ylim)
        plot.set_yticks(nice_ticks(*data.ylim))
        plot.set_xlabel("")
        curves = [("expected", data.expected, EXPECTED_STYLE)]
        if mine:
            curves.append(("yours", data.given, YOURS_STYLE))
        for label, y, style in curves:
            runs = _runs(y) or [slice(0, 0)]
            for i, run in enumerate(runs):
                plot.plot(data.x[run], y[run], line_style=style, hires_mode=HiResMode.BRAILLE,
                          label=label if i == 0 else None)
        # The legend is this caption line, above the plot, so it never hides part of a curve.
        legend = Text()
        for label, y, style in curves:
            legend.append("━━ ", style=style)
            legend.append(label, style="bold")
            if not np.isfinite(y).any():
                legend.append(" (undefined or off the chart here)", style="dim")
            legend.append("   ")
        fixed = "".join(f", {display_name(k)} = {format_number(v)}" for k, v in data.fixed.items())
        legend.append(_safe(f"over {display_name(data.var)} in [{format_number(data.x[0])}, "
                            f"{format_number(data.x[-1])}]{fixed}"), style="dim")
        caption.update(legend)

    # ---- keys --------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hint":
            return True if self.drill is not None and self.drill.hint else None
        if action == "show_answer":
            return True if self.drill is not None and self.verdict is None else None
        return True

    def action_hint(self) -> None:
        if self.drill is None:
            return
        hint = self.query_one("#drill-hint", Static)
        shown = Text("Hint: ", style="bold")
        shown.append_text(inline_markdown(self.drill.hint or "this drill has no hint."))
        hint.update(shown)
        hint.display = True

    def action_show_answer(self) -> None:
        self.show_answer()
