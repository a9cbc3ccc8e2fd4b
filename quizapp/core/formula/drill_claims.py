"""Formulas a drill states in its prose (prompt, hint, explanation), checked like its answer.

A drill's ``answer`` is graded and checked against the engine (core.drills); the worked text around
it is prose, but it states formulas too: ``σ(z) = 1/(1 + e⁻ᶻ) = eᶻ/(1 + eᶻ)``, ``ELU(z) = z for z > 0
and α(eᶻ − 1) for z ≤ 0``, ``PyTorch: ELU'(0) = α``, ``with α = 0.01``. :func:`drill_claims` finds
every chain ``A = B = C`` in that prose whose sides read as formulas and checks that the sides agree
over the drill's variable ranges (and constants), so a hint cannot contradict the answer or the
engine. It is deliberately conservative — a side it cannot read is left out, never guessed:

* sides are read by the safe formula parser; a product written without ``·`` (``α(eᶻ − 1)``,
  ``σ(z)(1 − σ(z))``, ``αeᶻ``) is read as one only when nothing separates the factors;
* ``NAME'(x)`` / ``NAME′(x)`` (``tanh'(z)``, ``ELU'(0)``, ``σ'(z)``) is the registry's derivative and
  ``NAME(x)`` of the drill's own engine activation its forward, both with the drill's constants;
* a chain starting with a bare variable (``at z = 0``) is a place, not a claim; one starting with a
  bare constant (``α = 0.01``) is checked against the drill's constant;
* ``… for COND`` after a side limits the claim to where COND holds, and ``A = X for C and Y for D``
  is read as two claims (``A = X`` where C, ``A = Y`` where D);
* ``d/dz X`` is X's slope over the drill variable z (a centred difference, compared to 1e-6);
* a side preceded by something that is not a prose word (``dz (…)``, ``f′ = …``) is left out;
* a side that is a plain number is held to the digits it shows (``= 0.7979``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from quizapp.core.engine import activations as acts
from quizapp.core.formula.language import Expr, ExprError, evaluate, parse
from quizapp.core.formula.functions import CONSTANTS
from quizapp.core.formula.nodes import Num, Unary, Var

__all__ = ["Claim", "drill_claims"]

FIELDS = ("prompt", "hint", "explanation")
RTOL = 1e-9
ATOL = 1e-12
D_RTOL, D_ATOL = 1e-6, 1e-8  # a "d/dz X" side is a centred difference (step _STEP·max(1, |z|))
_STEP = 1e-6
_D_DX = re.compile(r"[d∂]\s*/\s*[d∂]\s*([A-Za-z_][A-Za-z0-9_]*)\s+(.+)\Z")
N_POINTS = 257
MAX_SIDE = 160     # characters: prose formulas are short; longer runs are not read (bounded work)
MAX_CHAINS = 40    # " = " read per clause
_CLAUSE = re.compile(r"(?<=[.;:!?])\s+")
_EQUALS = re.compile(r"(?<![<>!=≤≥≠])\s=\s(?!=)")
_PRIME_CALL = re.compile(r"([A-Za-zσ][A-Za-z_]*)\s*['′’]\s*\(")
_CALL = re.compile(r"([A-Za-z][A-Za-z_]*)\s*\(")
_FOLLOW = re.compile(r"\s*(?:,|\band\b|\bor\b)\s*")
_FOLLOW_ANYWHERE = re.compile(r",|\s(?:and|or)\s")
_NUMBER = re.compile(r"[-−]?\d+(?:\.(\d+))?\Z")
_PROSE = re.compile(r"\b(?:and|or|not|for)\b")  # joins clauses in prose; never inside a side


@dataclass(frozen=True)
class Claim:
    """One stated equality: ``sides`` (as written) agree where ``condition`` holds, else ``problem``."""

    field: str
    sides: tuple[str, ...]
    condition: str = ""
    problem: str | None = None

    @property
    def text(self) -> str:
        return " = ".join(self.sides) + (f" for {self.condition}" if self.condition else "")


@dataclass
class _Side:
    text: str
    expr: Expr
    refs: dict[str, tuple[str, str, str]]  # placeholder → (activation, "value"/"derivative", arg)
    d_var: str | None = None               # "d/dz X": the derivative of this side over d_var


def _unstop(text: str) -> str:
    """``text`` without surrounding blanks and a sentence's full stop (``= 1.`` is 1)."""
    text = text.strip()
    return text[:-1].rstrip() if text.endswith(".") else text


def _lenient(text: str) -> Expr | None:
    """``text`` parsed, reading a product with nothing between its factors (``αz``, ``α(…)``)."""
    for _ in range(16):
        try:
            return parse(text)
        except ExprError as error:
            i = (error.col or 0) - 1
            if "implicit multiplication" not in error.message or i <= 0 or text[i - 1].isspace():
                return None
            text = text[:i] + "*" + text[i:]
    return None


def _closing(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return -1


def _activation(name: str) -> acts.Activation | None:
    if name == "σ":
        return acts.get("sigmoid")
    try:
        act = acts.get(name)
    except KeyError:
        return None
    return act if act.is_elementwise else None


class _Reader:
    def __init__(self, drill) -> None:
        self.drill = drill
        self.engine = drill.engine.activation if drill.engine is not None else None
        self.known = {*drill.vars, *drill.constants, *CONSTANTS}
        self.count = 0

    def _placeholder(self, refs: dict, act: str, kind: str, arg: str) -> str:
        self.count += 1
        name = f"ref{self.count}_"
        refs[name] = (act, kind, arg)
        return name

    def side(self, text: str) -> _Side | None:
        """``text`` as a formula over the drill's names, engine references replaced, or ``None``."""
        text = _unstop(text)
        if not text or len(text) > MAX_SIDE or "=" in text or _PROSE.search(text):
            return None
        m = _D_DX.match(text)
        if m and m.group(1) in self.drill.vars:  # d/dz X: X's slope over z, by centred differences
            inner = self.side(m.group(2))
            if inner is None or inner.d_var is not None:
                return None
            return _Side(text, inner.expr, inner.refs, m.group(1))
        refs: dict[str, tuple[str, str, str]] = {}
        out, i = "", 0
        while i < len(text):
            m = _PRIME_CALL.match(text, i) or _CALL.match(text, i)
            start_ok = i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")
            act = _activation(m.group(1)) if m and start_ok else None
            prime = bool(m) and m.re is _PRIME_CALL
            if act is not None and (prime or act.name == self.engine):
                close = _closing(text, m.end() - 1)
                if close < 0:
                    return None
                kind = "derivative" if prime else "value"
                out += self._placeholder(refs, act.name, kind, text[m.end():close])
                i = close + 1
                continue
            if prime:
                return None  # f'(z) of something that is not an activation: not ours to read
            out += text[i]
            i += 1
        expr = _lenient(out)
        if expr is None or not expr.names <= self.known | set(refs):
            return None
        for _act, _kind, arg in refs.values():
            inner = _lenient(arg)
            if inner is None or not inner.names <= self.known:
                return None
        return _Side(text, expr, refs)

    def longest_suffix(self, text: str) -> _Side | None:
        """The longest tail of ``text`` starting at a word that reads as a side, when what is
        before it is prose (or nothing): ``… is σ(z)`` yes, ``2·x (1 + e⁻ᶻ)⁻¹`` no."""
        starts = [0] + [m.end() for m in re.finditer(r"[\s(]+", text)]
        for start in (s for s in starts if len(text) - s <= MAX_SIDE):
            if start >= len(text):
                break
            side = self.side(text[start:])
            if side is None:
                continue
            before = text[:start].rstrip(" ")
            word = before.split()[-1] if before.split() else ""
            if before.endswith("(") or before == "" or word.isalpha() and len(word) > 1 and word not in self.known:
                return side
            return None
        return None

    def longest_prefix(self, text: str) -> tuple[_Side | None, str]:
        """The longest head of ``text`` that reads as a side, and the rest of the text."""
        ends = sorted({len(text), *(m.start() for m in re.finditer(r"[\s,;:)]|\.(?!\d)",
                                                                   text[:MAX_SIDE + 1]))},
                      reverse=True)
        ends = [e for e in ends if e <= MAX_SIDE + 1]
        for end in ends:
            side = self.side(text[:end])
            if side is not None:
                return side, text[end:]
        return None, text

    def condition(self, rest: str) -> tuple[Expr | None, str, str]:
        """``for COND`` at the start of ``rest``: (condition, its text, what follows)."""
        m = re.match(r"\s*for\s+", rest)
        if not m:
            return None, "", rest
        rest = rest[m.end():]
        stop = _FOLLOW_ANYWHERE.search(rest)  # "for z > 0 and …": the condition ends at "and"
        text, after = (rest[:stop.start()], rest[stop.start():]) if stop else (rest, "")
        expr = None
        ends = {len(text), *(k.start() for k in re.finditer(r"[\s;:)]|\.(?!\d)", text[:MAX_SIDE + 1]))}
        for end in sorted((e for e in ends if e <= MAX_SIDE + 1), reverse=True):
            expr = _lenient(_unstop(text[:end]))
            if expr is not None and expr.names <= self.known:
                return expr, _unstop(text[:end]), text[end:] + after
        return None, "", rest


def _values(side: _Side, env: Mapping[str, np.ndarray], params: dict[str, float]) -> np.ndarray:
    if side.d_var is not None:
        x = np.asarray(env[side.d_var], dtype=np.float64)
        h = _STEP * np.maximum(1.0, np.abs(x))
        plain = _Side(side.text, side.expr, side.refs)
        up = _values(plain, {**env, side.d_var: x + h}, params)
        down = _values(plain, {**env, side.d_var: x - h}, params)
        return (up - down) / (2.0 * h)
    env = dict(env)
    for name, (act_name, kind, arg) in side.refs.items():
        act = acts.get(act_name)
        mine = {k: v for k, v in params.items() if k in act.defaults}
        x = evaluate(_lenient(arg), env)
        env[name] = act.forward(x, **mine) if kind == "value" else act.derivative(x, **mine)
    return np.asarray(evaluate(side.expr, env), dtype=np.float64)


def _uses_vars(side: _Side, names) -> bool:
    """Whether the side's value depends on a drill variable (directly or through a reference)."""
    names = set(names)
    if side.d_var is not None:
        return True
    args = [_lenient(arg) for _act, _kind, arg in side.refs.values()]
    return bool(side.expr.names & names) or any(a is not None and a.names & names for a in args)


def _atol(side: _Side) -> float:
    m = _NUMBER.match(side.text.replace(" ", ""))
    if m and m.group(1) and isinstance(side.expr.root, Num | Unary):  # 0.7979: its digits; 1: exact
        return max(ATOL, 0.5 * 10.0 ** -len(m.group(1)))
    return ATOL


def _check(drill, field: str, sides: list[_Side], cond: Expr | None, cond_text: str) -> Claim | None:
    root = sides[0].expr.root
    if isinstance(root, Var) and root.name in drill.vars and sides[0].d_var is None:
        return None  # "at z = 0": a place, not a claim
    rng = np.random.default_rng(14)
    env: dict[str, object] = {k: float(v) for k, v in drill.constants.items()}
    env.update({v: rng.uniform(lo, hi, N_POINTS) for v, (lo, hi) in drill.vars.items()})
    params = {k: float(v) for k, v in drill.constants.items()}
    texts = tuple(s.text for s in sides)
    with np.errstate(all="ignore"):
        mask = np.asarray(evaluate(cond, env)) != 0 if cond is not None else np.asarray(True)
        values = [_values(s, env, params) for s in sides]
    shape = np.broadcast_shapes(mask.shape, *(v.shape for v in values))
    mask = np.broadcast_to(mask, shape)
    if not mask.any():
        return None
    base = np.broadcast_to(values[0], shape)
    for side, value in zip(sides[1:], values[1:]):
        value = np.broadcast_to(value, shape)
        rtol = D_RTOL if side.d_var or sides[0].d_var else RTOL
        tol = max(_atol(side), _atol(sides[0]), ATOL if rtol == RTOL else D_ATOL) + rtol * np.abs(base)
        with np.errstate(all="ignore"):
            bad = mask & np.isfinite(base) & ~(np.abs(value - base) <= tol)
        if bad.any():
            i = np.flatnonzero(bad.reshape(-1))[0]
            at = ", ".join(f"{v} = {np.broadcast_to(env[v], shape).reshape(-1)[i]:.4g}"
                           for v in drill.vars)
            where = f" at {at}" if at and any(_uses_vars(s, drill.vars) for s in sides) else ""
            got = [f"{np.broadcast_to(x, shape).reshape(-1)[i]:.6g}" for x in (base, value)]
            return Claim(field, texts, cond_text,
                         f"{sides[0].text!r} is {got[0]} but {side.text!r} is {got[1]}{where}")
    return Claim(field, texts, cond_text)


def _chains(reader: _Reader, drill, field: str, clause: str) -> list[Claim]:
    parts = _EQUALS.split(clause, maxsplit=MAX_CHAINS)
    if len(parts) < 2:
        return []
    out: list[Claim] = []
    current: list[_Side] = []
    lead = reader.longest_suffix(parts[0])
    if lead is not None:
        current.append(lead)
    for k, part in enumerate(parts[1:], start=1):
        last = k == len(parts) - 1
        whole = None if last else reader.side(part)
        if whole is not None:
            current.append(whole)
            continue
        head, rest = reader.longest_prefix(part)
        cond, cond_text, rest = reader.condition(rest) if head is not None else (None, "", rest)
        if head is not None and current:
            claim = _check(drill, field, [*current, head], cond, cond_text)
            out += [claim] if claim else []
            lhs = current[0]
            while cond is not None:  # "A = X for C and Y for D"
                m = _FOLLOW.match(rest)
                if not m:
                    break
                head, after = reader.longest_prefix(rest[m.end():])
                if head is None:
                    break
                cond, cond_text, rest = reader.condition(after)
                if cond is None:
                    break
                claim = _check(drill, field, [lhs, head], cond, cond_text)
                out += [claim] if claim else []
        current = [] if last else [s for s in [reader.longest_suffix(part)] if s is not None]
    return out


def drill_claims(drill) -> list[Claim]:
    """Every formula equality the drill's prompt, hint and explanation state, each checked."""
    reader = _Reader(drill)
    out: list[Claim] = []
    for field in FIELDS:
        for clause in _CLAUSE.split(getattr(drill, field) or ""):
            try:
                out += _chains(reader, drill, field, clause)
            except (ValueError, TypeError, ArithmeticError):  # ExprError is a ValueError
                continue  # too big to evaluate, or the engine refuses the drill's constants
                # (softplus with beta ≤ 0): left out, like a side that cannot be read
    return out
