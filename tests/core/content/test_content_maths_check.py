"""`quizapp check` warns about maths the screens show as written, at the formula's own line:col."""

from __future__ import annotations

from quizapp.cli import main
from quizapp.core.content.check import run_check

DECK = r"""+++
deck = "maths"
title = 'Maths $\alpha$'
+++
# Maths $\frac{1}{2}$

**Q: Softmax?**
A: $\sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}$ costs $5 and $10.
The `$\frac{code$` span is code.

| Term | Definition |
|------|------------|
| BatchNorm | $\hat{x}_i = \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}$ |
| Broken | see $\frac{a$ here |

- the leak is {{$\alpha$}}
  and \(\foo{x}\) is unknown

> **Note:** $$x^$$

```python
print("$\frac{not maths$")
```

```drill
id = "sig"
prompt = "Derivative of $\\sigma(z)$"
hint = "It is $\\frac{e^{-z}}{(1+e^{-z})^2$"
answer = "sigmoid(z)*(1-sigmoid(z))"
```
"""


def test_check_locates_each_broken_formula(tmp_path, capsys):
    path = tmp_path / "maths.md"
    path.write_text(DECK, encoding="utf-8")
    report = run_check([path])
    warnings = [(p.line, p.col, p.message) for p in report.library.problems if "maths" in p.message]
    assert warnings == [
        (14, 16, r"maths $\frac{a$ cannot be read (a '{' is never closed); it is shown as written"),
        (17, 7, r"maths \(\foo{x}\): unknown command \foo (shown as written)"),
        (19, 13, "maths $$x^$$ cannot be read ('^' needs something after it); it is shown as written"),
        (28, 1, r"drill hint: maths $\frac{e^{-z}}{(1+e^{-z})^2$ cannot be read (a '{' is never closed); "
                "it is shown as written"),
    ]
    assert report.exit_code == 0  # warnings: the deck still loads and shows the source
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:14:16: warning: maths $\\frac{{a$ cannot be read" in out


def test_good_maths_checks_clean(tmp_path):
    path = tmp_path / "good.md"
    path.write_text("# Good\n\n**Q: Sigmoid?**\nA: $\\sigma(z) = \\frac{1}{1+e^{-z}}$\n", encoding="utf-8")
    assert run_check([path]).library.problems == []
