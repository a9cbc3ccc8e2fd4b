"""Studying toward a date (an interview): headless, clock-injected, no Textual.

memory.py     FSRS's forgetting curve (retrievability, the interval for a retention) from the parameters in use
deadline.py   the interview moment; an interval that would cross it is shortened (``Scheduler.adjust``)
quota.py      today's new-card allowance, derived from the cards left and the days left (capped)
projection.py the plan played forward, day by day, on the scheduler's own model (load and recall)
readiness.py  predicted recall on the day (now, and if the plan is kept), per deck; the ``plan`` report
cram.py       choosing cards to cram (a deck, the weakest, last failed, a tag), scheduling untouched
"""
