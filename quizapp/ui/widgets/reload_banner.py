"""A one-line note in the header row while the decks are being re-read in the background."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class ReloadBanner(Static):
    """Drawn over the left of the header (it takes no room from the screen's layout)."""

    DEFAULT_CSS = """
    ReloadBanner {
        dock: top;
        overlay: screen;
        offset: 4 0;
        width: auto;
        max-width: 45%;
        height: 1;
        padding: 0 1;
        background: $warning-muted;
        color: $text;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def show(self, names: str, seconds: float) -> None:
        self.update(Text(f"⟳ Reading {names}… {seconds:.0f} s"))
