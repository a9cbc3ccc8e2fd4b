"""Issue 15, part A: losses, normalisation, dropout and attention families.

Every answer is recomputed here from the question's own inputs and params with plain-NumPy forward
passes written in this file and finite differences (engine.gradcheck.numeric_grad) — never the
engine code the generators use."""

import json
import re

import numpy as np
import pytest

from quizapp.core.content.check import run_check
from quizapp.core.engine.gradcheck import numeric_grad
from quizapp.core.generators import DIFFICULTIES, generate, grade
from quizapp.core.generators.hints import hints_for
from quizapp.core.generators.worksheet import answer_text

TABLE = {  # family: (inputs, answers), names exactly as in the issue
    "mse_grad": ({"yhat", "y"}, ["loss", "dyhat"]),
    "bce_logits_grad": ({"z", "y"}, ["loss", "dz"]),
    "xent_label_smoothing": ({"z", "y"}, ["loss", "dz"]),
    "batchnorm_backward": ({"x", "gamma", "beta", "dy"}, ["y", "dx", "dgamma", "dbeta"]),
    "layernorm_backward": ({"x", "gamma", "beta", "dy"}, ["y", "dx", "dgamma", "dbeta"]),
    "dropout_backward": ({"x", "mask", "dy"}, ["y", "dx"]),
    "attention_forward": ({"Q", "K", "V"}, ["S", "P", "O"]),
    "attention_backward": ({"Q", "K", "V", "dO"}, ["dQ", "dK", "dV"]),
}
SEEDS = range(8)
CASES = [(f, d, s) for f in TABLE for d in DIFFICULTIES for s in SEEDS]


def arr(x):
    return np.asarray(x, dtype=float)


def close(got, want, rtol=1e-6, atol=1e-8):
    got, want = arr(got), arr(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


def log_sigmoid(z):
    return -np.logaddexp(0.0, -z)


def log_softmax(z):
    s = z - z.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


def normalise(x, gamma, beta, eps, axis):
    mu = x.mean(axis=axis, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=axis, keepdims=True)  # biased
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def attend(Q, K, V, causal):
    S = Q @ K.T / np.sqrt(Q.shape[1])
    if causal:
        S = np.where(np.tril(np.ones(S.shape, dtype=bool)), S, -np.inf)
    P = np.exp(log_softmax(S))
    return S, P, P @ V


def reference(q):
    """The answers of ``q`` recomputed independently."""
    v = {k: arr(x) for k, x in q.inputs.items()}
    p = q.params
    if q.family == "mse_grad":
        loss = lambda yh: np.mean((yh - v["y"]) ** 2)  # noqa: E731
        return {"loss": loss(v["yhat"]), "dyhat": numeric_grad(loss, v["yhat"])}
    if q.family == "bce_logits_grad":
        w = 1.0 if p["pos_weight"] is None else p["pos_weight"]
        y = v["y"]
        loss = lambda z: np.mean(-(w * y * log_sigmoid(z) + (1 - y) * log_sigmoid(-z)))  # noqa: E731
        return {"loss": loss(v["z"]), "dz": numeric_grad(loss, v["z"])}
    if q.family == "xent_label_smoothing":
        labels = np.asarray(q.inputs["y"])
        k = v["z"].shape[1]
        target = (1 - p["eps"]) * np.eye(k)[labels] + p["eps"] / k
        loss = lambda z: np.mean(-(target * log_softmax(z)).sum(axis=1))  # noqa: E731
        return {"loss": loss(v["z"]), "dz": numeric_grad(loss, v["z"])}
    if q.family in ("batchnorm_backward", "layernorm_backward"):
        axis = 0 if q.family == "batchnorm_backward" else 1
        f = lambda x=v["x"], g=v["gamma"], b=v["beta"]: normalise(x, g, b, p["eps"], axis)  # noqa: E731
        L = lambda **kw: np.sum(v["dy"] * f(**kw))  # noqa: E731
        return {"y": f(), "dx": numeric_grad(lambda x: L(x=x), v["x"]),
                "dgamma": numeric_grad(lambda g: L(g=g), v["gamma"]),
                "dbeta": numeric_grad(lambda b: L(b=b), v["beta"])}
    if q.family == "dropout_backward":
        f = lambda x: x * v["mask"] / (1 - p["p"])  # noqa: E731
        return {"y": f(v["x"]), "dx": numeric_grad(lambda x: np.sum(v["dy"] * f(x)), v["x"])}
    causal = p["causal"]
    S, P, O = attend(v["Q"], v["K"], v["V"], causal)
    if q.family == "attention_forward":
        return {"S": v["Q"] @ v["K"].T / np.sqrt(v["Q"].shape[1]), "P": P, "O": O}
    L = lambda Q=v["Q"], K=v["K"], V=v["V"]: np.sum(v["dO"] * attend(Q, K, V, causal)[2])  # noqa: E731
    return {"dQ": numeric_grad(lambda a: L(Q=a), v["Q"]),
            "dK": numeric_grad(lambda a: L(K=a), v["K"]),
            "dV": numeric_grad(lambda a: L(V=a), v["V"])}


@pytest.mark.parametrize(("family", "difficulty", "seed"), CASES)
def test_answers_match_independent_forward_passes_and_finite_differences(family, difficulty, seed):
    q = generate(family, seed=seed, difficulty=difficulty)
    inputs, answers = TABLE[family]
    assert set(q.inputs) == inputs and list(q.answer) == answers
    want = reference(q)
    for name in answers:
        close(q.answer[name], want[name])


def test_same_seed_same_json_and_rebuilt_from_its_own_fields():
    for family in TABLE:
        for d in DIFFICULTIES:
            a = generate(family, seed=9, difficulty=d)
            assert json.dumps(a.to_json()) == json.dumps(generate(family, seed=9, difficulty=d).to_json())
            assert generate(family, seed=a.seed, difficulty=a.difficulty) == a
            assert generate(family, seed=10, difficulty=d).inputs != a.inputs


def test_sizes_per_difficulty():
    for seed in range(6):
        for family in ("attention_forward", "attention_backward"):
            q = generate(family, seed=seed, difficulty="easy")
            assert all(np.shape(x) == (2, 2) for x in q.inputs.values())  # t×d = 2×2 at easy
            hard = generate(family, seed=seed, difficulty="hard")
            t, d = np.shape(hard.inputs["Q"])
            assert 3 <= t <= 4 and 2 <= d <= 4
        bn = generate("batchnorm_backward", seed=seed, difficulty="easy")
        assert np.shape(bn.inputs["x"])[0] >= 3  # a batch of 2 would make dx ≈ 0
        ln = generate("layernorm_backward", seed=seed, difficulty="easy")
        assert np.shape(ln.inputs["x"])[1] >= 3


def test_conventions_state_what_pytorch_does():
    def conv(family, **params):
        return " ".join(generate(family, seed=0, difficulty="medium", params=params).conventions)

    assert "Biased variance" in conv("batchnorm_backward") and "ε inside the square root" in conv("batchnorm_backward")
    assert "torch.nn.BatchNorm1d in training mode" in conv("batchnorm_backward")
    assert "torch.nn.LayerNorm" in conv("layernorm_backward")
    assert "BCEWithLogitsLoss(pos_weight=2)" in conv("bce_logits_grad", pos_weight=2.0)
    assert "CrossEntropyLoss(label_smoothing=0.1)" in conv("xent_label_smoothing", eps=0.1)
    assert "Inverted dropout" in conv("dropout_backward") and "1/(1 − p)" in conv("dropout_backward")
    assert "is_causal=True" in conv("attention_forward", causal=True)
    assert "No mask" in conv("attention_backward", causal=False)
    assert "MSELoss(reduction='mean')" in conv("mse_grad")


def test_options_are_used_and_recorded():
    q = generate("batchnorm_backward", seed=1, difficulty="hard", params={"eps": 0.5})
    assert q.params == {"eps": 0.5, "training": True} and "ε = 0.5" in q.prompt
    q = generate("dropout_backward", seed=1, params={"p": 0.2})
    assert q.params == {"p": 0.2}
    assert np.allclose(q.answer["y"], arr(q.inputs["x"]) * arr(q.inputs["mask"]) / 0.8)
    q = generate("attention_forward", seed=1, difficulty="hard", params={"causal": True})
    assert q.params == {"causal": True} and np.allclose(np.triu(arr(q.answer["P"]), 1), 0.0)
    q = generate("mse_grad", seed=1, params={"reduction": "sum"})
    assert q.answer["loss"] == pytest.approx(np.sum((arr(q.inputs["yhat"]) - arr(q.inputs["y"])) ** 2))
    drawn = {generate("bce_logits_grad", seed=s, difficulty="hard").params["pos_weight"] for s in range(20)}
    assert None not in drawn and len(drawn) > 1
    assert generate("bce_logits_grad", seed=0, difficulty="easy").params == {"pos_weight": None}
    # giving an option changes only that option: the numbers are drawn as before
    plain, given = (generate("layernorm_backward", seed=4, difficulty="medium", params=p)
                    for p in (None, {"eps": 1e-5}))
    assert plain.inputs == given.inputs


@pytest.mark.parametrize(("family", "params", "match"), [
    ("batchnorm_backward", {"eps": -1.0}, "eps must be in [0, 10]"),
    ("batchnorm_backward", {"eps": "small"}, "eps must be a number"),
    ("dropout_backward", {"p": 1.0}, "p must be in [0, 1)"),
    ("attention_forward", {"causal": "yes"}, "causal must be true or false"),
    ("xent_label_smoothing", {"eps": 2.0}, "eps must be in [0, 1]"),
    ("mse_grad", {"reduction": "max"}, "reduction must be one of mean, sum"),
    ("bce_logits_grad", {"pos_weight": True}, "pos_weight must be a number"),
    ("layernorm_backward", {"momentum": 0.1}, "unknown parameter(s) momentum"),
    ("attention_backward", {"alpha": 0.1}, "allowed: causal"),
])
def test_bad_options_name_what_is_allowed(family, params, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        generate(family, seed=0, params=params)
    with pytest.raises(ValueError, match="takes no activation"):
        generate(family, seed=0, activation="relu")


def test_hints_name_the_next_intermediate_in_order():
    for family in TABLE:
        q = generate(family, seed=2, difficulty="medium")
        assert len(q.hints) >= 3 and q.hints[0].startswith("first ")
        assert not any(re.search(r"\d\.\d", h) for h in q.hints)  # formulas, not numbers
        assert "hints" not in q.to_json()  # the JSON item format is unchanged
    bn = generate("batchnorm_backward", seed=0).hints
    assert bn.index("x̂ = (x − μ)/√(σ² + ε)") > bn.index("first μ = mean of each column of x")
    causal = generate("attention_forward", seed=0, params={"causal": True}).hints
    assert causal[:2] == ("first S = Q Kᵀ/√d", "then mask: S[i, j] = −∞ for j > i")


def test_hints_are_derived_from_the_solution_for_families_without_their_own():
    q = generate("dense_backward", seed=0, difficulty="medium")
    assert q.hints == ()  # derived only when asked for
    hints = hints_for(q)
    assert hints[:2] == ("first Xᵀ dZ", "then For example dW[1,1] = Σᵢ X[i,1]·dZ[i,1] / m")
    assert "then dX = dZ Wᵀ" in hints and not any(";" in h for h in hints)  # no matrices
    q = generate("backprop_activation", seed=0, activation="leaky_relu", params={"alpha": 0.2})
    assert hints_for(q)[0].startswith("first Leaky ReLU (α = 0.2)")  # "=" inside brackets is no cut


def test_every_shown_answer_grades_right_within_its_tolerance():
    for family in TABLE:
        for d in DIFFICULTIES:
            for seed in range(4):
                q = generate(family, seed=seed, difficulty=d)
                for name in q.answer:
                    assert grade(q, name, answer_text(q, name)).correct, (q.id, name)
                    assert answer_text(q, name) in " ".join(q.solution)


def test_skill_cards_of_every_family_pass_quizapp_check(tmp_path):
    blocks = [
        f'```gradient\nid = "g-{family}-{d}"\nfamily = "{family}"\ndifficulty = "{d}"\n```\n'
        for family in TABLE for d in ("easy", "hard")
    ]
    blocks.append('```gradient\nid = "causal"\nfamily = "attention_backward"\n'
                  'params = { causal = true }\n```\n')
    blocks.append('```gradient\nid = "bce"\nfamily = "bce_logits_grad"\nparams = { pos_weight = 3 }\n```\n')
    blocks.append('```gradient\nid = "bad"\nfamily = "dropout_backward"\nparams = { p = 1.5 }\n```\n')
    deck = tmp_path / "skills.md"
    deck.write_text('+++\ndeck = "skills"\n+++\n\n' + "\n".join(blocks), encoding="utf-8")
    report = run_check([deck])
    errors = [line for line in report.text().splitlines() if ": error:" in line]
    assert len(errors) == 1 and "gradient 'bad'" in errors[0] and "p must be in [0, 1)" in errors[0]


def test_fair_draws_take_few_attempts(monkeypatch):
    """Speed guard (benchmarks/questions.py times it): questions redrawn until rounding cannot
    spoil them take a few checks each (a y check and dy tries for the norms), never 200."""
    from quizapp.core.generators import attention, fair, loss_grads, normalisation

    calls = []
    real = fair.survives_rounding

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    for module in (attention, loss_grads, normalisation):
        monkeypatch.setattr(module, "survives_rounding", counting)
    for family in ("xent_label_smoothing", "batchnorm_backward", "layernorm_backward",
                   "attention_forward", "attention_backward"):
        calls.clear()
        for seed in range(30):
            generate(family, seed=seed, difficulty=DIFFICULTIES[seed % 3])
        assert len(calls) / 30 < 6, (family, len(calls) / 30)  # BatchNorm: ~3.7 (y, then dy tries)
