"""Formula drills: a prompt whose answer is a formula, graded by equivalence, written as TOML.

~~~toml
id = "leaky-relu-grad"
prompt = "Derivative of Leaky ReLU with respect to z"
answer = "1 if z > 0 else alpha"
accept = ["where(z > 0, 1, alpha)"]      # must all be equivalent to the answer
reject = ["1 if z > 0 else 0"]           # must all NOT be equivalent
vars = { z = [-3, 3] }                   # default: every free name of the answer that is not a constant
constants = { alpha = 0.01 }
hint = "Two cases: z > 0 and z ≤ 0."
explanation = "…"
check_kinks = true                       # also judge z = 0 exactly (the PyTorch convention)
engine = { activation = "leaky_relu", of = "derivative" }   # answer must match the registry
forbid = ["leaky_relu"]                  # functions an answer may not call (any spelling of them)
~~~

:func:`parse_drill_toml` gives the drill and every problem with a 0-based line offset inside the
TOML text (the deck parser adds the fence's line); :func:`validate_drill` checks the maths.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field

from quizapp.core.engine import activations as acts
from quizapp.core.formula.equivalence import Verdict, compare_values, equivalent, sample_points
from quizapp.core.formula.language import Expr, ExprError, check_names, parse
from quizapp.core.formula.functions import CONSTANTS, resolve
from quizapp.core.formula.latex import latex_formula, looks_like_latex, source_col
from quizapp.core.formula.nodes import Call, children
from quizapp.core.formula.toml_fields import FieldLocator
from quizapp.core.formula.var_ranges import range_problem, too_many_vars

__all__ = ["DEFAULT_RANGE", "Drill", "DrillProblem", "Engine", "ForbiddenCall", "parse_drill_toml",
           "validate_drill"]

DEFAULT_RANGE = (-3.0, 3.0)
KEYS = ("id", "prompt", "answer", "accept", "reject", "vars", "constants", "hint", "explanation",
        "check_kinks", "engine", "forbid")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Engine:
    activation: str          # canonical registry name
    of: str = "value"        # "value" (forward) or "derivative"


class ForbiddenCall(ExprError):
    """The formula calls a function the drill forbids (``forbid = ["sigmoid"]``): an input error,
    located at the call, never a wrong answer."""

    def __init__(self, message: str, col: int | None, func: str) -> None:
        super().__init__(message, col)
        self.func = func


def forbidden_call(expr: Expr, forbid: tuple[str, ...]) -> ForbiddenCall | None:
    """The first call in ``expr`` of a function in ``forbid`` (canonical names), as an error."""
    if not forbid or not set(forbid) & expr.functions:
        return None
    stack = [expr.root]
    found: list[Call] = []
    while stack:
        node = stack.pop()
        if isinstance(node, Call) and node.func in forbid:
            found.append(node)
        stack.extend(children(node))
    call = min(found, key=lambda n: n.col)
    col: int | None = call.col or None
    if looks_like_latex(expr.text):
        col = source_col(latex_formula(expr.text)[1], col, len(expr.text))
    written = call.written if call.written and call.written != "|" else call.func
    return ForbiddenCall(f"{written}(…) is not allowed here: this drill asks for the formula without "
                         f"{call.func}", col, call.func)


@dataclass(frozen=True)
class Drill:
    id: str
    prompt: str
    answer: str
    accept: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    vars: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    constants: Mapping[str, float] = field(default_factory=dict)
    hint: str = ""
    explanation: str = ""
    check_kinks: bool = False
    engine: Engine | None = None
    forbid: tuple[str, ...] = ()  # canonical names of functions an answer may not call

    def answer_expr(self) -> Expr:
        return parse(self.answer)

    def read(self, text: str) -> Expr:
        """``text`` parsed and checked (names, forbidden calls); raises a located :class:`ExprError`
        (:class:`ForbiddenCall` for a forbidden function)."""
        expr = parse(text)
        check_names(expr, [*self.vars, *self.constants])
        error = forbidden_call(expr, self.forbid)
        if error is not None:
            raise error
        return expr

    def grade(self, text: str, *, seed: int = 0) -> Verdict:
        """Verdict for a typed answer; raises :class:`ExprError` (with a column) if it cannot be
        read, :class:`ForbiddenCall` if it calls a function the drill forbids."""
        error = forbidden_call(parse(text), self.forbid)
        if error is not None:
            raise error
        return equivalent(self.answer_expr(), text, self.vars, self.constants, seed=seed,
                          check_kinks=self.check_kinks)


@dataclass(frozen=True)
class DrillProblem:
    message: str
    line: int                # 0-based line offset inside the TOML text
    col: int = 1             # 1-based
    severity: str = "error"  # or "warning"
    field: str = ""


# --- validation ----------------------------------------------------------------------------

def _expr_problem(where: str, text: str, error: ExprError) -> str:
    col = f" column {error.col}:" if error.col else ""
    return f"{where} {text!r}:{col} {error.message}"


def _parse_checked(where: str, text: str, known: list[str], out: list[tuple[str, str]],
                   field_name: str) -> Expr | None:
    try:
        expr = parse(text)
        check_names(expr, known)
        return expr
    except ExprError as error:
        out.append((_expr_problem(where, text, error), field_name))
        return None


def validate_drill(drill: Drill) -> list[tuple[str, str]]:
    """Problems as ``(message, field)``; fields: answer, accept[i], reject[i], vars, vars.NAME,
    constants.NAME, engine. Empty when the drill is sound."""
    too_many = too_many_vars(len(drill.vars), "drill declares")
    if too_many:
        return [(too_many, "vars")]
    out: list[tuple[str, str]] = []
    for kind, table in (("vars", drill.vars), ("constants", drill.constants)):
        for name in table:
            if not _NAME.match(name) or name.startswith("__"):
                out.append((f"{name!r} cannot be used as a name in formulas", f"{kind}.{name}"))
            elif resolve(name) is not None or name in CONSTANTS:
                out.append((f"{name!r} is already a function or constant", f"{kind}.{name}"))
    for name, (lo, hi) in drill.vars.items():
        bad = range_problem(name, lo, hi)
        if bad:
            out.append((bad, f"vars.{name}"))
    for name in set(drill.vars) & set(drill.constants):
        out.append((f"{name!r} is both a variable and a constant", f"constants.{name}"))
    if out:
        return out
    known = [*drill.vars, *drill.constants]
    answer = _parse_checked("answer", drill.answer, known, out, "answer")
    if answer is None:
        return out
    for where, text in (("answer", drill.answer), *((f"accept[{i}]", t) for i, t in enumerate(drill.accept))):
        try:
            error = forbidden_call(parse(text), drill.forbid)
        except ExprError:
            continue  # reported below
        if error is not None:
            out.append((f"{where} {text!r} calls {error.func}, which 'forbid' does not allow", where))

    def grade(text: str) -> Verdict:
        return equivalent(answer, text, drill.vars, drill.constants, check_kinks=drill.check_kinks)

    for i, text in enumerate(drill.accept):
        where = f"accept[{i}]"
        if _parse_checked(where, text, known, out, where) is not None:
            verdict = grade(text)
            if not verdict.equivalent:
                said = verdict.message.replace("your formula", "it")
                out.append((f"{where} {text!r} is not equivalent to the answer: {said}", where))
    for i, text in enumerate(drill.reject):
        where = f"reject[{i}]"
        if _parse_checked(where, text, known, out, where) is not None and grade(text).equivalent:
            out.append((f"{where} {text!r} is equivalent to the answer, so it would be accepted", where))
    if drill.engine is not None:
        problem = _engine_problem(drill, answer)
        if problem:
            out.append((problem, "engine"))
    return out


def _engine_problem(drill: Drill, answer: Expr) -> str | None:
    act = acts.get(drill.engine.activation)
    if not act.is_elementwise:
        return f"engine: {act.name} is not elementwise, so it cannot be drilled as a formula"
    if len(drill.vars) != 1:
        return f"engine: the drill needs exactly one variable (has {len(drill.vars)})"
    (var,) = drill.vars
    params = {k: float(v) for k, v in drill.constants.items() if k in act.defaults}
    kinks = {var: tuple(sorted({*answer.kinks(drill.constants).get(var, ()), *act.kinks}))}
    points = sample_points(drill.vars, kinks, check_kinks=drill.check_kinks)
    fn = act.forward if drill.engine.of == "value" else act.derivative
    env = {**points, **{k: float(v) for k, v in drill.constants.items()}}
    verdict = compare_values(points, fn(points[var], **params), answer.evaluate(env))
    if verdict.equivalent:
        return None
    shown = ", ".join(f"{k}={v}" for k, v in params.items())
    what = f"{act.name}{' derivative' if drill.engine.of == 'derivative' else ''}({var}"
    what += f", {shown})" if shown else ")"
    return (f"engine: the answer does not match the registry's {what}: "
            f"{verdict.message.replace('your formula', 'the answer')}")


# --- TOML ----------------------------------------------------------------------------------

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def parse_drill_toml(text: str, *, validate: bool = True) -> tuple[Drill | None, list[DrillProblem]]:
    """The drill in ``text`` (``None`` if it is unusable) and its problems, located by line offset."""
    locator = FieldLocator(text.splitlines())
    problems: list[DrillProblem] = []

    def problem(message: str, field_name: str, severity: str = "error") -> None:
        line, col = locator.locate(field_name)
        problems.append(DrillProblem(message, line, col, severity, field_name))

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        m = _TOML_POS.search(str(error))
        line, col = (int(m.group(1)) - 1, int(m.group(2))) if m else (0, 1)
        message = _TOML_POS.sub("", str(error)).strip()
        return None, [DrillProblem(f"invalid TOML: {message}", line, col, "error", "")]

    for key in data:
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" — did you mean '{close[0]}'?" if close else f" (known: {', '.join(KEYS)})"
            problem(f"unknown key '{key}'{hint}", key, "warning")

    def text_field(key: str, required: bool) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            problem(f"'{key}' must be a string", key)
            return ""
        if required and not value.strip():
            problem(f"'{key}' is required", key)
        return value.strip()

    drill_id, prompt, answer = (text_field(k, True) for k in ("id", "prompt", "answer"))
    hint, explanation = text_field("hint", False), text_field("explanation", False)
    lists = {}
    for key in ("accept", "reject"):
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problem(f"'{key}' must be a list of strings", key)
            value = []
        lists[key] = tuple(value)
    constants: dict[str, float] = {}
    raw_constants = data.get("constants", {})
    if not isinstance(raw_constants, dict):
        problem("'constants' must be a table like { alpha = 0.01 }", "constants")
        raw_constants = {}
    for name, value in raw_constants.items():
        number = _number(value)
        if number is None or not math.isfinite(number):
            problem(f"constant '{name}' must be a number", f"constants.{name}")
        else:
            constants[name] = number
    vars_: dict[str, tuple[float, float]] = {}
    raw_vars = data.get("vars")
    declared = raw_vars is not None
    if raw_vars is None and answer:
        try:
            raw_vars = {n: list(DEFAULT_RANGE) for n in sorted(parse(answer).names) if n not in constants}
        except ExprError:
            raw_vars = {}
    if not isinstance(raw_vars, dict):
        problem("'vars' must be a table like { z = [-3, 3] }", "vars")
        raw_vars = {}
    too_many = too_many_vars(len(raw_vars), "drill declares" if declared else "the answer uses")
    if too_many:  # checked before anything is done per variable
        problem(too_many, "vars" if declared else "answer")
        raw_vars = {}
    for name, value in raw_vars.items():
        pair = [_number(v) for v in value] if isinstance(value, list) else []
        if len(pair) != 2 or None in pair:
            problem(f"range of '{name}' must be two numbers like [-3, 3]", f"vars.{name}")
        elif bad := range_problem(name, *pair):
            problem(bad, f"vars.{name}")
        else:
            vars_[name] = (pair[0], pair[1])
    check_kinks = data.get("check_kinks", False)
    if not isinstance(check_kinks, bool):
        problem("'check_kinks' must be true or false", "check_kinks")
        check_kinks = False
    engine = _parse_engine(data.get("engine"), problem)
    forbid = _parse_forbid(data.get("forbid", []), problem)

    if any(p.severity == "error" for p in problems):
        return None, problems
    drill = Drill(drill_id, prompt, answer, lists["accept"], lists["reject"], vars_, constants, hint,
                  explanation, check_kinks, engine, forbid)
    if validate:
        for message, field_name in validate_drill(drill):
            problem(message, field_name)
    return drill, problems


def _parse_forbid(raw: object, problem) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        problem('\'forbid\' must be a list of function names like ["sigmoid"]', "forbid")
        return ()
    names = []
    for name in raw:
        spec = resolve(name) or resolve(name.lower())
        if spec is None:
            problem(f"forbid: {name!r} is not a function of the formula language", "forbid")
        else:
            names.append(spec.name)
    return tuple(dict.fromkeys(names))


def _parse_engine(raw: object, problem) -> Engine | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problem('\'engine\' must be a table like { activation = "relu", of = "value" }', "engine")
        return None
    try:
        name = acts.canonical_name(str(raw.get("activation", "")))
    except KeyError:
        problem(f"engine: unknown activation {raw.get('activation')!r} "
                f"(known: {', '.join(acts.names(elementwise_only=True))})", "engine")
        return None
    of = raw.get("of", "value")
    if of not in ("value", "derivative"):
        problem(f"engine: 'of' must be \"value\" or \"derivative\", not {of!r}", "engine")
        return None
    unknown = set(raw) - {"activation", "of"}
    if unknown:
        problem(f"engine: unknown key(s) {', '.join(sorted(unknown))}", "engine", "warning")
    return Engine(name, of)
