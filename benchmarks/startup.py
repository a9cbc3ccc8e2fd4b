"""Time to first frame of `quizapp` against a bare Textual app, measured in the same run.

Each sample is a fresh Python process that builds the app (as the `quizapp` command does: shipped
decks, a collection in a temporary data dir), runs it headless and exits right after the first frame
has been rendered. Samples of the two apps are interleaved so machine noise hits both alike.
Goal: median ratio ≤ 1.25.

What is timed is what the goal names: from starting the process to the first frame. The child prints
``time.monotonic()`` (one system-wide clock on Linux) and its CPU time when the first frame is done;
the parent took the clock just before starting it. Each sample also records the whole process, exit
included, reported beside: Python's shutdown (module teardown, a last scan of every object by the
garbage collector) grows with what an app has loaded and would otherwise be counted as start-up.

Both apps run from bytecode, as an installed package does (``pip install`` compiles it; an editable
install writes it on the first run): quizapp's modules are compiled first, so a
``PYTHONDONTWRITEBYTECODE`` in the environment cannot make every sample re-compile quizapp from
source — about 25 ms a start that no user pays (Textual's own files are compiled at install).
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import tempfile
import time
from typing import NamedTuple

# Printed by both apps once their first frame is rendered: the monotonic clock and CPU seconds.
_MARK = "print('FIRST-FRAME', time.monotonic(), time.process_time(), flush=True)"

BARE = f"""
import time
from textual.app import App
from textual.widgets import DataTable, Footer, Header, Static
class Bare(App):
    def compose(self):
        yield Header(); yield Static("hello"); yield DataTable(); yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.first_frame)
    def first_frame(self):
        {_MARK}
        self.exit()
Bare().run(headless=True, size=(100, 32))
"""

QUIZAPP = f"""
import sys, time
from quizapp import cli
args = cli.parse_args(["--data-dir", sys.argv[1]])
app = cli.build_app(args)
def first_frame():
    {_MARK}
    app.exit()
app.call_later(lambda: app.call_after_refresh(first_frame))
app.run(headless=True, size=(100, 32))
assert "numpy" not in sys.modules, "numpy was imported at start-up"
"""


class Sample(NamedTuple):
    frame: float  # seconds from starting the process to its first frame
    cpu: float  # CPU seconds the process used until then
    process: float  # seconds the whole process took, exit included


def sample(code: str, *args: str) -> Sample:
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    end = time.monotonic()
    mark = next(line.split() for line in out.stdout.splitlines() if line.startswith("FIRST-FRAME"))
    return Sample(float(mark[1]) - start, float(mark[2]), end - start)


def compile_quizapp() -> None:
    """Write quizapp's bytecode (``__pycache__``), as installing the package does."""
    import quizapp

    for folder in quizapp.__path__:
        compileall.compile_dir(folder, quiet=1)


def main(rounds: int = 15) -> None:
    compile_quizapp()
    bare: list[Sample] = []
    ours: list[Sample] = []
    with tempfile.TemporaryDirectory() as data_dir:
        sample(QUIZAPP, data_dir)  # first run creates the collection and the deck cache
        sample(BARE)
        for _ in range(rounds):
            bare.append(sample(BARE))
            ours.append(sample(QUIZAPP, data_dir))

    def ratio(field: str) -> float:
        return statistics.median(getattr(q, field) / getattr(b, field) for q, b in zip(ours, bare))

    for name, runs in (("bare Textual app", bare), ("quizapp", ours)):
        frame = [s.frame * 1000 for s in runs]
        print(f"{name:17}: first frame median {statistics.median(frame):6.1f} ms (min {min(frame):.1f}), "
              f"whole process {statistics.median(s.process for s in runs) * 1000:6.1f} ms")
    print(f"ratio            : {ratio('frame'):.2f}x to the first frame (goal <= 1.25x); "
          f"CPU {ratio('cpu'):.2f}x; whole process, exit included, {ratio('process'):.2f}x")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
