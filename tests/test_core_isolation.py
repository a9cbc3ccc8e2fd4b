"""The headless core must never import textual (or rich): it runs in scripts, CI and workers."""

import subprocess
import sys

SCRIPT = """
import importlib, pkgutil, sys
import quizapp.core as core
for module in pkgutil.walk_packages(core.__path__, "quizapp.core."):
    importlib.import_module(module.name)
bad = sorted(m for m in ("textual", "rich") if m in sys.modules)
print(",".join(bad) or "clean")
"""


def test_core_imports_without_textual_or_rich():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "clean", out.stdout + out.stderr


def test_cli_check_does_not_import_textual():
    script = (
        "import sys\nfrom quizapp import cli\n"
        "cli.main(['check', '--json'])\n"
        "sys.stderr.write(','.join(m for m in ('textual', 'rich') if m in sys.modules) or 'clean')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.stderr.strip().splitlines()[-1] == "clean", out.stderr
