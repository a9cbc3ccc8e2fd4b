"""`quizapp plan`: studying toward an interview date — readiness now and if the plan is kept, per
deck, and the day-by-day load until the day (docs/plan.md)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from quizapp.commands import argtypes


def register(subparsers: Any, common: Any) -> None:
    p = subparsers.add_parser(
        "plan", help="readiness for an interview date and the daily plan until then",
        description="With interview_date set (config.toml) or --interview-date, show the predicted recall on "
        "the interview day (mean FSRS retrievability over the interview's cards, new cards counted as 0) now "
        "and if you keep the plan, per deck, and the reviews and new cards of each day until then.")
    p.add_argument("--json", action="store_true", help="print JSON (see docs/plan.md)")
    p.add_argument("--interview-date", type=argtypes.interview_date, default=argtypes.UNSET, metavar="YYYY-MM-DD",
                   help="the interview date for this run (overrides interview_date in config.toml)")
    common(p)


def run(args: argparse.Namespace) -> int:
    from quizapp.commands import clock_of, content_paths
    from quizapp.commands.collection import open_collection_for
    from quizapp.core.content.loader import load_library
    from quizapp.core.plan.readiness import plan_report
    from quizapp.core.study.counts import Study

    _paths, config, problems, collection = open_collection_for(args)
    for problem in problems:
        print(f"quizapp: {problem}", file=sys.stderr)
    config = argtypes.with_interview_date(config, args)
    if config.interview_date is None:
        print("quizapp: no interview date: set interview_date = YYYY-MM-DD in config.toml or pass "
              "--interview-date", file=sys.stderr)
        collection.close()
        return 1
    with collection:
        library = load_library(content_paths(args))
        study = Study(collection, library.decks, config, clock_of(args))
        unknown = [d for d in config.interview_decks if all(deck.id != d for deck in study.decks)]
        for deck_id in unknown:
            print(f"quizapp: interview_decks: no deck {deck_id!r} (ignored)", file=sys.stderr)
        try:
            report = plan_report(study)
        except ValueError as error:
            print(f"quizapp: {error}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_plan(report))
    return 0


def format_plan(report: dict) -> str:
    lines = [report["today"]["line"], ""]
    width = max([len(d["id"]) for d in report["decks"]] + [4])
    lines.append(f"{'Deck':<{width}}  {'Cards':>6}  {'Unseen':>6}  {'Now':>6}  {'Planned':>7}")
    for d in report["decks"]:
        lines.append(f"{d['id']:<{width}}  {d['cards']:>6}  {d['unseen']:>6}  {d['recall_now']:>5.1f}%"
                     f"  {d['recall_planned']:>6.1f}%")
    if report["days"]:
        lines += ["", "Day         Reviews   New"]
        lines += [f"{d['date']}  {d['reviews']:>7}  {d['new']:>4}" for d in report["days"]]
    return "\n".join(lines)
