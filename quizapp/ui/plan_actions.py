"""What the screens do about the interview plan: change a setting (written to config.toml, then the
app studies with it), start a cram session, fit FSRS parameters. Kept out of app.py and the screens
so each of them gains a line or two."""

from __future__ import annotations

from typing import Any

from quizapp.core.config import Config


def apply_config(app, config: Config) -> None:
    """Study with ``config`` from now on (counts, scheduling, the plan); Home is refreshed."""
    from quizapp.core.study.counts import Study

    app.config = config
    if app.study is not None:
        app.study = Study(app.collection, app.study.decks, config, app.clock, tz=app.study.tz)
    if app.is_running:
        refresh = getattr(app.screen, "refresh_counts", None)
        if refresh is not None:
            refresh()


def save_setting(app, key: str, value: Any) -> str:
    """Write ``key = value`` to the app's config.toml and study with it; returns what to tell the
    user. Without a config file (tests, a read-only setup) it applies to this session only."""
    from quizapp.core.config_write import ConfigWriteError, set_setting

    path = getattr(app, "config_file", None)
    if path is None:
        apply_config(app, app.config._replace(**{key: value}))
        return "Applied for this session (no config file to save it in)."
    try:
        config = set_setting(path, key, value)
    except ConfigWriteError as error:
        apply_config(app, app.config._replace(**{key: value}))
        return f"Applied for this session, but not saved: {error}"
    apply_config(app, config)
    return f"Saved in {path}."


def start_cram(app, deck_id: str | None, how: str = "weakest", tag: str | None = None) -> None:
    """A cram session over ``deck_id`` (None: every deck), on the review screen."""
    from quizapp.core.plan.cram import cram_keys
    from quizapp.core.study.cram import CramSession
    from quizapp.ui.screens.review import ReviewScreen

    keys = cram_keys(app.study, deck_id, how=how, tag=tag)
    title = app.deck_title(deck_id)
    if not keys:
        why = {"weakest": "no card of it has been reviewed yet", "failed": "no card of it was last graded Again",
               "tag": f"no card carries the tag {tag!r}"}.get(how, "it has no cards")
        app.notify(f"Nothing to cram in {title}: {why}.", severity="warning", markup=False)
        return
    app.push_screen(ReviewScreen(CramSession(app.study, keys, deck_id), f"Cram · {title}"),
                    callback=app._back_home)


def fit_message(app) -> str:
    """Fit FSRS parameters to the log (a thread calls this); applied when better. One paragraph back."""
    from quizapp.core.config_write import ConfigWriteError, set_setting
    from quizapp.core.plan.fit import NotEnoughReviews, OptimizerMissing, fit

    try:
        result = fit(app.collection.history(), app.config)
    except (OptimizerMissing, NotEnoughReviews) as error:
        return str(error).capitalize()
    except Exception as error:  # noqa: BLE001 — the optimiser's own failure: said, never a crash
        return f"Fitting failed: {error}"
    numbers = (f"log loss {result.current_score.log_loss:.4f} → {result.fitted_score.log_loss:.4f}, "
               f"RMSE {result.current_score.rmse:.4f} → {result.fitted_score.rmse:.4f} "
               f"({result.reviews} reviews)")
    if result.held_out is not None:
        numbers += (f"; on the newest fifth, unseen by the fit: log loss {result.held_out[0].log_loss:.4f} → "
                    f"{result.held_out[1].log_loss:.4f}")
    if not result.better:
        return f"Fitted parameters are no better ({numbers}): kept the ones in use."
    path = getattr(app, "config_file", None)
    if path is not None:
        try:
            set_setting(path, "fsrs_parameters", result.fitted)
        except ConfigWriteError as error:
            return f"Fitted parameters are better ({numbers}) but could not be saved: {error}"
    app.call_from_thread(apply_config, app, app.config._replace(fsrs_parameters=result.fitted))
    return f"Fitted parameters applied ({numbers})."


def open_interview_date(app) -> None:
    """Ask for the interview date; save it (or clear it) and study with it."""
    from quizapp.ui.screens.plan_dialogs import InterviewDateScreen

    if app.study is None:
        return

    def chosen(day) -> None:
        if day is False:
            return
        message = save_setting(app, "interview_date", day)
        what = f"Interview date {day.isoformat()}" if day is not None else "Interview date cleared"
        app.notify(f"{what}. {message}", markup=False)

    app.push_screen(InterviewDateScreen(app.config.interview_date, app.study.today()), callback=chosen)


def open_cram(app, deck_id: str | None) -> None:
    """Ask what to cram in ``deck_id`` (None: every deck), then start it."""
    from quizapp.ui.screens.plan_dialogs import CramScreen

    if app.study is None:
        return
    cards = app.study.cards(deck_id)
    tags = sorted({t for c in cards for t in c.tags})

    def chosen(choice) -> None:
        if choice is not None:
            start_cram(app, deck_id, choice[0], choice[1])

    app.push_screen(CramScreen(app.deck_title(deck_id), tags), callback=chosen)
