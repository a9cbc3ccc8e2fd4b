"""Issue 15, part B: conv1d, conv2d_shape, maxpool_backward, rnn_bptt, l2_penalty_grad,
momentum_step, adam_step, clip_grad_norm.

Every answer is checked against an independent reference written here (plain loops and
finite differences of the loss the question states, or the optimiser recurrence written out),
never against the engine function the family calls.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from quizapp import cli
from quizapp.core.engine.gradcheck import numeric_grad
from quizapp.core.generators import DIFFICULTIES, generate, grade
from quizapp.core.generators.worksheet import answer_text

FAMILIES_B = ("conv1d", "conv2d_shape", "maxpool_backward", "rnn_bptt", "l2_penalty_grad",
              "momentum_step", "adam_step", "clip_grad_norm")
SEEDS = range(10)
CASES = [(d, s) for d in DIFFICULTIES for s in SEEDS]


def arr(x):
    return np.asarray(x, dtype=float)


def close(got, want, rtol=1e-6, atol=1e-7):
    got, want = arr(got), arr(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


# ---- references ------------------------------------------------------------------------------

def conv1d_loop(x, w, b, s, p):
    """y[o, j] = b[o] + Σ_c Σ_i w[o, c, i]·x_pad[c, j·s + i], by loops."""
    c_in, L = x.shape
    c_out, _, k = w.shape
    xp = np.zeros((c_in, L + 2 * p))
    xp[:, p:p + L] = x
    l_out = 0
    while l_out * s + k <= L + 2 * p:  # count the windows that fit, no formula
        l_out += 1
    y = np.zeros((c_out, l_out))
    for o in range(c_out):
        for j in range(l_out):
            y[o, j] = b[o] + sum(w[o, c, i] * xp[c, j * s + i] for c in range(c_in) for i in range(k))
    return y


def maxpool_loop(x):
    h, w = x.shape
    return np.array([[x[2 * i:2 * i + 2, 2 * j:2 * j + 2].max() for j in range(w // 2)]
                     for i in range(h // 2)])


def rnn_last_state(x, h0, Wx, Wh, b):
    h = h0
    for row in x:
        h = np.tanh(row @ Wx + h @ Wh + b)
    return h


# ---- answers -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("difficulty", "seed"), CASES)
def test_conv1d_matches_loops_and_finite_differences(difficulty, seed):
    q = generate("conv1d", seed=seed, difficulty=difficulty)
    x, w, b, dy = (arr(q.inputs[k]) for k in ("x", "w", "b", "dy"))
    s, p = q.params["stride"], q.params["padding"]
    close(q.answer["y"], conv1d_loop(x, w, b, s, p))

    def loss(x_=x, w_=w, b_=b):
        return float(np.sum(dy * conv1d_loop(x_, w_, b_, s, p)))

    close(q.answer["dx"], numeric_grad(lambda v: loss(x_=v), x))
    close(q.answer["dw"], numeric_grad(lambda v: loss(w_=v), w))
    close(q.answer["db"], numeric_grad(lambda v: loss(b_=v), b))
    assert w.ndim == 3 and arr(q.answer["dw"]).shape == w.shape


def test_conv1d_stride_and_padding_options():
    q = generate("conv1d", seed=2, difficulty="hard", params={"stride": 1.0, "padding": 0})
    assert q.params == {"stride": 1, "padding": 0}
    assert arr(q.answer["y"]).shape[1] == arr(q.inputs["x"]).shape[1] - arr(q.inputs["w"]).shape[2] + 1
    for bad, match in (({"stride": 0}, "stride must be an integer"),
                       ({"padding": 1.5}, "padding must be an integer"),
                       ({"stride": True}, "stride must be an integer")):
        with pytest.raises(ValueError, match=match):
            generate("conv1d", seed=0, params=bad)


def brute_out(n, k, s, p, d):
    """Positions where a dilated kernel fits in the padded input, counted one by one."""
    return sum(1 for start in range(0, n + 2 * p, s) if start + d * (k - 1) < n + 2 * p)


@pytest.mark.parametrize(("difficulty", "seed"), [(d, s) for d in DIFFICULTIES for s in range(40)])
def test_conv2d_shape_counts_window_positions_and_parameters(difficulty, seed):
    q = generate("conv2d_shape", seed=seed, difficulty=difficulty)
    H, W, C = q.inputs["input"]

    def pair(name):
        v = q.inputs[name]
        return (v[0], v[1]) if isinstance(v, list) else (v, v)

    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = (pair(n) for n in ("kernel", "stride", "padding", "dilation"))
    assert q.answer["out_h"] == brute_out(H, kh, sh, ph, dh) >= 1
    assert q.answer["out_w"] == brute_out(W, kw, sw, pw, dw) >= 1
    weights = np.zeros((q.inputs["filters"], C, kh, kw))
    assert q.answer["params"] == weights.size + q.inputs["filters"]
    assert all(isinstance(q.answer[k], int) and q.tolerances[k].integer for k in q.answer)


def test_conv2d_shape_hard_uses_dilation_and_pairs():
    qs = [generate("conv2d_shape", seed=s, difficulty="hard") for s in range(40)]
    assert any(q.inputs["dilation"] not in (1, [1, 1]) for q in qs)
    assert any(isinstance(q.inputs["kernel"], list) for q in qs)
    assert any("Dilated kernel span" in q.solution[0] for q in qs)


@pytest.mark.parametrize(("difficulty", "seed"), CASES)
def test_maxpool_matches_loops_and_the_tie_rule(difficulty, seed):
    q = generate("maxpool_backward", seed=seed, difficulty=difficulty)
    x, dy = arr(q.inputs["x"]), arr(q.inputs["dy"])
    close(q.answer["y"], maxpool_loop(x), rtol=0, atol=0)
    want = np.zeros_like(x)
    for i in range(dy.shape[0]):
        for j in range(dy.shape[1]):
            block = x[2 * i:2 * i + 2, 2 * j:2 * j + 2]
            r, c = next((r, c) for r in range(2) for c in range(2) if block[r, c] == block.max())
            want[2 * i + r, 2 * j + c] += dy[i, j]
    close(q.answer["dx"], want, rtol=0, atol=0)
    if not q.difficulty == "hard":  # one maximum per window: finite differences agree too
        close(q.answer["dx"], numeric_grad(lambda v: np.sum(dy * maxpool_loop(v)), x, eps=1e-4))


def test_hard_maxpool_sometimes_has_a_tie_and_says_who_gets_the_gradient():
    tied = [q for q in (generate("maxpool_backward", seed=s, difficulty="hard") for s in range(30))
            if any("a tie" in line for line in q.solution)]
    assert tied and all("row-major" in " ".join(q.conventions) for q in tied)
    assert any(arr(q.inputs["x"]).shape[0] % 2 or arr(q.inputs["x"]).shape[1] % 2 for q in
               (generate("maxpool_backward", seed=s, difficulty="hard") for s in range(30)))


@pytest.mark.parametrize(("difficulty", "seed"), CASES)
def test_rnn_bptt_matches_finite_differences_of_the_last_state_loss(difficulty, seed):
    q = generate("rnn_bptt", seed=seed, difficulty=difficulty)
    v = {k: arr(q.inputs[k]) for k in ("x", "h0", "Wx", "Wh", "b")}
    dh_T = arr(q.inputs["dh_T"])
    assert q.activation == "tanh"

    def loss(**over):
        return float(dh_T @ rnn_last_state(**{**v, **over}))

    for answer, key in (("dWx", "Wx"), ("dWh", "Wh"), ("db", "b"), ("dh0", "h0")):
        close(q.answer[answer], numeric_grad(lambda w, key=key: loss(**{key: w}), v[key]))


@pytest.mark.parametrize(("difficulty", "seed"), CASES)
def test_l2_penalty_both_forms(difficulty, seed):
    q = generate("l2_penalty_grad", seed=seed, difficulty=difficulty)
    W, dW = arr(q.inputs["W"]), arr(q.inputs["dW_data"])
    lam, lr = q.params["lambda"], q.params["lr"]
    if q.params["decoupled"]:
        close(q.answer["dW_total"], dW)
        close(q.answer["W_new"], W - lr * lam * W - lr * dW)
    else:  # gradient of L_data + (λ/2)‖W‖², with L_data linear so that ∂L_data/∂W = dW_data
        close(q.answer["dW_total"], numeric_grad(lambda w: np.sum(dW * w) + lam / 2 * np.sum(w * w), W))
        close(q.answer["W_new"], W - lr * arr(q.answer["dW_total"]))
    assert not grade(q, "W_new", json.dumps((W - lr * dW).tolist())).correct  # forgot the decay


def test_l2_decoupled_option_and_both_forms_appear():
    forms = {generate("l2_penalty_grad", seed=s, difficulty="medium").params["decoupled"]
             for s in range(12)}
    assert forms == {True, False}
    q = generate("l2_penalty_grad", seed=0, difficulty="hard", params={"decoupled": True})
    assert q.params["decoupled"] is True and "decoupled" in q.prompt
    with pytest.raises(ValueError, match="decoupled must be true or false"):
        generate("l2_penalty_grad", seed=0, params={"decoupled": "yes"})


def torch_sgd_momentum(w, grads, lr, mu, nesterov):
    """torch.optim.SGD's loop, written out: buffer starts as g on the first step."""
    buf = None
    for g in grads:
        buf = g.copy() if buf is None else mu * buf + g
        w = w - lr * (g + mu * buf if nesterov else buf)
    return w, buf


@pytest.mark.parametrize(("difficulty", "seed"), CASES)
def test_momentum_step_is_one_step_of_torch_sgd(difficulty, seed):
    q = generate("momentum_step", seed=seed, difficulty=difficulty)
    w, g, v = (arr(q.inputs[k]) for k in ("w", "g", "v"))
    lr, mu, nesterov = q.params["lr"], q.params["mu"], q.params["nesterov"]
    # torch's loop over gradients [v, g]: the first step leaves buffer = v; start it from the w
    # that the first step turns into the question's w, so the second step is the question's step
    w0 = w + lr * (v + mu * v if nesterov else v)
    w_new, v_new = torch_sgd_momentum(w0, [v, g], lr, mu, nesterov)
    close(q.answer["v_new"], v_new)
    close(q.answer["w_new"], w_new)
    assert not grade(q, "w_new", answer_text_of(w)).correct  # "no update" is wrong
    assert not grade(q, "w_new", answer_text_of(w - lr * g)).correct  # "no momentum" is wrong


def answer_text_of(values):
    return json.dumps(arr(values).tolist())


def test_nesterov_option_and_both_forms_appear():
    forms = {generate("momentum_step", seed=s, difficulty="hard").params["nesterov"] for s in range(12)}
    assert forms == {True, False}
    assert generate("momentum_step", seed=1, params={"nesterov": True}).params["nesterov"] is True
    with pytest.raises(ValueError, match="nesterov must be true or false"):
        generate("momentum_step", seed=0, params={"nesterov": 1.0})


def adam_written_out(w, g, m, v, t, lr, b1, b2, eps, wd):
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    w = w * (1 - lr * wd)
    return m, v, w - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)


@pytest.mark.parametrize(("difficulty", "seed"), CASES)
def test_adam_step_is_the_written_out_update(difficulty, seed):
    q = generate("adam_step", seed=seed, difficulty=difficulty)
    p = q.params
    m_new, v_new, w_new = adam_written_out(*(arr(q.inputs[k]) for k in ("w", "g", "m", "v")),
                                           q.inputs["t"], p["lr"], p["beta1"], p["beta2"], p["eps"],
                                           p["weight_decay"])
    close(q.answer["m_new"], m_new)
    close(q.answer["v_new"], v_new)
    close(q.answer["w_new"], w_new, rtol=1e-9)
    assert isinstance(q.inputs["t"], int) and q.inputs["t"] >= 1
    if q.inputs["t"] == 1:
        assert not np.any(q.inputs["m"]) and not np.any(q.inputs["v"])


def test_adam_easy_first_step_moves_by_lr_and_hard_has_adamw():
    for s in range(8):
        q = generate("adam_step", seed=s, difficulty="easy")
        step = arr(q.inputs["w"]) - arr(q.answer["w_new"])
        close(step, q.params["lr"] * np.sign(arr(q.inputs["g"])), rtol=1e-6)
    hard = [generate("adam_step", seed=s, difficulty="hard") for s in range(12)]
    decayed = [q for q in hard if q.params["weight_decay"] > 0]
    assert decayed and all("AdamW" in q.prompt for q in decayed)
    for q in decayed:  # forgetting the decoupled decay is marked wrong
        p = q.params
        no_decay = adam_written_out(*(arr(q.inputs[k]) for k in ("w", "g", "m", "v")),
                                    q.inputs["t"], p["lr"], p["beta1"], p["beta2"], p["eps"], 0.0)[2]
        assert not grade(q, "w_new", answer_text_of(no_decay)).correct
    q = generate("adam_step", seed=0, params={"weight_decay": 0.25})
    assert q.params["weight_decay"] == 0.25
    with pytest.raises(ValueError, match="weight_decay must be a number ≥ 0"):
        generate("adam_step", seed=0, params={"weight_decay": -0.1})


@pytest.mark.parametrize(("difficulty", "seed"), CASES)
def test_clip_grad_norm_as_torch(difficulty, seed):
    q = generate("clip_grad_norm", seed=seed, difficulty=difficulty)
    grads, max_norm = arr(q.inputs["grads"]), q.params["max_norm"]
    total = math.sqrt(float(np.sum(grads ** 2)))
    assert q.answer["total_norm"] == pytest.approx(total, rel=1e-11)  # answers keep 12 digits
    coef = min(1.0, max_norm / (total + 1e-6))
    close(q.answer["clipped_grads"], grads * coef, rtol=1e-11, atol=0)


def test_clip_grad_norm_has_clipped_and_untouched_cases_and_max_norm_option():
    qs = [generate("clip_grad_norm", seed=s, difficulty="medium") for s in range(20)]
    untouched = [q for q in qs if q.answer["clipped_grads"] == q.inputs["grads"]]
    assert 0 < len(untouched) < len(qs)
    q = generate("clip_grad_norm", seed=3, params={"max_norm": 0.5})
    assert q.params["max_norm"] == 0.5
    with pytest.raises(ValueError, match="max_norm must be a number > 0"):
        generate("clip_grad_norm", seed=0, params={"max_norm": 0})


# ---- what every family B question offers -------------------------------------------------------

@pytest.mark.parametrize("family", FAMILIES_B)
def test_hints_name_the_intermediates_in_order_without_giving_numbers_away(family):
    for difficulty in DIFFICULTIES:
        qs = [generate(family, seed=s, difficulty=difficulty) for s in range(10)]
        for q in qs:
            assert len(q.hints) >= 3 and q.hints[0].startswith("first "), q.hints
            assert all(h.strip() for h in q.hints)
        # no question's numbers leak into a hint: hints differ only by the form asked
        # (Nesterov or not, decoupled or not, AdamW or not)
        assert len({q.hints for q in qs}) <= 2, {q.hints for q in qs}


@pytest.mark.parametrize("family", FAMILIES_B)
def test_conventions_name_pytorch_and_solutions_are_step_by_step(family):
    q = generate(family, seed=1, difficulty="hard")
    assert any("PyTorch" in c or "torch." in c for c in q.conventions), q.conventions
    assert len(q.solution) >= 3


def test_skill_cards_of_family_b_pass_quizapp_check(tmp_path):
    from quizapp.core.content.check import run_check

    blocks = [f'```gradient\nid = "b-{f}"\nfamily = "{f}"\ndifficulty = "medium"\n```\n'
              for f in FAMILIES_B]
    blocks.append('```gradient\nid = "b-adamw"\nfamily = "adam_step"\ndifficulty = "hard"\n'
                  'params = { weight_decay = 0.1 }\n```\n')
    blocks.append('```gradient\nid = "b-conv"\nfamily = "conv1d"\nparams = { stride = 2, padding = 1 }\n```\n')
    good = tmp_path / "good.md"
    good.write_text('+++\ndeck = "fam-b"\n+++\n\n' + "\n".join(blocks), encoding="utf-8")
    report = run_check([good])
    assert report.exit_code == 0, report.text()
    bad = tmp_path / "bad.md"
    bad.write_text('+++\ndeck = "fam-bad"\n+++\n\n```gradient\nid = "n"\nfamily = "momentum_step"\n'
                   'params = { nesterov = "often" }\n```\n', encoding="utf-8")
    report = run_check([bad])
    assert report.exit_code == 1 and "nesterov must be true or false" in report.text()


def test_cli_json_for_a_family_b_question(capsys):
    code = cli.main(["questions", "--family", "conv1d", "--param", "stride=2", "--count", "2",
                     "--seed", "5", "--difficulty", "medium", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    assert [d["params"]["stride"] for d in data] == [2, 2]
    assert data[0]["answer_shapes"]["dw"] == list(np.shape(data[0]["inputs"]["w"]))


def test_docs_examples_are_what_the_command_prints(capsys):
    import pathlib
    import re

    doc = (pathlib.Path(__file__).parents[3] / "docs" / "families.md").read_text(encoding="utf-8")
    examples = re.findall(r"```\nquizapp (questions [^\n]*)\n```\n\n```text\n(.*?)\n```", doc, re.S)
    assert {argv.split()[2] for argv, _ in examples} == set(FAMILIES_B)
    for argv, shown in examples:
        assert cli.main(argv.split()) == 0
        assert capsys.readouterr().out.rstrip("\n") == shown, argv


def test_generation_speed_and_redraws_stay_small(monkeypatch):
    """The goal is 1,000 questions a second per family (benchmarks/questions_b.py); here 200 hard
    ones get a generous second of CPU each, and the redraw loops stay short."""
    import time

    import quizapp.core.generators.rnn as rnn_family

    draws = []
    real_draw = rnn_family._draw
    monkeypatch.setattr(rnn_family, "_draw", lambda *a: draws.append(1) or real_draw(*a))
    for family in FAMILIES_B:
        t0 = time.process_time()
        for seed in range(200):
            generate(family, seed=seed, difficulty="hard")
        assert time.process_time() - t0 < 1.0, family
    assert len(draws) / 200 < 4  # about 2.3 draws per hard RNN question
