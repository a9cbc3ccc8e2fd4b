"""`quizapp questions`: generate "compute the gradient" problems as text, JSON or a worksheet.

NumPy (via quizapp.core.generators) is imported inside ``run`` only, so `quizapp --help` and the
other commands stay quick.
"""

from __future__ import annotations

import argparse
import json
import sys

DIFFICULTIES = ("easy", "medium", "hard")  # mirrors generators.base.DIFFICULTIES (no numpy here)
EPILOG = """\
families: activation_value, activation_derivative, backprop_activation, dense_backward,
  two_layer, softmax_xent, sgd_step, init_std, dead_neurons, and the backprop canon
  (losses, normalisation, dropout, attention, …): docs/families.md lists every one with an
  example; an unknown --family prints the full list (or use all)
examples:
  quizapp questions --family backprop_activation --activation leaky_relu --count 3 --seed 1
  quizapp questions --family all --difficulty medium --count 9 --seed 7 --markdown > sheet.md
  quizapp questions --family init_std --param scheme=xavier --json
  quizapp questions --family attention_backward --param causal=true --difficulty medium
"""


def register(subparsers, common) -> None:
    p = subparsers.add_parser(
        "questions", help="generate gradient problems (text, --json or --markdown)",
        description="Generate 'compute the gradient' problems with fresh numbers, answers and "
        "worked solutions. The same --seed always gives the same questions.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--family", default="all", metavar="F", help="question family, or all (default)")
    p.add_argument("--activation", metavar="A",
                   help="activation for families that use one (default: drawn per question)")
    p.add_argument("--difficulty", choices=DIFFICULTIES, default="easy")
    p.add_argument("--count", type=int, default=5, metavar="N", help="how many (default 5)")
    p.add_argument("--seed", type=int, metavar="S",
                   help="seed ≥ 0; question i uses S + i (default: a random seed, printed)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="activation parameter or family option, e.g. alpha=0.2, "
                   "approximate=tanh, scheme=he, at_kink=true, eps=0.1, causal=true; repeatable")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="a JSON list (stable; see docs/cli.md)")
    out.add_argument("--markdown", action="store_true",
                     help="a printable worksheet with the answer key at the end")
    common(p)


def _value(text: str) -> object:
    low = text.strip().lower()
    if low in ("true", "yes", "on"):
        return True
    if low in ("false", "no", "off"):
        return False
    try:
        return float(text)
    except ValueError:
        return text.strip()


def _params(items: list[str]) -> dict[str, object]:
    params: dict[str, object] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--param expects KEY=VALUE, got {item!r}")
        params[key.strip()] = _value(value)
    return params


def _usage(message: str) -> int:
    print(f"quizapp questions: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from quizapp.core.generators import activation_names, family_names, generate_many
    from quizapp.core.generators.worksheet import markdown, text

    if args.family != "all" and args.family not in family_names():
        return _usage(f"unknown family {args.family!r}; families: all, {', '.join(family_names())}")
    if args.count < 0:
        return _usage("--count must be ≥ 0")
    if args.seed is not None and args.seed < 0:
        return _usage("--seed must be ≥ 0")
    if args.seed is None:
        import secrets

        args.seed = secrets.randbelow(1_000_000)
    try:
        params = _params(args.param)
        questions = generate_many(args.family, args.count, args.seed, args.difficulty,
                                  args.activation, params or None)
    except ValueError as error:
        message = str(error)
        if "activation" in message and "activations:" not in message:
            message += f" (activations: {', '.join(activation_names())})"
        return _usage(message)
    if args.json:
        print(json.dumps([q.to_json() for q in questions], ensure_ascii=False, indent=2))
    elif args.markdown:
        print(markdown(questions, args.seed), end="")
    else:
        print(text(questions, args.seed), end="")
    return 0
