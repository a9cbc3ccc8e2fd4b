"""Keep a drill's plot whole: when the checked drill is taller than the box it is in (the review
screen's card at 100×32: prompt, answer, verdict, accepted forms, explanation, caption and a 9-row
plot), the plot is shortened by what is missing, down to :data:`MIN_ROWS`, so its bottom axis and
its labels stay on screen instead of falling below the box's edge."""

from __future__ import annotations

from textual.widget import Widget

MIN_ROWS = 5  # top axis, three rows of curve, bottom axis with its labels


def fit_plot(panel: Widget, plot: Widget) -> None:
    """After a layout: shorten ``plot`` (whose height came from the CSS) if ``panel`` overflows its box."""
    box = panel.parent
    if box is None or not panel.is_mounted or not plot.display:
        return
    over = panel.outer_size.height - box.scrollable_content_region.height
    if over > 0 and plot.outer_size.height > MIN_ROWS:
        plot.styles.height = max(MIN_ROWS, plot.outer_size.height - over)


def fit_plot_soon(panel: Widget, plot: Widget) -> None:
    """Fit after the next layout and again a moment later: the box itself may shrink once the
    check is shown (the review screen docks its grade bar below the card then)."""
    panel.call_after_refresh(fit_plot, panel, plot)
    panel.set_timer(0.15, lambda: fit_plot(panel, plot))


def unfit_plot(plot: Widget) -> None:
    """Back to the height the CSS gives (before drawing again)."""
    plot.styles.height = None
