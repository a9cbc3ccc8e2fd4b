"""docs/families.md: a section for every family beyond the first nine (those are in docs/cli.md),
and every example is exactly what its command prints today."""

import re
import shlex
from pathlib import Path

from quizapp import cli
from quizapp.core.generators import family_names

DOC = Path(__file__).resolve().parents[2] / "docs" / "families.md"
FIRST_NINE = 9  # documented in docs/cli.md


def test_every_new_family_has_a_section():
    sections = re.findall(r"^## `(\w+)`", DOC.read_text(encoding="utf-8"), flags=re.M)
    assert set(family_names()[FIRST_NINE:]) <= set(sections)
    assert set(sections) <= set(family_names())


def test_examples_are_what_the_commands_print(capsys):
    blocks = re.findall(r"```\n\$ (quizapp questions [^\n]*)\n(.*?)\n```", DOC.read_text(encoding="utf-8"),
                        flags=re.S)
    assert len(blocks) >= 8
    for command, shown in blocks:
        assert cli.main(shlex.split(command)[1:]) == 0
        assert capsys.readouterr().out.rstrip() == shown.rstrip(), command
