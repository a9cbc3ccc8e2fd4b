"""`quizapp check-answer`: is a typed formula equivalent to the expected one?

Exit 0 equivalent, 1 not equivalent, 2 an input error (shown with a caret under the column).
NumPy and the formula modules are imported inside ``run`` so `quizapp --help` stays quick.
"""

from __future__ import annotations

import argparse
import json
import sys

from quizapp.commands import argtypes

HELP = "check a typed formula against the expected one by evaluating both"
DEFAULT_RANGE = (-3.0, 3.0)


def register(subparsers, common) -> None:
    parser = subparsers.add_parser(
        "check-answer", help=HELP, description=HELP + ". Exit 0 equivalent, 1 not, 2 input error.",
        epilog="example: quizapp check-answer --expected 'leaky_relu(z, alpha)' "
               "--answer 'max(α·z, z)' --const alpha=0.01",
    )
    parser.add_argument("--expected", required=True, metavar="E", help="the correct formula")
    parser.add_argument("--answer", required=True, metavar="A", help="the formula to check")
    parser.add_argument("--var", action="append", default=[], metavar="NAME=LO:HI",
                        help="a variable and its range (default: every free name of E that is not a "
                             "constant, over -3:3); repeatable")
    parser.add_argument("--const", action="append", default=[], metavar="NAME=VALUE",
                        help="a constant (VALUE may be a formula like 1/3); repeatable")
    parser.add_argument("--check-kinks", action="store_true",
                        help="also judge the exact kink points (e.g. z = 0 for ReLU′)")
    parser.add_argument("--seed", type=argtypes.seed, default=0, help="seed (≥ 0) for the random sample points")
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    common(parser)


class _InputError(Exception):
    def __init__(self, field: str, message: str, text: str = "", col: int | None = None) -> None:
        super().__init__(message)
        self.field, self.message, self.text, self.col = field, message, text, col


def _split(item: str, option: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise _InputError(option, f"expected NAME=VALUE, got {item!r}", item)
    return name.strip(), value.strip()


def _constant(option: str, text: str) -> float:
    from quizapp.core.formula.language import ExprError, evaluate, parse

    try:
        expr = parse(text)
        if expr.names:
            first = min(expr.names)
            raise ExprError(f"a constant cannot use '{first}'", expr.name_cols[first])
        return float(evaluate(expr, {}))
    except ExprError as error:
        raise _InputError(option, error.message, text, error.col) from None


def _inputs(args: argparse.Namespace):
    from quizapp.core.formula.language import ExprError, parse
    from quizapp.core.formula.var_ranges import range_problem, too_many_vars

    constants: dict[str, float] = {}
    for item in args.const:
        name, value = _split(item, "--const")
        constants[name] = _constant(f"--const {name}", value)
    vars_: dict[str, tuple[float, float]] = {}
    for item in args.var:
        name, value = _split(item, "--var")
        lo, sep, hi = value.rpartition(":")
        if not sep:
            raise _InputError("--var", f"expected NAME=LO:HI like z=-3:3, got {item!r}", item)
        vars_[name] = (_constant(f"--var {name}", lo), _constant(f"--var {name}", hi))
        if bad := range_problem(name, *vars_[name]):
            raise _InputError(f"--var {name}", bad, item)
    parsed = {}
    for field, text in (("--expected", args.expected), ("--answer", args.answer)):
        try:
            parsed[field] = parse(text)
        except ExprError as error:
            raise _InputError(field, error.message, text, error.col) from None
    if not args.var:
        vars_ = {n: DEFAULT_RANGE for n in sorted(parsed["--expected"].names) if n not in constants}
    if too_many := too_many_vars(len(vars_), "gives" if args.var else "uses"):
        raise _InputError("--var" if args.var else "--expected", too_many)
    return parsed["--expected"], parsed["--answer"], vars_, constants


def run(args: argparse.Namespace) -> int:
    from quizapp.core.formula.equivalence import equivalent
    from quizapp.core.formula.language import ExprError, to_text

    try:
        expected, answer, vars_, constants = _inputs(args)
        try:
            verdict = equivalent(expected, answer, vars_, constants, seed=args.seed,
                                 check_kinks=args.check_kinks)
        except ExprError as error:  # an unknown name, too much work: blame the formula that has it
            field, text = "--answer", args.answer
            if error.formula == "expected":
                field, text = "--expected", args.expected
            raise _InputError(field, error.message, text, error.col) from None
        except ValueError as error:
            raise _InputError("--var", str(error)) from None
    except _InputError as error:
        return _report_error(args, error)
    if args.json:
        out = {**verdict.to_json(), "expected": to_text(expected), "answer": to_text(answer),
               "vars": {k: list(v) for k, v in vars_.items()}, "constants": constants}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        status = "equivalent" if verdict.equivalent else "not equivalent"
        print(f"{status}: {verdict.message}" if not verdict.equivalent else verdict.message)
        if not verdict.equivalent:
            print(f"  expected: {to_text(expected)}")
            print(f"  answer:   {to_text(answer)}")
    return 0 if verdict.equivalent else 1


def _report_error(args: argparse.Namespace, error: _InputError) -> int:
    from quizapp.core.formula.language import ExprError

    if args.json:
        print(json.dumps({"error": {"field": error.field.lstrip("-"), "message": error.message,
                                    "col": error.col, "text": error.text}}, ensure_ascii=False,
                         indent=2))
    else:
        where = f" column {error.col}" if error.col else ""
        print(f"quizapp check-answer: {error.field}{where}: {error.message}", file=sys.stderr)
        if error.text:
            print(ExprError(error.message, error.col).caret(error.text), file=sys.stderr)
    return 2
