"""One formula drill: prompt, live parse feedback while typing, and a graded result with a plot.

Deck text (prompt, hint, explanation, formulas) is untrusted: it is shown through rich ``Text`` and
:class:`CardText`, never Textual markup. This module pulls in NumPy and textual-plot, so it must only
be imported when a drill is about to be shown (never at app start-up).
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass

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
from quizapp.core.formula.language import Expr, ExprError, check_names, evaluate, parse
from quizapp.core.text.safe import visible_controls
from quizapp.ui.widgets.card_text import CardText, inline_markdown

__all__ = ["DrillPanel", "PlotData", "plot_data"]

DEBOUNCE = 0.15          # seconds of quiet typing before the live check runs
PLOT_POINTS = 241
EXPECTED_STYLE = "bold green"
YOURS_STYLE = "bold magenta"


def _safe(text: str) -> str:
    return visible_controls(text).replace("\n", " ")


def display_name(name: str) -> str:
    """``alpha`` → ``α`` when the Greek letter reads back as the same name; otherwise the name."""
    base = name.removesuffix("_")  # lambda_ is typed λ
    try:
        glyph = unicodedata.lookup(f"GREEK SMALL LETTER {base.upper()}")
    except KeyError:
        return name
    try:
        if parse(glyph).names == {name}:
            return glyph
    except ExprError:
        pass
    return name


def describe_names(drill: Drill) -> Text:
    """``z in [−3, 3]  ·  α = 0.01`` — what the formula may use."""
    out = Text()
    parts: list[str] = [
        f"{display_name(v)} in [{format_number(lo)}, {format_number(hi)}]" for v, (lo, hi) in drill.vars.items()
    ]
    parts += [f"{display_name(c)} = {format_number(value)}" for c, value in drill.constants.items()]
    out.append("  ·  ".join(_safe(p) for p in parts) or "no variables")
    spelled = [n for n in (*drill.vars, *drill.constants) if display_name(n) != n]
    if spelled:
        out.append("    (type " + ", ".join(f"{display_name(n)} or {n}" for n in spelled) + ")", style="dim")
    return out


# ---- the plot's data (pure NumPy, tested without a screen) ------------------------------------

@dataclass(frozen=True)
class PlotData:
    var: str
    x: np.ndarray
    expected: np.ndarray          # nan where undefined or off the chosen y range
    given: np.ndarray
    ylim: tuple[float, float]
    fixed: dict[str, float]       # the other variables, held at their midpoints


def plot_data(drill: Drill, given: Expr, points: int = PLOT_POINTS) -> PlotData | None:
    """Both formulas over the first variable's range (others at midpoints, constants applied)."""
    if not drill.vars:
        return None
    var, (lo, hi) = next(iter(drill.vars.items()))
    x = np.linspace(float(lo), float(hi), points)
    fixed = {v: (float(a) + float(b)) / 2 for v, (a, b) in list(drill.vars.items())[1:]}
    env = {var: x, **fixed, **{k: float(c) for k, c in drill.constants.items()}}
    try:
        with np.errstate(all="ignore"):
            ys = [np.broadcast_to(np.asarray(evaluate(e, env), dtype=np.float64), x.shape).copy()
                  for e in (drill.answer_expr(), given)]
    except (ExprError, ValueError):
        return None
    finite = np.concatenate([y[np.isfinite(y)] for y in ys])
    if finite.size == 0:
        ylim = (-1.0, 1.0)
    else:
        low, high = float(finite.min()), float(finite.max())
        q1, q99 = (float(q) for q in np.percentile(finite, [1, 99]))
        spread = q99 - q1
        if spread > 0 and (low < q1 - 2 * spread or high > q99 + 2 * spread):
            low, high = q1, q99  # a pole (1/z near 0): keep the readable part
        pad = (high - low) * 0.08 if high > low else max(abs(high) * 0.1, 0.5)
        ylim = (low - pad, high + pad)
    for y in ys:
        y[~np.isfinite(y) | (y < ylim[0]) | (y > ylim[1])] = np.nan
    return PlotData(var, x, ys[0], ys[1], ylim, fixed)


def nice_ticks(lo: float, hi: float, most: int = 3) -> list[float]:
    """At most ``most`` round values (multiples of 1, 2 or 5 × 10^k) inside [lo, hi]."""
    span = hi - lo
    if not (np.isfinite(span) and span > 0):
        return [lo]
    power = 10.0 ** np.floor(np.log10(span))
    for step in (power / 10 * m for m in (1, 2, 5, 10, 20, 50, 100)):
        first, last = np.ceil(lo / step), np.floor(hi / step)
        if last - first + 1 <= most:
            return [round(float(k * step), 12) + 0.0 for k in np.arange(first, last + 1)]
    return [lo, hi]


def _runs(y: np.ndarray) -> list[slice]:
    """Slices of consecutive finite values (a curve is drawn in pieces across its gaps)."""
    ok = np.isfinite(y).astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], ok, [0]])))
    return [slice(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


# ---- the widget --------------------------------------------------------------------------------

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

    def _input_scrolled(self) -> None:
        if self.drill is not None and self._timer is None:
            self._live_feedback()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _known(self) -> list[str]:
        drill = self.drill
        return [*drill.vars, *drill.constants] if drill else []

    def _live_feedback(self) -> None:
        self._timer = None
        if self.drill is None or not self._ready:
            return
        text = self.input.value
        if not text.strip():
            self._set_feedback(Text("Enter checks your formula · F2 hint · F5 show answer", style="dim"))
            return
        try:
            expr = parse(text)
            check_names(expr, self._known())
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
        accepted = Text("Accepted: ", style="bold")
        for i, form in enumerate((drill.answer, *drill.accept)):
            if i:
                accepted.append("   or   ", style="dim")
            accepted.append(_safe(form), style="bold cyan")
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
