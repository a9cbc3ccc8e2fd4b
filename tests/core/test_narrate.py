"""The Training screen's plain sentence, made from metrics by a pure function."""

from __future__ import annotations

import pytest

from quizapp.core.engine.narrate import narrate, run_title
from quizapp.core.engine.training import Metrics, TrainConfig, compare


def snap(run="relu", step=50, dead=(0.0, 0.0), inactive=None, **flags) -> Metrics:
    return Metrics(run, step, 0.3, 0.9, tuple(inactive if inactive is not None else dead), tuple(dead),
                   (0.1,) * (len(dead) + 1), **flags)


@pytest.mark.parametrize(("run", "title"), [
    ("relu", "ReLU"), ("leaky_relu", "Leaky ReLU"), ("tanh", "Tanh"), ("he", "He init"),
    ("relu/xavier", "ReLU, Xavier init"), ("leaky_relu(alpha=0.1)", "Leaky ReLU (alpha=0.1)"),
    ("relu#2", "ReLU #2"), ("mystery", "mystery"),
])
def test_run_titles_read_like_prose(run, title):
    assert run_title(run) == title


def test_the_brief_example():
    latest = {"relu": snap("relu", dead=(0.0, 0.1, 0.42)),
              "leaky_relu": snap("leaky_relu", dead=(0.0, 0.0, 0.0), inactive=(0.0, 0.1, 0.1))}
    assert narrate(latest) == ("layer 3: 42% of ReLU units dead (and in 1 other layer); "
                               "Leaky ReLU: none dead, all still learning")


def test_worst_layer_wins_and_first_on_ties():
    assert narrate({"relu": snap(dead=(0.25, 0.5, 0.5))}).startswith("layer 2: 50% of ReLU units dead")
    assert "(and in 2 other layers)" in narrate({"relu": snap(dead=(0.25, 0.5, 0.5))})
    assert narrate({"relu": snap(dead=(0.0, 0.5))}) == "layer 2: 50% of ReLU units dead"


def test_tiny_and_huge_shares_do_not_round_to_nothing_or_everything():
    assert "<1% of ReLU" in narrate({"relu": snap(dead=(0.004,))})
    assert ">99% of ReLU" in narrate({"relu": snap(dead=(0.996,))})


def test_a_length_limit_drops_the_asides():
    latest = {"relu": snap("relu", dead=(0.1, 0.42)),
              "leaky_relu": snap("leaky_relu", dead=(0.0, 0.0), inactive=(0.1, 0.6))}
    full = narrate(latest)
    assert "other layer" in full and "negative side" in full
    assert narrate(latest, limit=len(full)) == full
    assert narrate(latest, limit=60) == ("layer 2: 42% of ReLU units dead; "
                                         "Leaky ReLU: none dead, all still learning")


def test_a_fully_dead_layer_is_called_out():
    text = narrate({"relu": snap(dead=(0.2, 1.0, 0.0))})
    assert text == "ReLU: layer 2 is all dead, the net outputs a constant"


def test_inactive_but_alive_units_are_explained():
    text = narrate({"leaky_relu": snap("leaky_relu", dead=(0.0, 0.0), inactive=(0.1, 0.61))})
    assert text == "Leaky ReLU: none dead, all still learning (61% of layer 2 only on the negative side)"


def test_divergence_no_hidden_layers_before_and_stopped():
    assert narrate({"relu": snap(diverged=True, done=True, step=40)}) == (
        "ReLU: the loss blew up at step 40 (learning rate too high?)")
    assert narrate({"relu": snap(dead=())}) == "ReLU: no hidden layers, so no unit can die"
    assert narrate({"relu": snap(step=0)}).startswith("Before training: ReLU: none dead")
    assert not narrate({"relu": snap(step=0, done=True)}).startswith("Before")  # a 0-step run ended
    text = narrate({"relu": snap(step=120, stopped=True, done=True), "tanh": snap("tanh", step=120)})
    assert text.startswith("Stopped at step 120: ReLU: none dead")
    assert narrate({"relu": snap(step=80)}, stopped=True).startswith("Stopped at step 80: ReLU")
    # runs take turns: one may be a step ahead; the sentence names the step the progress bar shows
    assert narrate({"relu": snap(step=61, stopped=True, done=True), "tanh": snap("tanh", step=60)},
                   stopped=True).startswith("Stopped at step 60: ")
    assert narrate({"relu": snap(step=40, diverged=True, done=True), "tanh": snap("tanh", step=60)},
                   stopped=True).startswith("Stopped at step 60: ")
    assert narrate({}).startswith("Nothing trained yet")


def test_on_a_real_dying_relu_run():
    config = TrainConfig.from_preset("dying-relu", steps=60, width=32)
    latest = {}
    for run, metrics in compare(config, ["relu", "leaky_relu"], every=30):
        latest[run] = metrics
    text = narrate(latest)
    assert "of ReLU units dead" in text
    assert "Leaky ReLU: none dead, all still learning" in text
