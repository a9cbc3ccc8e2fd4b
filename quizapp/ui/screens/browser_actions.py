"""The card browser's actions on the highlighted card: suspend, bury, reset (each undoable in the
browser) and edit. Every write goes through the app's write guard; the row is re-read after it."""

from __future__ import annotations

from quizapp.core.srs.store import UndoConflict
from quizapp.core.study.browse import one_line


class CardActions:
    """Mixed into :class:`~quizapp.ui.screens.browser.BrowserScreen`, which provides
    ``highlighted_key``, ``highlighted_card``, ``_rows``, ``_undo`` and ``_refresh_row``."""

    def _act(self, write, message: str, what: str) -> None:
        """``write(key)`` for the highlighted card (through the app's write guard), then ``message``."""
        key = self.highlighted_key()
        if key is None:
            self.notify("No card is highlighted.", severity="warning")
            return

        def done(entry) -> None:
            self._undo.append(entry.id)
            self._refresh_row(key)
            front = one_line(self._rows[key].card.front, 50)
            self.notify(f"{message}: {front}", markup=False)

        self.app.writes.run(lambda: write(key), done, what=what)

    def action_toggle_suspend(self) -> None:
        key = self.highlighted_key()
        if key is None:
            return
        collection, now = self.app.study.collection, self.app.study.now()
        if self._rows[key].suspended:
            self._act(lambda k: collection.unsuspend(k, at=now), "Unsuspended", "unsuspending the card")
        else:
            self._act(lambda k: collection.suspend(k, at=now), "Suspended", "suspending the card")

    def action_toggle_bury(self) -> None:
        key = self.highlighted_key()
        if key is None:
            return
        study = self.app.study
        now = study.now()
        if self._rows[key].buried:  # unbury: a bury that ends now (logged like every change)
            self._act(lambda k: study.collection.bury(k, until=now, at=now), "Unburied", "unburying the card")
        else:
            self._act(lambda k: study.collection.bury(k, until=study.day_end(), at=now), "Buried until tomorrow", "burying the card")

    def action_reset(self) -> None:
        key = self.highlighted_key()
        if key is None:
            return
        if self._rows[key].record is None:
            self.notify("This card is new already.", severity="warning")
            return
        study = self.app.study
        self._act(lambda k: study.collection.reset(k, at=study.now()), "Reset to new (u undoes)", "resetting the card")

    def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo in the browser.", severity="warning")
            return
        event_id = self._undo[-1]  # taken off once undone: a failed write leaves it to undo again
        study = self.app.study

        def undo():
            try:
                return study.collection.undo(event_id, at=study.now())[0]
            except UndoConflict:
                return None

        def done(entry) -> None:
            self._undo.pop()
            if entry is None:
                self.notify("That change can no longer be undone (the card changed since).", severity="warning")
                return
            self._refresh_row(entry.card_key)
            self.notify("Undone.")

        self.app.writes.run(undo, done, what="the undo")

    def action_edit(self) -> None:
        card = self.highlighted_card()
        if card is None:
            return
        self.app.edit_card(card)  # the decks are re-read in the background, then library_changed()

