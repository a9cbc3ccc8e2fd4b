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
