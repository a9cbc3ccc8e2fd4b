"""FSRS parameters fitted to the learner's own review log, with ``fsrs-rs-python`` (Anki's Rust
optimiser; the optional extra ``quizapp[optimize]``, no PyTorch).

The log becomes one review sequence per card — reviews in effect, undone ones dropped, a ``reset``
starting the card afresh, renames followed; ``cram`` and ``quiz`` answers are not reviews — with
the gap to the previous review in study days (FSRS's ``delta_t``). Every prefix ending in a review a
day or more after the previous one is a training item (what fsrs-rs learns from). Default (or the
current) and fitted parameters are scored on the *same* items — log loss and RMSE (bins), what the
issue and Anki report — and, with enough items, honestly: parameters fitted on the older 80 % of the
items and the ones in use are both scored on the newest 20 %. The fitted ones are worth applying only
if their log loss is lower on those held-out reviews (on the same log when there are too few).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import tzinfo

from quizapp.core.config import Config
from quizapp.core.plan.memory import DEFAULT_PARAMETERS
from quizapp.core.srs.records import LogEntry
from quizapp.core.study.stats import _DayOf, effective_reviews

#: Anki asks for at least this many reviews before it fits parameters (fewer gives unstable weights)
MIN_REVIEWS = 400
HELD_OUT = 0.2  # the newest fifth of the items checks a fit made without them
MIN_HELD_OUT = 50
EXTRA_HINT = 'pip install "quizapp[optimize]" (or: pip install fsrs-rs-python)'


class OptimizerMissing(RuntimeError):
    """fsrs-rs-python is not installed; ``str()`` says how to install it."""

    def __init__(self) -> None:
        super().__init__(f"fitting parameters needs the optional package fsrs-rs-python: {EXTRA_HINT}")


def load_optimizer():
    """The ``fsrs_rs_python`` module, or :class:`OptimizerMissing`."""
    try:
        import fsrs_rs_python
    except ImportError:
        raise OptimizerMissing() from None
    return fsrs_rs_python


def sequences(entries: Iterable[LogEntry], config: Config, tz: tzinfo | None = None) -> list[list[tuple[int, int]]]:
    """One ``[(rating, days since the previous review), …]`` per card history (first gap 0)."""
    return [[(r, g) for r, g, _day in seq] for seq in dated_sequences(entries, config, tz)]


def dated_sequences(entries: Iterable[LogEntry], config: Config, tz: tzinfo | None = None) -> list[list[tuple]]:
    """:func:`sequences` with each review's study day as a third element."""
    day_of = _DayOf(config, tz)
    out: dict[str, list[tuple]] = {}
    done: list[list[tuple]] = []
    for r in effective_reviews(entries):
        day = day_of(r.at)
        if r.state_before is None and r.key in out:  # reset: a fresh history
            done.append(out.pop(r.key))
        seq = out.setdefault(r.key, [])
        gap = (day - seq[-1][2]).days if seq else 0
        seq.append((int(r.rating), max(0, gap), day))
    return done + list(out.values())


def count_reviews(seqs: Sequence[Sequence[tuple[int, int]]]) -> int:
    return sum(len(s) for s in seqs)


def training_items(seqs: Sequence[Sequence[tuple]], module) -> list:
    return [item for _day, item in dated_items(seqs, module)]


def dated_items(seqs: Sequence[Sequence[tuple]], module) -> list[tuple]:
    """``(day of its last review, FSRSItem)`` for every prefix ending a day or more after the previous review."""
    items = []
    for seq in seqs:
        for i in range(1, len(seq)):
            if seq[i][1] > 0:
                day = seq[i][2] if len(seq[i]) > 2 else i
                items.append((day, module.FSRSItem([module.FSRSReview(r[0], r[1]) for r in seq[:i + 1]])))
    return items


@dataclass(frozen=True)
class Score:
    log_loss: float
    rmse: float


@dataclass(frozen=True)
class Fit:
    reviews: int
    items: int
    current: tuple[float, ...]
    fitted: tuple[float, ...]
    current_score: Score
    fitted_score: Score
    #: fitted on the older 80 % of the items, both scored on the newest 20 % (None: too few items)
    held_out: tuple[Score, Score] | None = None

    @property
    def better(self) -> bool:
        """Lower log loss than the parameters in use — on reviews the fit did not see when there are
        enough of them, else on the same log."""
        if self.held_out is not None:
            return self.held_out[1].log_loss < self.held_out[0].log_loss
        return self.fitted_score.log_loss < self.current_score.log_loss

    def to_json(self) -> dict:
        return {"reviews": self.reviews, "items": self.items, "better": self.better,
                "current": {"parameters": list(self.current), "log_loss": round(self.current_score.log_loss, 5),
                            "rmse": round(self.current_score.rmse, 5)},
                "fitted": {"parameters": [round(w, 6) for w in self.fitted],
                           "log_loss": round(self.fitted_score.log_loss, 5),
                           "rmse": round(self.fitted_score.rmse, 5)},
                "held_out": None if self.held_out is None else {
                    "current": {"log_loss": round(self.held_out[0].log_loss, 5), "rmse": round(self.held_out[0].rmse, 5)},
                    "fitted": {"log_loss": round(self.held_out[1].log_loss, 5), "rmse": round(self.held_out[1].rmse, 5)}}}


class NotEnoughReviews(ValueError):
    def __init__(self, have: int, need: int = MIN_REVIEWS, *, no_gaps: bool = False) -> None:
        self.have, self.need = have, need
        if no_gaps:
            message = (f"none of the {have} reviews came a day or more after the card's previous review, which "
                       "is what FSRS learns from: more reviews on later days needed (until then FSRS's defaults "
                       "are used)")
        else:
            message = (f"fitting needs at least {need} reviews; the log has {have}: {need - have} more needed "
                       "(until then FSRS's defaults are used)")
        super().__init__(message)


def fit(entries: Iterable[LogEntry], config: Config, tz: tzinfo | None = None, *,
        min_reviews: int = MIN_REVIEWS) -> Fit:
    """Fit parameters to the log and score them against the ones in use, on the same items.
    Raises :class:`OptimizerMissing`, :class:`NotEnoughReviews`."""
    module = load_optimizer()
    seqs = dated_sequences(entries, config, tz)
    n = count_reviews(seqs)
    dated = dated_items(seqs, module)
    items = [item for _day, item in dated]
    if n < min_reviews:
        raise NotEnoughReviews(n, min_reviews)
    if not items:
        raise NotEnoughReviews(n, min_reviews, no_gaps=True)
    current = tuple(config.fsrs_parameters or DEFAULT_PARAMETERS)
    fitted = _fit(module, items)
    held_out = None
    dated.sort(key=lambda d: d[0])
    cut = int(len(dated) * (1 - HELD_OUT))
    if len(dated) - cut >= MIN_HELD_OUT and cut >= MIN_HELD_OUT:
        train, test = [i for _d, i in dated[:cut]], [i for _d, i in dated[cut:]]
        held_out = (_score(module, current, test), _score(module, _fit(module, train), test))
    return Fit(n, len(items), current, fitted, _score(module, current, items), _score(module, fitted, items),
               held_out)


def _fit(module, items: list) -> tuple[float, ...]:
    return tuple(float(w) for w in module.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(items))


def _score(module, parameters: Sequence[float], items: list) -> Score:
    e = module.FSRS(list(parameters)).evaluate(items)
    return Score(float(e.log_loss), float(e.rmse_bins))
