"""Fitting FSRS parameters to the learner's log: the log → review sequences, the data threshold,
default vs fitted scored on the same reviews (skipped without the optional fsrs-rs-python)."""

from __future__ import annotations

import sys

import fsrs
import pytest
from fsrs import Rating

from quizapp.core.config import Config
from quizapp.core.plan.fit import MIN_REVIEWS, NotEnoughReviews, OptimizerMissing, fit, sequences
from quizapp.core.plan.memory import DEFAULT_PARAMETERS
from quizapp.core.study.cram import CramSession

from plan_logs import simulated_log
from test_plan_schedule import clock, collection, graduate, study_of  # noqa: F401

try:
    import fsrs_rs_python  # noqa: F401
    HAVE_OPTIMIZER = True
except ImportError:
    HAVE_OPTIMIZER = False
needs_optimizer = pytest.mark.skipif(not HAVE_OPTIMIZER, reason="fsrs-rs-python (quizapp[optimize]) is not installed")


def test_sequences_follow_the_log_not_cram_or_undone_answers(collection, clock):
    study = study_of(collection, clock)
    learnt = graduate(study, clock, "d:c0")
    clock.advance(days=3)
    session = study.start_review()
    session.grade(Rating.Again)
    session.undo()  # undone: not part of the history
    session.grade(Rating.Good)
    CramSession(study, ["d:c0"]).grade(Rating.Again)  # cram: not a review
    clock.advance(days=2)
    collection.reset("d:c0")
    session = study.start_review()
    session.grade(Rating.Easy)  # a reset card starts a fresh history
    assert sequences(collection.history(), study.config, study.tz) == [[(3, 0)] * learnt + [(3, 3)], [(4, 0)]]


def test_too_few_reviews_says_how_many_more(collection, clock, monkeypatch):
    if not HAVE_OPTIMIZER:
        monkeypatch.setitem(sys.modules, "fsrs_rs_python", type(sys)("fsrs_rs_python"))
    study = study_of(collection, clock)
    n = graduate(study, clock, "d:c0")
    with pytest.raises(NotEnoughReviews) as caught:
        fit(collection.history(), Config())
    assert caught.value.have == n
    assert f"the log has {n}: {MIN_REVIEWS - n} more needed" in str(caught.value)


def test_without_the_extra_a_clean_message(collection, monkeypatch):
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # import fails
    with pytest.raises(OptimizerMissing, match=r'pip install "quizapp\[optimize\]"'):
        fit(collection.history(), Config())


@needs_optimizer
def test_fitted_parameters_predict_the_learners_log_better(collection):
    n = simulated_log(collection)
    assert n >= MIN_REVIEWS
    result = fit(collection.history(), Config())
    assert result.reviews == n and result.items > 100
    assert result.current == DEFAULT_PARAMETERS
    assert result.fitted_score.log_loss < result.current_score.log_loss  # on the same log
    current, fitted = result.held_out  # and on the newest fifth, which the check's fit did not see
    assert result.better == (fitted.log_loss < current.log_loss)
    assert result.better  # this learner forgets faster than the defaults assume
    assert len(result.fitted) == 21
    fsrs.Scheduler(parameters=result.fitted)  # py-fsrs accepts them
    again = fit(collection.history(), Config(fsrs_parameters=result.fitted))
    assert again.current_score.log_loss == pytest.approx(result.fitted_score.log_loss, rel=1e-4)


@needs_optimizer
def test_parameters_no_better_on_held_out_reviews_are_not_better():
    from quizapp.core.plan.fit import Fit, Score

    same_log_better = Fit(500, 300, (0.0,), (0.0,), Score(0.30, 0.1), Score(0.25, 0.1),
                          held_out=(Score(0.28, 0.1), Score(0.29, 0.1)))
    assert not same_log_better.better  # overfitting: better in sample, worse where it counts
    assert Fit(500, 30, (0.0,), (0.0,), Score(0.30, 0.1), Score(0.25, 0.1)).better  # too few to hold out
