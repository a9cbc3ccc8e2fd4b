"""How long each screen takes to open: its first frame, as a ratio to opening an empty screen.

Run:  python benchmarks/screens.py [ROUNDS] [--content DIR ...] [--only NAME ...]

Each sample is a fresh Python process that builds the app as `quizapp` does (shipped decks plus any
``--content`` folders, a collection in a temporary data dir), runs it headless at 100×32 and, once
Home is on screen, opens an empty screen (Header and Footer, as every screen has) and closes it, then
opens the screen measured — the first time in that process, as a user opening it does, so the
modules it imports are counted. A sample reports:

* **first frame**: from the call that opens the screen (the key's action) to the end of the
  screen's first compositor refresh (the first frame written to the terminal);
* **content**: to the first frame after the screen says its content is in (``loaded`` true: the
  screens that fill themselves in a worker; the command palette: its list has commands), or the
  first frame for screens with nothing deferred.

Goal (issue 21): every first frame under 0.15 s. The ratio to the empty screen (measured in the same
process, just before) takes most of the machine's load out of the comparison.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

SCREENS = ("notes", "browse", "help", "training", "palette", "stats", "lab", "quiz", "drills")

CHILD = r"""
import sys, time
from textual.screen import Screen
from textual.widgets import Footer, Header

from quizapp import cli

name, data_dir, *content = sys.argv[1:]
argv = ["--data-dir", data_dir]
for folder in content:
    argv += ["--content", folder]
app = cli.build_app(cli.parse_args(argv))
firsts = {}
original = Screen._compositor_refresh

def refresh(self):
    original(self)
    if self is self.app.screen and id(self) not in firsts:
        firsts[id(self)] = time.perf_counter()

Screen._compositor_refresh = refresh

class Empty(Screen):
    def compose(self):
        yield Header()
        yield Footer()

def notes():
    deck = max((d for d in app.library.decks if not d.failed), key=lambda d: len(d.notes))
    app.show_notes(deck.id)

OPEN = {
    "notes": notes, "browse": app.action_browse, "help": app.action_help, "training": app.action_training,
    "palette": app.action_command_palette, "stats": app.action_statistics, "lab": app.action_gradient_lab,
    "quiz": app.action_quiz, "drills": app.action_drills, "empty": lambda: app.push_screen(Empty()),
}

async def frame_of(opener, *, content=False):
    import asyncio
    before = app.screen
    start = time.perf_counter()
    opener()
    while app.screen is before or id(app.screen) not in firsts:
        await asyncio.sleep(0.001)
    screen = app.screen
    first = firsts[id(screen)] - start
    if not content:
        return first, first
    from textual.command import CommandList, CommandPalette

    def ready():
        if isinstance(screen, CommandPalette):  # its commands arrive from providers, in workers
            return screen.query_one(CommandList).option_count > 0
        return getattr(screen, "loaded", True)

    if not isinstance(screen, CommandPalette) and not hasattr(screen, "loaded"):
        return first, first  # nothing deferred: the first frame is the whole screen
    deadline = time.perf_counter() + 20
    while not ready() and time.perf_counter() < deadline:
        await asyncio.sleep(0.002)
    done = time.perf_counter()
    firsts.pop(id(screen))
    while id(screen) not in firsts and time.perf_counter() < deadline:
        screen.refresh()
        await asyncio.sleep(0.002)
    return first, max(first, firsts.get(id(screen), done) - start)

async def measure():
    import asyncio
    await asyncio.sleep(0.3)  # Home is up, the daily backup and the deck watcher started
    empty, _ = await frame_of(OPEN["empty"])
    app.pop_screen()
    await asyncio.sleep(0.2)
    first, content = await frame_of(OPEN[name], content=True)
    print("SCREEN", empty, first, content, flush=True)
    app.exit()

app.call_later(lambda: app.run_worker(measure()))
app.run(headless=True, size=(100, 32))
"""


class Sample(NamedTuple):
    empty: float
    first: float
    content: float


def sample(name: str, data_dir: str, content: list[str]) -> Sample:
    out = subprocess.run([sys.executable, "-c", CHILD, name, data_dir, *content], check=True,
                         capture_output=True, text=True, timeout=120)
    line = next(x for x in out.stdout.splitlines() if x.startswith("SCREEN"))
    return Sample(*(float(v) for v in line.split()[1:]))


def measure(rounds: int = 5, screens: tuple[str, ...] = SCREENS, content: list[str] | None = None
            ) -> dict[str, list[Sample]]:
    """``rounds`` samples of each screen, screens interleaved round by round."""
    content = [str(Path(c).resolve()) for c in content or []]
    results: dict[str, list[Sample]] = {name: [] for name in screens}
    with tempfile.TemporaryDirectory() as data_dir:
        sample("empty", data_dir, content)  # the collection and the deck cache exist from here on
        for _ in range(rounds):
            for name in screens:
                results[name].append(sample(name, data_dir, content))
    return results


def summary(results: dict[str, list[Sample]]) -> list[tuple[str, float, float, float, float]]:
    """Per screen: (name, first frame ms, ratio to the empty screen, content ms, empty ms), medians."""
    rows = []
    for name, samples in results.items():
        first = statistics.median(s.first for s in samples) * 1000
        ratio = statistics.median(s.first / s.empty for s in samples)
        content = statistics.median(s.content for s in samples) * 1000
        empty = statistics.median(s.empty for s in samples) * 1000
        rows.append((name, first, ratio, content, empty))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rounds", nargs="?", type=int, default=5)
    parser.add_argument("--content", action="append", default=[], help="extra deck folders")
    parser.add_argument("--only", nargs="+", choices=SCREENS, default=list(SCREENS))
    args = parser.parse_args()
    started = time.monotonic()
    rows = summary(measure(args.rounds, tuple(args.only), args.content))
    print(f"{'screen':10} {'first frame':>12} {'/ empty':>8} {'content':>10}   (medians of {args.rounds}; "
          f"empty screen {statistics.median(r[4] for r in rows):.1f} ms)")
    for name, first, ratio, content, _empty in rows:
        flag = "" if first < 150 else "   over 0.15 s"
        print(f"{name:10} {first:9.1f} ms {ratio:7.1f}× {content:7.1f} ms{flag}")
    print(f"({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
