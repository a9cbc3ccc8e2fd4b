"""Argument types shared by subcommands, so a bad value is blamed on its own option by argparse
(``argument --seed: …``, exit 2) instead of failing later inside NumPy under another name."""

from __future__ import annotations

import argparse


def seed(text: str) -> int:
    """A random seed: a whole number ≥ 0 (what NumPy's generators accept)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number ≥ 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number ≥ 0, got {value}")
    return value


def interview_date(text: str):
    """A date ``YYYY-MM-DD`` (``--interview-date``); ``none`` clears the configured one for this run."""
    from datetime import date

    if text.strip().lower() in ("none", "off", ""):
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD (or none), got {text!r}") from None


class _Unset:
    def __repr__(self) -> str:
        return "unset"


UNSET = _Unset()  # --interview-date not given (argparse converts string defaults: this is none)


def with_interview_date(config, args):
    """``config`` with ``--interview-date`` applied, when it was given."""
    if getattr(args, "interview_date", UNSET) is UNSET:
        return config
    return config._replace(interview_date=args.interview_date)
