"""SVG snapshots of a grade that could not be saved (the disk is full): the card stays on screen
with the panel saying so and offering r retry · esc cancel · ctrl+q quit (100×32 and 80×24)."""

from __future__ import annotations

import errno

SIZE = (100, 32)


def failing_review(make_app, monkeypatch):
    app = make_app(start_in_review=True, review_deck="basics")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(app.collection, "apply_review_then_suspend", full)
    return app


def test_grade_not_saved(snap_compare, make_app, monkeypatch):
    assert snap_compare(failing_review(make_app, monkeypatch), terminal_size=SIZE, press=["space", "3"])


def test_grade_not_saved_small_terminal(snap_compare, make_app, monkeypatch):
    assert snap_compare(failing_review(make_app, monkeypatch), terminal_size=(80, 24), press=["space", "3"])
