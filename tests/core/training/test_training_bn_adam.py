"""BatchNorm and Adam options of the training demo: BatchNorm's backward inside the MLP against
finite differences, Adam against its recurrence written out, and ``train`` with the options against
a hand-written loop; the default (SGD, no BatchNorm) path still runs the fused ``TrainStep``."""

import numpy as np
import pytest

from quizapp.core.engine.bn_mlp import BatchNormMLP
from quizapp.core.engine.gradcheck import check_grad
from quizapp.core.engine.mlp import init_mlp, layer_sizes
from quizapp.core.engine.optimizers import Adam, reference_step
from quizapp.core.engine.training import TrainConfig, setup, train


def _bn_model(n_out=1, depth=2, width=5, activation="tanh", seed=0):
    rng = np.random.default_rng(seed)
    model = BatchNormMLP.from_mlp(init_mlp(layer_sizes(2, depth, width, n_out), "he", rng,
                                           activation=activation))
    for p in model.parameters():  # γ ≠ 1, β ≠ 0, b ≠ 0: every term of the backward matters
        p += rng.normal(0, 0.3, p.shape)
    return model, rng.normal(0, 1, (9, 2)), rng.integers(0, max(2, n_out), 9)


@pytest.mark.parametrize("n_out", [1, 3])
@pytest.mark.parametrize("activation", ["tanh", "gelu"])
def test_batchnorm_backward_matches_finite_differences(n_out, activation):
    model, X, y = _bn_model(n_out, activation=activation)
    _res, grads, _ = model.loss_and_grads(X, y)
    flat = [g for layer in grads for g in layer]
    params = model.parameters()
    assert len(flat) == len(params) == 3 * 2 + 2
    for p, g in zip(params, flat):
        def f(v, p=p):
            saved = p.copy()
            p[...] = v
            try:
                return model.loss(model.forward(X).logits, y).value
            finally:
                p[...] = saved
        chk = check_grad(f, g, p.copy(), tol=1e-6)
        assert chk.ok, (p.shape, chk.max_rel_error)


def test_hidden_bias_before_batchnorm_changes_nothing_so_it_is_not_trained():
    model, X, y = _bn_model()
    before = model.forward(X).logits
    model.bs[0] += 5.0
    np.testing.assert_allclose(model.forward(X).logits, before, rtol=1e-9, atol=1e-9)
    assert not any(p is model.bs[0] for p in model.parameters())


def test_batchnorm_forward_is_pytorch_training_mode():
    model, X, _y = _bn_model()
    fp = model.forward(X)
    H = X @ model.Ws[0] + model.bs[0]
    expect = (H - H.mean(0)) / np.sqrt(H.var(0) + 1e-5) * model.gammas[0] + model.betas[0]  # biased var
    np.testing.assert_allclose(fp.Zs[0], expect, rtol=1e-12, atol=1e-12)


def test_adam_follows_the_written_out_recurrence():
    rng = np.random.default_rng(3)
    w = rng.normal(size=(4, 3))
    opt = Adam([w], lr=0.05)
    w_ref, m, v = w.copy(), np.zeros_like(w), np.zeros_like(w)
    for t in range(1, 8):
        g = rng.normal(size=w.shape) * 10.0 ** (-t)   # shrinking gradients: ε and bias correction show
        opt.step([g])
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w_ref = w_ref - 0.05 * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
        np.testing.assert_allclose(w, w_ref, rtol=1e-13, atol=1e-15)


def _manual_run(cfg, steps):
    """BatchNorm + Adam written out with loss_and_grads and the Adam recurrence."""
    data, model, _rng = setup(cfg)
    params = model.parameters() if cfg.batchnorm else [p for pr in zip(model.Ws, model.bs) for p in pr]
    ms = [np.zeros_like(p) for p in params]
    vs = [np.zeros_like(p) for p in params]
    for t in range(1, steps + 1):
        _res, grads, _ = model.loss_and_grads(data.X, data.y)
        for p, g, m, v in zip(params, [g for lay in grads for g in lay], ms, vs):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            p -= cfg.lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return model


@pytest.mark.parametrize("batchnorm", [False, True])
def test_train_with_adam_and_batchnorm_gives_the_written_out_weights(batchnorm, monkeypatch):
    cfg = TrainConfig(dataset="circles", depth=2, width=8, lr=0.01, steps=5, optimizer="adam",
                      batchnorm=batchnorm)
    seen = []
    import quizapp.core.engine.training as training_mod
    real_setup = training_mod.setup

    def spy(config):
        out = real_setup(config)
        seen.append(out[1])
        return out
    monkeypatch.setattr(training_mod, "setup", spy)
    snaps = list(train(cfg, every=5))
    assert snaps[-1].done and snaps[-1].step == 5
    ref = _manual_run(cfg, 5)
    got = seen[0]
    ps = ref.parameters() if batchnorm else ref.Ws + ref.bs
    qs = got.parameters() if batchnorm else got.Ws + got.bs
    for a, b in zip(qs, ps):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)


def test_default_path_still_uses_the_fused_step(monkeypatch):
    import quizapp.core.engine.optimizers as opts
    calls = []
    monkeypatch.setattr(opts, "reference_step", lambda *a: calls.append(1) or reference_step(*a))
    list(train(TrainConfig(steps=3), every=3))
    assert calls == []
    list(train(TrainConfig(steps=3, optimizer="adam"), every=3))
    assert calls == [1, 1, 1]


def test_batchnorm_keeps_dying_relu_units_alive_and_boundary_uses_data_statistics():
    cfg = TrainConfig.from_preset("dying-relu", seed=0, steps=100)
    plain = list(train(cfg, every=100))[-1]
    bn = list(train(cfg.replace(batchnorm=True), every=100, want_boundary=True))[-1]
    assert not bn.diverged
    assert plain.dead_share > 0.15 and bn.dead_share < plain.dead_share / 3
    assert bn.accuracy > 0.9 and len(bn.grad_norm) == 3
    probs = bn.boundary.probs
    assert probs.min() < 0.1 and probs.max() > 0.9  # a real boundary, not a grid self-normalised flat


def test_bad_optimizer_name_is_a_clean_config_error():
    with pytest.raises(ValueError, match="optimizer must be sgd or adam"):
        TrainConfig(optimizer="rmsprop")
    with pytest.raises(ValueError, match="batchnorm needs batch_size ≥ 2"):
        TrainConfig(batchnorm=True, batch_size=1)
