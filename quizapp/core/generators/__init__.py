""""Compute the gradient" question families built on ``quizapp.core.engine``.

    from quizapp.core.generators import generate, generate_many, grade
    q = generate("backprop_activation", seed=7, difficulty="easy", activation="leaky_relu")
    grade(q, "dz", "0.5, -0.02").correct

Families (answer names in brackets): activation_value [a], activation_derivative [dadz],
backprop_activation [dz], dense_backward [dW, db, dX], two_layer [dW1, db1, dW2, db2],
softmax_xent [dz], sgd_step [W_new], init_std [std], dead_neurons [dead].
"""

from quizapp.core.generators.api import (
    activation_names, family_names, generate, generate_many, grade,
)
from quizapp.core.generators.base import DIFFICULTIES, FAMILIES, Question, Tolerance

__all__ = [
    "DIFFICULTIES", "FAMILIES", "Question", "Tolerance", "activation_names", "family_names",
    "generate", "generate_many", "grade",
]
