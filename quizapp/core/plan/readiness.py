"""Readiness: the predicted recall on the interview day, and the plan that gets there.

``recall_now`` is the mean FSRS retrievability at the interview moment over the interview's cards if
nothing more were studied (a card never reviewed counts 0); ``recall_planned`` is the same after
playing the plan forward (:mod:`.projection`). :func:`plan_report` is the contract of ``quizapp plan
--json`` (docs/plan.md) and what Home's readiness line and the Statistics forecast show.
"""

from __future__ import annotations

import math
from datetime import date

from quizapp.core.plan.deadline import days_left, interview_moment
from quizapp.core.plan.hooks import Study, plan_keys
from quizapp.core.plan.memory import Curve
from quizapp.core.plan.projection import RUNS, project

PLAN_VERSION = 1


def recall_at(study: Study, keys: list[str], records: dict, at) -> dict[str, float]:
    """Each key's predicted recall at ``at`` with no more study (suspended and new cards: 0)."""
    curve = Curve(study.config.fsrs_parameters)
    out = {}
    for key in keys:
        record = records.get(key)
        out[key] = 0.0 if record is None or record.suspended else curve.card_recall(record.card, at)
    return out


def _pct(x: float) -> float:
    return round(100 * x, 1)


def _day_label(day: date) -> str:
    return f"{day.strftime('%b')} {day.day}"


def today_line(report: dict) -> str:
    """"42 reviews + 15 new today; predicted recall on Dec 20: 86% → 92% if you keep the plan"."""
    day = date.fromisoformat(report["interview_date"])
    if date.fromisoformat(report["study_day"]) > day:
        return f"The interview date ({_day_label(day)}) has passed: scheduling is back to normal"
    if report["days_left"] == 0:
        return (f"Interview day ({_day_label(day)}): predicted recall {report['recall_now']:.0f}% "
                "— scheduling is back to normal")
    t = report["today"]
    line = (f"{t['reviews']} review{'s' * (t['reviews'] != 1)} + {t['new']} new today; predicted recall on "
            f"{_day_label(day)}: {report['recall_now']:.0f}% → {report['recall_planned']:.0f}% if you keep the plan")
    if report.get("unseen_on_the_day"):
        line += f" ({report['unseen_on_the_day']} cards still new then: interview_new_cap is too low)"
    return line


def plan_report(study, *, runs: int = RUNS) -> dict:
    """The plan as JSON-able data (see docs/plan.md)::

        {"version": 1, "generated_at": "…", "study_day": "2026-12-01", "interview_date": "2026-12-20",
         "days_left": 19, "target_retention": 0.95, "cards": 600, "unseen": 420,
         "recall_now": 31.2, "recall_planned": 93.4,           # percent, at the interview moment
         "unseen_on_the_day": 0,                              # never seen by then, even keeping the plan
         "today": {"reviews": 42, "new": 15, "line": "42 reviews + 15 new today; …"},
         "decks": [{"id", "title", "cards", "unseen", "recall_now", "recall_planned"}, …],
         "days": [{"date": "2026-12-01", "reviews": 42, "new": 15, "recall": 40.5}, …]}

    ``days`` runs from today to the day before the interview; each day's ``recall`` is the predicted
    recall on the day if studying stopped after it (the last one is ``recall_planned``).

    Raises ValueError (its text one line for the user) without an interview date or without cards."""
    config = study.config
    moment = interview_moment(config, study.tz)
    if moment is None:
        raise ValueError("no interview date: set interview_date in config.toml or pass --interview-date")
    now, today = study.now(), study.today()
    keys = plan_keys(study)
    if not keys:
        wanted = ", ".join(config.interview_decks)
        raise ValueError(f"interview_decks names no loaded deck with cards ({wanted})" if wanted
                         else "no cards to plan for: no deck is loaded")
    records = study.collection.states(keys)
    now_recall = recall_at(study, keys, records, moment)
    left = days_left(today, config.interview_date)
    counts = _today_counts(study, keys)
    due_today = counts.learning + counts.due
    projection = project(keys, records, config, now, today, new_today=counts.new, tz=study.tz, runs=runs)
    final = projection.recall if left else now_recall
    wanted = set(config.interview_decks)
    decks = []
    seen: set[str] = set()
    for deck in study.decks:
        if (wanted and deck.id not in wanted) or deck.id in seen:
            continue
        seen.add(deck.id)
        dk = [c.key for c in study.cards(deck.id)]
        decks.append({"id": deck.id, "title": deck.title, "cards": len(dk),
                      "unseen": sum(1 for k in dk if records.get(k) is None or records[k].card is None),
                      "recall_now": _pct(_mean(now_recall, dk)), "recall_planned": _pct(_mean(final, dk))})
    report = {
        "version": PLAN_VERSION,
        "generated_at": now.isoformat(),
        "study_day": today.isoformat(),
        "interview_date": config.interview_date.isoformat(),
        "days_left": left,
        "target_retention": config.interview_retention,
        "cards": len(keys),
        "unseen": sum(1 for k in keys if records.get(k) is None or records[k].card is None),
        "recall_now": _pct(_mean(now_recall, keys)),
        "recall_planned": _pct(_mean(final, keys)),
        "unseen_on_the_day": round(projection.left_unseen) if left else 0,
        "today": {"reviews": due_today, "new": counts.new},
        "decks": decks,
        "days": [{"date": d.isoformat(), "reviews": math.ceil(r - 1e-9) if i else due_today,
                  "new": round(n) if i else counts.new, "recall": _pct(ready)}
                 for i, (d, r, n, ready) in enumerate(zip(projection.days, projection.reviews, projection.new,
                                                           projection.readiness))],
    }
    report["today"]["line"] = today_line(report)
    return report


def _today_counts(study, keys: list[str]):
    """Today's counts over the plan's decks (every deck without ``interview_decks``)."""
    wanted = study.config.interview_decks
    if not wanted:
        return study.counts()
    from quizapp.core.plan.hooks import unseen_count

    per_deck, total = study.deck_counts()
    chosen = [per_deck[d] for d in dict.fromkeys(wanted) if d in per_deck]
    return total._replace(new=min(total.new, unseen_count(study, keys)),
                          learning=sum(c.learning for c in chosen), due=sum(c.due for c in chosen))


def _mean(recall: dict[str, float], keys: list[str]) -> float:
    return sum(recall.get(k, 0.0) for k in keys) / len(keys) if keys else 0.0
