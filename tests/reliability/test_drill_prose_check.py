"""The drill-prose formula check (core.drill_claims, run by `quizapp check`) on hostile text: it
returns claims or nothing — never an exception — and its work is bounded, so a huge or adversarial
explanation cannot make `quizapp check` hang."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core.formula.drill_claims import drill_claims
from quizapp.core.formula.drills import Drill, Engine

PIECES = [" = ", "=", "==", "σ(z)", "σ'(z)", "ELU'(", "elu(", "tanh²(z)", "d/dz ", "∂/∂z ", "(", ")",
          "α", "z", " for ", " and ", " z > 0", " ≤ ", "0.5", "1", "e⁻ᶻ", "√", "·", ". ", "; ", ": ",
          ", ", "'", "′", "x", "\x00", "𝔼", "1e308", "9**9**9", "|", "¹", "__"]


def make(text: str, constants: dict | None = None, engine: str = "elu") -> Drill:
    return Drill("d", text, "z", vars={"z": (-3.0, 3.0)}, constants=constants or {"alpha": 1.0},
                 hint=text, explanation=text, engine=Engine(engine, "value"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.text(max_size=30))
def test_any_prose_gives_claims_or_nothing(pieces, noise):
    for claim in drill_claims(make("".join(pieces) + noise)):
        assert claim.problem is None or isinstance(claim.problem, str)


def test_constants_the_engine_refuses_are_left_out_not_a_crash():
    d = make("softplus'(0) = 0.5 and Softplus(z) = ln(1 + eᶻ).", {"beta": -1.0}, engine="softplus")
    assert all(c.problem is None or isinstance(c.problem, str) for c in drill_claims(d))


def test_a_huge_explanation_is_checked_in_bounded_time():
    unit = "σ(z) = 1/(1 + e⁻ᶻ) = " + "(" * 30 + "z" + ")" * 30 + " = αeᶻ + "
    text = unit * 300 + "x" * 20_000 + " = " * 2_000  # ~60 kB, one clause, thousands of "="
    start = time.perf_counter()
    drill_claims(make(text))
    assert time.perf_counter() - start < 10.0  # generous: a 2-core machine shared with others
