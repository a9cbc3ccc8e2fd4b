"""`quizapp train`: the dying-ReLU training demo and the born-dead table, for scripts.

    quizapp train [--preset NAME] [--activation A ...] [--init I ...] [flags] [--json]
    quizapp train born-dead [--activation A ...] [--widths W ...] [--depths D ...] [--trials N] [--json]

NumPy is imported inside ``run`` only (the engine modules import it); ``register`` reads the preset
names from ``training``, which imports NumPy lazily, so `quizapp --help` stays quick.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from quizapp.commands import argtypes
from quizapp.core.engine.training import DATASET_NAMES, INIT_NAMES, PRESETS

# flag dest → TrainConfig field, for flags that override the preset / defaults when given
_CONFIG_FLAGS = {
    "dataset": "dataset", "samples": "n_samples", "noise": "noise", "classes": "classes",
    "depth": "depth", "width": "width", "init_std": "init_std", "bad_bias": "bad_bias",
    "lr": "lr", "momentum": "momentum", "steps": "steps", "batch_size": "batch_size",
    "dtype": "dtype", "seed": "seed", "optimizer": "optimizer", "batchnorm": "batchnorm",
}


def _epilog() -> str:
    lines = ["presets (--preset NAME; other flags override the preset's values):"]
    for p in PRESETS.values():
        lines.append(f"  {p.name:<14}{p.summary}")
    lines += ["", "examples:",
              "  quizapp train --preset dying-relu",
              ("  quizapp train --activation relu leaky_relu --dataset moons --depth 4 --width 32"
               " --lr 1.0 --steps 500 --json"),
              "  quizapp train --preset dying-relu --optimizer adam --lr 0.01 --batchnorm --json",
              "  quizapp train born-dead --widths 2 3 4 --depths 2 10 50 --trials 2000"]
    return "\n".join(lines)


def register(subparsers: Any, common: Any) -> None:
    p = subparsers.add_parser(
        "train", help="train a small MLP, count dead units; `train born-dead` for the born-dead table",
        description="Train a small MLP on a 2-D toy data set with ReLU, Leaky ReLU, … (same data, "
        "same initial weights) and report loss, accuracy and the share of inactive and dead units "
        "per layer. `quizapp train born-dead` estimates how often a randomly initialised ReLU "
        "network is dead before training, by width and depth.",
        epilog=_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", nargs="?", choices=["born-dead"],
                   help="born-dead: the probability table instead of a training run")
    p.add_argument("--preset", choices=list(PRESETS), metavar="NAME",
                   help="start from a preset: " + ", ".join(PRESETS))
    p.add_argument("--activation", nargs="+", metavar="NAME",
                   help="hidden activation(s) to compare (default: relu leaky_relu, or the preset's)")
    p.add_argument("--init", nargs="+", choices=INIT_NAMES, metavar="INIT",
                   help=f"weight init(s) to compare: {', '.join(INIT_NAMES)} (default he)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="activation parameter, e.g. alpha=0.1 (goes to each activation that has it)")
    g = p.add_argument_group("training (defaults: moons, 3×16, lr 0.1, 500 steps, full batch)")
    g.add_argument("--dataset", choices=DATASET_NAMES)
    g.add_argument("--samples", type=int, metavar="N", help="data set size (default 200)")
    g.add_argument("--noise", type=float, help="data noise (default 0.1)")
    g.add_argument("--classes", type=int, help="classes for spiral/gauss (default 3)")
    g.add_argument("--depth", type=int, help="hidden layers (default 3)")
    g.add_argument("--width", type=int, help="units per hidden layer (default 16)")
    g.add_argument("--init-std", type=float, metavar="SIGMA", help="σ for --init normal (default 0.1)")
    g.add_argument("--bad-bias", type=float, metavar="B", help="hidden bias for --init bad (default -1)")
    g.add_argument("--lr", type=float, help="learning rate (default 0.1)")
    g.add_argument("--momentum", type=float, help="SGD momentum (default 0)")
    g.add_argument("--optimizer", choices=["sgd", "adam"],
                   help="sgd (default) or adam (torch.optim.Adam, betas 0.9/0.999; uses --lr, not --momentum)")
    g.add_argument("--batchnorm", action="store_true", default=None,
                   help="BatchNorm1d before every hidden activation (batch statistics)")
    g.add_argument("--steps", type=int, help="SGD steps (default 500)")
    g.add_argument("--batch-size", type=int, metavar="N", help="minibatch size (default: full batch)")
    g.add_argument("--dtype", choices=["float64", "float32"])
    g.add_argument("--seed", type=argtypes.seed, help="seed (≥ 0) for data, weights and batches (default 0)")
    g.add_argument("--every", type=int, metavar="K", help="record metrics every K steps (default steps/50)")
    g.add_argument("--boundary", action="store_true",
                   help="with --json: add a 40×40 decision-boundary grid to each snapshot")
    b = p.add_argument_group("born-dead")
    b.add_argument("--widths", type=int, nargs="+", metavar="W", help="default 2 3 4 5 10")
    b.add_argument("--depths", type=int, nargs="+", metavar="D", help="hidden layers; default 2 5 10 20 50")
    b.add_argument("--trials", type=int, default=1000, metavar="N", help="networks per cell (default 1000)")
    b.add_argument("--points", type=int, default=201, metavar="N", help="grid points in [-1, 1] (default 201)")
    p.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    common(p)


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        self.total = max(1, total)
        self.on = sys.stderr.isatty()
        self.last = 0.0

    def update(self, done: int, label: str) -> None:
        now = time.monotonic()
        if not self.on or (now - self.last < 0.1 and done < self.total):
            return
        self.last = now
        frac = min(1.0, done / self.total)
        bar = "#" * int(30 * frac)
        sys.stderr.write(f"\r[{bar:<30}] {100 * frac:5.1f}%  {label[:30]:<30}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.on:
            sys.stderr.write("\r" + " " * 72 + "\r")
            sys.stderr.flush()


def _fail(message: str) -> int:
    print(f"quizapp train: {message}", file=sys.stderr)
    return 2


def _params(items: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--param wants KEY=VALUE, got {item!r}")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            out[key.strip()] = value.strip()
    return out


def run(args: argparse.Namespace) -> int:
    from quizapp.core.engine.activations import get

    try:
        activations = [get(a).name for a in args.activation] if args.activation else None
    except KeyError as error:
        return _fail(str(error.args[0]))
    if args.mode == "born-dead":
        return _born_dead(args, activations or ["relu", "leaky_relu"])
    if args.widths or args.depths:
        return _fail("--widths/--depths belong to `quizapp train born-dead`")
    return _train(args, activations)


def _train(args: argparse.Namespace, activations: list[str] | None) -> int:
    from quizapp.core.engine.training import TrainConfig, compare, run_names

    preset = PRESETS[args.preset] if args.preset else None
    values = dict(preset.config) if preset else {}
    for flag, name in _CONFIG_FLAGS.items():
        if getattr(args, flag) is not None:
            values[name] = getattr(args, flag)
    try:
        values["activation_params"] = _params(args.param)
        config = TrainConfig(**values)
        acts = activations or list(preset.activations if preset else ("relu", "leaky_relu"))
        inits = args.init or (list(preset.inits) if preset and preset.inits else None)
        runs = run_names(config, acts, inits)
    except (ValueError, TypeError) as error:
        return _fail(str(error))
    every = args.every or max(1, config.steps // 50)
    if every < 1:
        return _fail("--every must be ≥ 1")
    history: dict[str, list] = {name: [] for name, _cfg in runs}
    progress = _Progress(config.steps * len(runs))
    done = {name: 0 for name in history}
    try:
        for name, m in compare(config, acts, inits, every=every,
                               want_boundary=args.boundary and args.json):
            history[name].append(m)
            done[name] = m.step
            progress.update(sum(done.values()), f"{name} step {m.step}")
    finally:
        progress.close()
    if args.json:
        out = {"preset": args.preset, "config": config.to_dict(),
               "runs": [{"name": name, "activation": cfg.activation, "init": cfg.init,
                         "activation_params": dict(cfg.activation_params),
                         "final": history[name][-1].to_json(),
                         "history": [m.to_json() for m in history[name]]}
                        for name, cfg in runs]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(_describe(config, args.preset))
    print(format_runs([(name, history[name][0], history[name][-1]) for name, _ in runs]))
    return 0


def _describe(c: Any, preset: str | None) -> str:
    batch = "full batch" if c.batch_size is None else f"batch {c.batch_size}"
    mom = f", momentum {c.momentum:g}" if c.momentum and c.optimizer == "sgd" else ""
    mom += ", Adam" if c.optimizer == "adam" else ""
    mom += ", BatchNorm" if c.batchnorm else ""
    head = f"preset {preset}: " if preset else ""
    return (f"{head}{c.dataset} (n={c.n_samples}, noise {c.noise:g}), {c.depth}×{c.width} hidden, "
            f"lr {c.lr:g}{mom}, {c.steps} steps, {batch}, {c.dtype}, seed {c.seed}")


def _pcts(values: tuple[float, ...]) -> str:
    return " ".join(f"{100 * v:.0f}" for v in values) or "-"


def format_runs(rows: list[tuple[str, Any, Any]]) -> str:
    """Table of (name, first Metrics, last Metrics): final loss/accuracy, inactive/dead % per layer."""
    heads = ("run", "step", "loss", "acc", "dead@0 %", "inactive % per layer", "dead % per layer")
    body = []
    for name, first, last in rows:
        loss = "nan" if last.loss != last.loss else f"{last.loss:.4f}"
        note = " (diverged)" if last.diverged else " (stopped)" if last.stopped else ""
        body.append((name, str(last.step), loss, f"{100 * last.accuracy:.1f}%",
                     f"{100 * first.dead_share:.0f}", _pcts(last.inactive),
                     _pcts(last.dead) + note))
    widths = [max(len(r[i]) for r in [heads, *body]) for i in range(len(heads))]

    def fmt(r: tuple[str, ...]) -> str:
        return "  ".join(v.ljust(w) if i in (0, 5, 6) else v.rjust(w)
                         for i, (v, w) in enumerate(zip(r, widths))).rstrip()

    return "\n".join([fmt(heads), *(fmt(r) for r in body)])


def _born_dead(args: argparse.Namespace, activations: list[str]) -> int:
    from quizapp.core.engine.born_dead import DEFAULT_DEPTHS, DEFAULT_WIDTHS, born_dead_table

    widths = args.widths or list(DEFAULT_WIDTHS)
    depths = args.depths or list(DEFAULT_DEPTHS)
    seed = 0 if args.seed is None else args.seed
    if min(widths) < 1 or min(depths) < 1 or args.trials < 1 or args.points < 2:
        return _fail("widths, depths and --trials must be ≥ 1, --points ≥ 2")
    progress = _Progress(len(activations) * len(widths) * len(depths))
    cells = []
    start = time.perf_counter()
    try:
        for cell in born_dead_table(widths, depths, activations, trials=args.trials, seed=seed,
                                    n_points=args.points):
            cells.append(cell)
            progress.update(len(cells), f"{cell.activation} width {cell.width}")
    finally:
        progress.close()
    if args.json:
        print(json.dumps([c.to_json() for c in cells], ensure_ascii=False, indent=2))
        return 0
    print(f"P(born dead): He-normal weights, zero biases, {args.trials} networks per cell, "
          f"{args.points} inputs in [-1, 1], seed {seed} ({time.perf_counter() - start:.1f} s)")
    print(format_born_dead(cells, widths, depths))
    return 0


def format_born_dead(cells: list, widths: list[int], depths: list[int]) -> str:
    """One block per activation: rows = width, columns = depth (hidden layers)."""
    table = {(c.activation, c.width, c.depth): c.p_dead for c in cells}
    out = []
    for act in dict.fromkeys(c.activation for c in cells):
        out.append(f"\n{act}: width \\ depth")
        out.append("      " + "".join(f"{d:>8}" for d in depths))
        for w in widths:
            out.append(f"{w:>6}" + "".join(f"{table[(act, w, d)]:>8.3f}" for d in depths))
    return "\n".join(out).lstrip("\n")
