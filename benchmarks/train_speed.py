"""Steps per second of the training demo's trainer against a bare NumPy loop (and PyTorch CPU).

Network 2→64→64→64→1, ReLU, binary cross-entropy from logits, plain SGD, minibatches of 256 drawn
from 2,048 moons points, float64, BLAS pinned to one thread for every contender. The bare loop is the
same network written out by hand (no registry, no dataclasses); PyTorch (if importable) runs the same
network in float64 with ``torch.set_num_threads(1)``. Rounds are interleaved so machine noise hits
all alike; the median of the per-round ratios is reported.

Goals: trainer ≥ 0.9 × bare NumPy; trainer ≥ 2 × PyTorch CPU (small nets are overhead-bound there).
The optimiser/BatchNorm options (``optimizer="adam"``, ``batchnorm=True``) do not use the fused
step; their own rates, relative to the default trainer, are printed last (no goal: they may be slower).
Run: python benchmarks/train_speed.py [steps] [rounds]
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

from quizapp.core.engine.training import TrainConfig, setup, train

CONFIG = TrainConfig(dataset="moons", n_samples=2048, depth=3, width=64, activation="relu",
                     init="he", lr=0.05, batch_size=256, seed=0)


def trainer_rate(steps: int, **options: object) -> float:
    gen = train(CONFIG.replace(steps=steps, **options), every=steps)
    next(gen)  # step-0 snapshot: setup is not timed
    start = time.process_time()
    for _ in gen:
        pass
    return steps / (time.process_time() - start)


def bare_rate(steps: int) -> float:
    data, model, _ = setup(CONFIG)
    X, y = data.X, data.y.astype(np.float64).reshape(-1, 1)
    Ws = [W.copy() for W in model.Ws]
    bs = [b.copy() for b in model.bs]
    rng = np.random.default_rng(0)
    m, batch, lr = len(X), 256, CONFIG.lr
    order, pos = rng.permutation(m), 0
    start = time.process_time()
    for _ in range(steps):
        if pos + batch > m:
            order, pos = rng.permutation(m), 0
        idx = order[pos:pos + batch]
        pos += batch
        A0, yb = X[idx], y[idx]
        Z1 = A0 @ Ws[0] + bs[0]
        A1 = np.maximum(Z1, 0.0)
        Z2 = A1 @ Ws[1] + bs[1]
        A2 = np.maximum(Z2, 0.0)
        Z3 = A2 @ Ws[2] + bs[2]
        A3 = np.maximum(Z3, 0.0)
        z = A3 @ Ws[3] + bs[3]
        e = np.exp(-np.abs(z))
        _loss = np.mean(np.maximum(z, 0.0) - z * yb + np.log1p(e))
        dz = (np.where(z >= 0, 1.0, e) / (1.0 + e) - yb) / batch
        grads = [None] * 4
        grads[3] = (A3.T @ dz, dz.sum(0))
        dZ3 = (dz @ Ws[3].T) * (Z3 > 0)
        grads[2] = (A2.T @ dZ3, dZ3.sum(0))
        dZ2 = (dZ3 @ Ws[2].T) * (Z2 > 0)
        grads[1] = (A1.T @ dZ2, dZ2.sum(0))
        dZ1 = (dZ2 @ Ws[1].T) * (Z1 > 0)
        grads[0] = (A0.T @ dZ1, dZ1.sum(0))
        for i, (dW, db) in enumerate(grads):
            Ws[i] -= lr * dW
            bs[i] -= lr * db
    return steps / (time.process_time() - start)


def torch_rate(steps: int) -> float | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    data, model, _ = setup(CONFIG)
    X = torch.from_numpy(data.X)
    y = torch.from_numpy(data.y.astype(np.float64)).reshape(-1, 1)
    layers = []
    for i, (W, b) in enumerate(zip(model.Ws, model.bs)):
        lin = torch.nn.Linear(W.shape[0], W.shape[1], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W.T.copy()))
            lin.bias.copy_(torch.from_numpy(b))
        layers += [lin] + ([torch.nn.ReLU()] if i < len(model.Ws) - 1 else [])
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(net.parameters(), lr=CONFIG.lr)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    gen = torch.Generator().manual_seed(0)
    m, batch = len(X), 256
    order, pos = torch.randperm(m, generator=gen), 0
    start = time.process_time()
    for _ in range(steps):
        if pos + batch > m:
            order, pos = torch.randperm(m, generator=gen), 0
        idx = order[pos:pos + batch]
        pos += batch
        opt.zero_grad()
        loss = loss_fn(net(X[idx]), y[idx])
        loss.backward()
        opt.step()
    return steps / (time.process_time() - start)


def main(steps: int = 2000, rounds: int = 7) -> None:
    ours, bare, torch_ = [], [], []
    with threadpool_limits(1):
        trainer_rate(100), bare_rate(100), torch_rate(100)  # warm up
        for _ in range(rounds):
            ours.append(trainer_rate(steps))
            bare.append(bare_rate(steps))
            t = torch_rate(steps)
            if t is not None:
                torch_.append(t)
    print(f"network 2→64→64→64→1 ReLU, batch 256, float64, 1 BLAS thread, {steps} steps × {rounds} rounds")
    print(f"trainer      {statistics.median(ours):9.0f} steps/s")
    print(f"bare NumPy   {statistics.median(bare):9.0f} steps/s")
    ratio = statistics.median(o / b for o, b in zip(ours, bare))
    print(f"trainer / bare NumPy = {ratio:.3f}  (goal ≥ 0.9)")
    if torch_:
        print(f"PyTorch CPU  {statistics.median(torch_):9.0f} steps/s")
        tratio = statistics.median(o / t for o, t in zip(ours, torch_))
        print(f"trainer / PyTorch    = {tratio:.3f}  (goal ≥ 2)")
    else:
        print("PyTorch not importable: torch comparison skipped")
    options_report(max(200, steps // 4), 3)


def options_report(steps: int, rounds: int) -> None:
    """steps/s of the reference-step options, as a fraction of the default trainer (interleaved)."""
    variants = {"adam": {"optimizer": "adam"}, "batchnorm": {"batchnorm": True},
                "adam + batchnorm": {"optimizer": "adam", "batchnorm": True}}
    rates: dict[str, list[float]] = {"sgd (default)": [], **{k: [] for k in variants}}
    with threadpool_limits(1):
        for _ in range(rounds):
            rates["sgd (default)"].append(trainer_rate(steps))
            for name, opts in variants.items():
                rates[name].append(trainer_rate(steps, **opts))
    base = rates["sgd (default)"]
    for name, rs in rates.items():
        rel = statistics.median(r / b for r, b in zip(rs, base))
        print(f"option {name:<17}{statistics.median(rs):7.0f} steps/s  ({rel:.2f}× the default)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
