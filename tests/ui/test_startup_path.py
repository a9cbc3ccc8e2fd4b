"""What the app's start-up pays for: the first frame of Home, and nothing that only later screens need.

Start-up time is measured against a bare Textual app (benchmarks/startup.py); these tests keep the
modules that made it slower off the start-up path for good.
"""

from __future__ import annotations

import subprocess
import sys

LATER_ONLY = (
    "numpy",  # the engine: Gradient Lab, training demo, drills
    "quizapp.core.study.review",  # grading: once a review starts
    "quizapp.ui.screens.review",
    "quizapp.ui.widgets.drill_panel",
    "textual_plot",
    "rich._emoji_codes",  # loaded by markup parsing of plain labels; Home passes Text
)

FIRST_FRAME = """
import sys
from quizapp import cli
app = cli.build_app(cli.parse_args(["--data-dir", sys.argv[1]]))
seen = {}
def first_frame():
    seen["stack"] = [type(s).__name__ for s in app.screen_stack]
    seen["rows"] = app.screen.query_one("DataTable").row_count
    app.exit()
app.call_later(lambda: app.call_after_refresh(first_frame))
app.run(headless=True, size=(100, 32))
print(seen["stack"], seen["rows"])
print(",".join(m for m in sys.argv[2:] if m in sys.modules) or "clean")
"""


def test_first_frame_shows_home_with_counts_and_loads_nothing_later_screens_need(tmp_path):
    out = subprocess.run([sys.executable, "-c", FIRST_FRAME, str(tmp_path), *LATER_ONLY],
                         capture_output=True, text=True, check=True, timeout=60)
    stack, loaded = out.stdout.strip().splitlines()[-2:]
    assert stack.startswith("['HomeScreen']"), out.stdout  # Home is the only screen: one to lay out
    assert int(stack.rsplit(" ", 1)[1]) >= 2  # the decks and "All decks" are in the first frame
    assert loaded == "clean", out.stdout + out.stderr
