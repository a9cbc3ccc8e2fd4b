"""`quizapp questions` text output (issue 21, item 10): a wrapped line never starts with an
operator, so "(1\n − y)" cannot read as a new bullet."""

from __future__ import annotations

import re

from quizapp import cli
from quizapp.core.generators import family_names
from quizapp.core.generators.worksheet import _wrap

OPERATOR_START = re.compile(r"^\s+[−\-+=×·•*⊙÷] ")


def test_a_continuation_line_never_starts_with_an_operator():
    text = ("torch.nn.BCEWithLogitsLoss(), reduction='mean': L = (1/m) Σᵢ ℓᵢ with ℓᵢ = −[yᵢ log σ(zᵢ) "
            "+ (1 − yᵢ) log(1 − σ(zᵢ))], natural log, σ(z) = 1/(1 + e^(−z)).")
    for width_pad in range(0, 30):
        lines = _wrap("x" * width_pad + " " + text, "    • ")
        assert lines[0].startswith("    • ")
        assert not any(OPERATOR_START.match(line) for line in lines[1:]), lines
        assert " ".join(line.strip() for line in lines).replace("• ", "", 1).endswith(text)
        assert "\u00a0" not in "".join(lines)


def test_no_family_prints_a_line_that_looks_like_a_bullet(capsys):
    for family in family_names():
        assert cli.main(["questions", "--family", family, "--count", "2", "--seed", "0"]) == 0
        out = capsys.readouterr().out
        for line in out.splitlines():
            if line.startswith("      "):  # a continuation line (bullets and steps are at 4)
                assert not OPERATOR_START.match(line), (family, line)
