"""Studying toward an interview, simulated: does the date-aware plan reach higher recall on the day,
for how many reviews, and how good is the readiness forecast?

Run:  python benchmarks/interview_sim.py [--cards 600] [--days 30] [--seeds 2] [--learner default|weaker]

A simulated learner studies ``--cards`` new cards for ``--days`` days toward an interview on the day
after, once with plain FSRS (new_per_day = 20) and once with the plan (interview_date set). It is
the app's own code — Study, ReviewSession, the SQLite collection (in a temporary folder), the frozen
clock — that decides what is shown; the learner only answers. Its memory is FSRS's own model with
known *true* parameters (``default``: FSRS's defaults, the model the app assumes; ``weaker``: initial
stabilities ×0.6 and a faster-forgetting learner the app does not know about): a card is recalled
with the true retrievability at that moment, then graded Hard/Good/Easy (10/80/10 %), or Again; a
card seen for the first time is graded like Anki's simulator's first ratings (24/9/50/17 %).

Printed per run: total reviews (new cards' first grades included), the share of cards studied on at
least two days before the interview, the recall on the interview day
predicted by the app (its model, at the end) and simulated (the learner's true retrievability, mean
over all cards, never-seen cards 0), and the readiness forecast made on day 0 and half-way ("if you
keep the plan"), with its error against the simulated recall. Goals (issue 18): the plan's simulated
recall is higher, for at most 1.3× the reviews, and the forecast is within 5 points of it.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import fsrs
from fsrs import Rating

from quizapp.core.clock import FrozenClock
from quizapp.core.config import Config
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.plan.memory import DEFAULT_PARAMETERS
from quizapp.core.plan.readiness import plan_report
from quizapp.core.srs.store import Collection
from quizapp.core.study.counts import Study

UTC = timezone.utc
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
FIRST = ((Rating.Again, 0.24), (Rating.Hard, 0.094), (Rating.Good, 0.495), (Rating.Easy, 0.171))
PASS = ((Rating.Hard, 0.1), (Rating.Good, 0.8), (Rating.Easy, 0.1))
SECONDS_PER_CARD = 15


def true_parameters(kind: str) -> tuple[float, ...]:
    w = list(DEFAULT_PARAMETERS)
    if kind == "weaker":
        w[0:4] = [x * 0.6 for x in w[0:4]]  # first stabilities lower
        w[8] -= 0.25  # stability grows less after a recall
    return tuple(w)


def pick(rng: random.Random, table) -> Rating:
    x, acc = rng.random(), 0.0
    for rating, p in table:
        acc += p
        if x < acc:
            return rating
    return table[-1][0]


def deck(n: int) -> Deck:
    cards = [Card(key=f"sim:c{i}", deck="sim", kind=CardKind.QA, front=f"Q{i}?", back=f"A{i}", file="sim.md",
                  line=i + 1) for i in range(n)]
    return Deck(id="sim", title="Simulated", path=Path("sim.md"), cards=cards)


def run(n_cards: int, days: int, plan: bool, seed: int, learner: str, folder: Path) -> dict:
    random.seed(seed)  # fsrs draws its fuzz from the global random module
    rng = random.Random(seed + 17)
    interview = (START + timedelta(days=days)).date()
    config = Config(new_per_day=20, interview_date=interview if plan else None)
    clock = FrozenClock(START)
    truth = fsrs.Scheduler(parameters=true_parameters(learner), enable_fuzzing=False)
    memory: dict[str, fsrs.Card] = {}
    review_days: dict[str, set[int]] = {}
    forecasts: dict[int, float] = {}
    reviews = 0
    path = folder / f"sim-{plan}-{seed}.sqlite3"
    with Collection(path, clock) as collection:
        study = Study(collection, [deck(n_cards)], config, clock, tz=UTC)
        forecast_config = config._replace(interview_date=interview)  # "what the plan promises", both runs
        for day in range(days):
            clock.set(START + timedelta(days=day))
            if day in (0, days // 2):
                forecasts[day] = plan_report(Study(collection, study.decks, forecast_config, clock,
                                                   tz=UTC))["recall_planned"] if plan else float("nan")
            session = study.start_review()
            while not session.finished:
                key, now = session.current_key, clock()
                if key not in memory:
                    rating = pick(rng, FIRST)
                    memory[key] = fsrs.Card(card_id=1, due=now)
                else:
                    recalled = rng.random() < truth.get_card_retrievability(memory[key], now)
                    rating = pick(rng, PASS) if recalled else Rating.Again
                memory[key] = truth.review_card(memory[key], rating, now)[0]
                review_days.setdefault(key, set()).add(day)
                session.grade(rating, duration_ms=SECONDS_PER_CARD * 1000)
                reviews += 1
                clock.advance(seconds=SECONDS_PER_CARD)
        clock.set(START + timedelta(days=days - 1, hours=14))
        end = plan_report(Study(collection, study.decks, config._replace(interview_date=interview), clock, tz=UTC))
        moment = datetime.combine(interview, datetime.min.time(), UTC) + timedelta(hours=4)
        simulated = 100 * sum(truth.get_card_retrievability(c, moment) for c in memory.values()) / n_cards
    twice = 100 * sum(len(d) >= 2 for d in review_days.values()) / n_cards
    return {"reviews": reviews, "predicted": end["recall_now"], "simulated": round(simulated, 1),
            "forecast": forecasts, "introduced": len(memory), "twice": twice}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=600)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--learner", choices=("default", "weaker"), default="default")
    args = parser.parse_args(argv)
    rows: dict[bool, list[dict]] = {False: [], True: []}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        for seed in range(args.seeds):
            for plan in (False, True):
                r = run(args.cards, args.days, plan, seed, args.learner, Path(tmp))
                rows[plan].append(r)
                f = "  ".join(f"forecast day {d}: {v:.1f}%" for d, v in r["forecast"].items()) if plan else ""
                print(f"seed {seed} {'plan ' if plan else 'plain'}: {r['reviews']:>6} reviews, "
                      f"{r['introduced']} cards seen ({r['twice']:.0f}% on 2+ days), recall on the day predicted {r['predicted']:.1f}% "
                      f"simulated {r['simulated']:.1f}%  {f}", flush=True)

    def mean(plan: bool, key: str) -> float:
        return sum(r[key] for r in rows[plan]) / len(rows[plan])

    ratio = mean(True, "reviews") / mean(False, "reviews")
    errors = [abs(v - r["simulated"]) for r in rows[True] for v in r["forecast"].values()]
    print(f"\n{args.cards} cards, {args.days} days, learner {args.learner}, {args.seeds} seed(s), "
          f"{time.perf_counter() - started:.0f} s")
    print(f"recall on the day (simulated): plain {mean(False, 'simulated'):.1f}%  plan {mean(True, 'simulated'):.1f}%")
    print(f"recall on the day (app's prediction): plain {mean(False, 'predicted'):.1f}%  "
          f"plan {mean(True, 'predicted'):.1f}%")
    print(f"reviews: plain {mean(False, 'reviews'):.0f}  plan {mean(True, 'reviews'):.0f}  ratio {ratio:.2f} (goal <= 1.3)")
    print(f"readiness forecast error (plan, day 0 and half-way): max {max(errors):.1f} points (goal <= 5)")
    ok = mean(True, "simulated") > mean(False, "simulated") and ratio <= 1.3 and max(errors) <= 5
    print("goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
