"""How many more times a review session will show a card: what its "left" counter adds up.

A card is shown once, and comes back in the same session while it is in a learning (or relearning)
step due within :data:`~quizapp.core.srs.scheduling.LEARN_AHEAD`. Counting as if every answer from
now on is Good (fsrs: Good moves a learning card one step on; past the last step it graduates, and a
review card graduated is done for the session):

* a review card: 1;
* a new card: 1 + the learning steps after the first one, up to the first step too long to come back
  in the session (default steps 1 min, 10 min: 2 showings);
* a learning or relearning card at step ``s``: 1 + its later steps, counted the same way.

So each Good lowers "left" by exactly one, Easy by one or more, and Again or Hard raise it by the
steps they add — the counter counts down truly, re-shows included.
"""

from __future__ import annotations

from datetime import timedelta

from fsrs import State

from quizapp.core.srs.scheduling import LEARN_AHEAD

Phase = tuple[State | None, int | None]  # (fsrs state, learning step); (None, None): a new card
NEW: Phase = (None, None)


def showings_left(phase: Phase, learning_steps: tuple[timedelta, ...],
                  relearning_steps: tuple[timedelta, ...]) -> int:
    """Times a card in ``phase`` will still be shown in a session if every answer is Good."""
    state, step = phase
    if state is None:
        state, step = State.Learning, 0
    if state is State.Review:
        return 1
    steps = learning_steps if state is State.Learning else relearning_steps
    step = step or 0
    shown = 1
    while step + 1 < len(steps) and steps[step + 1] <= LEARN_AHEAD:
        shown += 1
        step += 1
    return shown
