"""Time to first frame of `quizapp` against a bare Textual app, measured in the same run.

Each sample is a fresh Python process that builds the app (as the `quizapp` command does: shipped
decks, a collection in a temporary data dir), runs it headless and exits right after the first frame
has been rendered. Samples of the two apps are interleaved so machine noise hits both alike.
Goal: median ratio ≤ 1.25.

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

BARE = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header, Static
class Bare(App):
    def compose(self):
        yield Header(); yield Static("hello"); yield DataTable(); yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.exit)
Bare().run(headless=True, size=(100, 32))
"""

QUIZAPP = """
import sys
from quizapp import cli
args = cli.parse_args(["--data-dir", sys.argv[1]])
app = cli.build_app(args)
def first_frame():
    app.call_after_refresh(app.exit)
app.call_later(first_frame)
app.run(headless=True, size=(100, 32))
assert "numpy" not in sys.modules, "numpy was imported at start-up"
"""


def sample(code: str, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True)
    return time.perf_counter() - start


def compile_quizapp() -> None:
    """Write quizapp's bytecode (``__pycache__``), as installing the package does."""
    import quizapp

    for folder in quizapp.__path__:
        compileall.compile_dir(folder, quiet=1)


def main(rounds: int = 9) -> None:
    compile_quizapp()
    bare, ours = [], []
    with tempfile.TemporaryDirectory() as data_dir:
        sample(QUIZAPP, data_dir)  # first run creates the collection; warm the file cache
        sample(BARE)
        for _ in range(rounds):
            bare.append(sample(BARE))
            ours.append(sample(QUIZAPP, data_dir))
    b, q = statistics.median(bare), statistics.median(ours)
    print(f"bare Textual app : median {b * 1000:7.1f} ms  (min {min(bare) * 1000:.1f})")
    print(f"quizapp          : median {q * 1000:7.1f} ms  (min {min(ours) * 1000:.1f})")
    print(f"ratio            : {q / b:.2f}x   (goal <= 1.25x)")


if __name__ == "__main__":
    main()
