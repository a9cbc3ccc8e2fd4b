""""Compute the gradient" question families built on ``quizapp.core.engine``.

    from quizapp.core.generators import generate, generate_many, grade
    q = generate("backprop_activation", seed=7, difficulty="easy", activation="leaky_relu")
    grade(q, "dz", "0.5, -0.02").correct

Families (answer names in brackets): activation_value [a], activation_derivative [dadz],
backprop_activation [dz], dense_backward [dW, db, dX], two_layer [dW1, db1, dW2, db2],
softmax_xent [dz], sgd_step [W_new], init_std [std], dead_neurons [dead]; issue 15 adds mse_grad
[loss, dyhat], bce_logits_grad [loss, dz], xent_label_smoothing [loss, dz], batchnorm_backward and
layernorm_backward [y, dx, dgamma, dbeta], dropout_backward [y, dx], attention_forward [S, P, O],
attention_backward [dQ, dK, dV] and more (docs/families.md). ``Question.hints`` name the
intermediates in order (for the Gradient Lab; not part of the JSON).
"""

from quizapp.core.generators.api import (
    activation_names, family_names, generate, generate_many, grade,
)
from quizapp.core.generators.base import DIFFICULTIES, FAMILIES, Question, Tolerance

__all__ = [
    "DIFFICULTIES", "FAMILIES", "Question", "Tolerance", "activation_names", "family_names",
    "generate", "generate_many", "grade",
]
