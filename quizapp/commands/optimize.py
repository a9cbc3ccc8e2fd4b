"""`quizapp optimize`: FSRS parameters fitted to your own review log (fsrs-rs-python, the optional
extra ``quizapp[optimize]``), applied only if they predict your log better; ``--retention`` previews
the daily load a desired-retention change would cause (docs/plan.md)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _retention(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number between 0.7 and 0.99, got {text!r}") from None
    if not 0.7 <= value <= 0.99:
        raise argparse.ArgumentTypeError(f"must be between 0.7 and 0.99, got {value}")
    return value


def register(subparsers: Any, common: Any) -> None:
    p = subparsers.add_parser(
        "optimize", help="fit FSRS parameters to your review log (needs quizapp[optimize])",
        description="Fit FSRS parameters to your review log with fsrs-rs-python (Anki's optimiser), score "
        "the parameters in use and the fitted ones on the same reviews (log loss, RMSE) and write the fitted "
        "ones to config.toml (fsrs_parameters) only if their log loss is lower. --retention R shows the "
        "reviews a day that desired_retention = R would cost, beside the current setting.")
    p.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--retention", type=_retention, metavar="R",
                   help="preview the daily load at desired retention R (no fitting unless --fit)")
    p.add_argument("--fit", action="store_true", help="with --retention: fit parameters too")
    p.add_argument("--apply-retention", action="store_true",
                   help="with --retention: write desired_retention = R after showing the preview")
    common(p)


def run(args: argparse.Namespace) -> int:
    from quizapp.commands import clock_of, content_paths
    from quizapp.commands.collection import open_collection_for
    from quizapp.core.config_write import ConfigWriteError, set_setting
    from quizapp.core.content.loader import load_library
    from quizapp.core.plan.fit import NotEnoughReviews, OptimizerMissing, fit
    from quizapp.core.study.counts import Study

    if args.apply_retention and args.retention is None:
        print("quizapp: --apply-retention needs --retention R", file=sys.stderr)
        return 2
    paths, config, problems, collection = open_collection_for(args)
    for problem in problems:
        print(f"quizapp: {problem}", file=sys.stderr)
    out: dict = {}
    status = 0
    with collection:
        if args.retention is not None:
            from quizapp.core.plan.workload import workload

            study = Study(collection, load_library(content_paths(args)).decks, config, clock_of(args))
            out["workload"] = {"current": workload(study, config.desired_retention),
                               "proposed": workload(study, args.retention)}
        if args.retention is None or args.fit:
            try:
                result = fit(collection.history(), config)
            except OptimizerMissing as error:
                out["error"] = str(error)
                status = 1
            except NotEnoughReviews as error:  # not a failure: the defaults stay, and it says how long
                out["not_enough"] = {"reviews": error.have, "needed": error.need, "message": str(error)}
            else:
                out["fit"] = result.to_json()
    if "fit" in out and out["fit"]["better"] and not args.dry_run:
        from quizapp.core.plan.settings import valid_parameters

        try:
            if valid_parameters(out["fit"]["fitted"]["parameters"]) is None:
                raise ConfigWriteError("they are outside the bounds py-fsrs accepts")
            set_setting(paths.config_file, "fsrs_parameters", out["fit"]["fitted"]["parameters"])
            out["applied"] = str(paths.config_file)
        except ConfigWriteError as error:
            out["error"] = f"fitted parameters not applied: {error}"
            status = 1
    if args.apply_retention and not args.dry_run:
        try:
            set_setting(paths.config_file, "desired_retention", args.retention)
            out["retention_applied"] = args.retention
        except ConfigWriteError as error:
            out["error"] = f"desired_retention not changed: {error}"
            status = 1
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(format_result(out, args.dry_run))
    return status


def format_result(out: dict, dry_run: bool) -> str:
    lines = []
    if "workload" in out:
        cur, new = out["workload"]["current"], out["workload"]["proposed"]
        lines.append(f"Desired retention {cur['retention']:.2f} → {new['retention']:.2f}: about "
                     f"{cur['reviews_per_day']:g} → {new['reviews_per_day']:g} reviews a day over the next "
                     f"{cur['days']} days (+{new['new_per_day']:g} new), predicted recall at the end "
                     f"{cur['recall_end']:.0f}% → {new['recall_end']:.0f}%")
        if "retention_applied" in out:
            lines.append(f"desired_retention = {out['retention_applied']} written to config.toml")
    if "fit" in out:
        f = out["fit"]
        lines.append(f"Fitted FSRS parameters to {f['reviews']} reviews ({f['items']} training items):")
        lines.append(f"  in use : log loss {f['current']['log_loss']:.4f}  RMSE {f['current']['rmse']:.4f}")
        lines.append(f"  fitted : log loss {f['fitted']['log_loss']:.4f}  RMSE {f['fitted']['rmse']:.4f}")
        if f["held_out"] is not None:
            h = f["held_out"]
            lines.append(f"Fitted on the older 80 %, scored on the newest 20 % it did not see: log loss "
                         f"{h['current']['log_loss']:.4f} → {h['fitted']['log_loss']:.4f}, RMSE "
                         f"{h['current']['rmse']:.4f} → {h['fitted']['rmse']:.4f}")
        if not f["better"]:
            lines.append("The fitted parameters predict your reviews no better: kept the ones in use.")
        elif "applied" in out:
            lines.append(f"Better: written to {out['applied']} (fsrs_parameters); they schedule your next reviews.")
        elif dry_run:
            lines.append("Better: run without --dry-run to use them.")
    if "not_enough" in out:
        lines.append(out["not_enough"]["message"].capitalize())
    if "error" in out:
        lines.append(f"quizapp: {out['error']}")
    return "\n".join(lines)
