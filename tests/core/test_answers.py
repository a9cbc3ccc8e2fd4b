"""Typed-answer grading: the accepted number forms, located errors, tolerance feedback, text."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core import answers
from quizapp.core.answers import (
    AnswerSyntaxError, compare_text, grade_numbers, normalize_text, parse_numbers,
)

ACCEPTED = [
    ("3", 3.0), ("-2.5", -2.5), ("+4", 4.0), (".5", 0.5), ("5.", 5.0), ("1e-3", 1e-3),
    ("2.5E+2", 250.0), ("1e\u22123", 1e-3), ("3/2", 1.5), ("-1/4", -0.25), ("3 / -2", -1.5),
    ("\u22120.5", -0.5), ("\u2212 1/2", -0.5), ("  7  ", 7.0), ("z = 0.5", 0.5), ("dW=2", 2.0),
    ("dL/dz = 0.25", 0.25), ("∂L/∂W1 = [1 2]", [1.0, 2.0]), ("d L / d z=3", 3.0),
    ("[0.5 -0.02]", [0.5, -0.02]), ("0.5, -0.02", [0.5, -0.02]), ("0.5 -0.02", [0.5, -0.02]),
    ("(0.5, -0.02)", [0.5, -0.02]), ("[1/2, 3/4]", [0.5, 0.75]), ("[1, 2, ]", [1.0, 2.0]),
    ("[1]", [1.0]), ("1\t2", [1.0, 2.0]), ("[0.5\u00a0\u22120.02]", [0.5, -0.02]),
    ("1 2; 3 4", [[1, 2], [3, 4]]), ("1, 2\n3, 4", [[1, 2], [3, 4]]),
    ("1 2\r\n3 4\n", [[1, 2], [3, 4]]), ("[1 2; 3 4]", [[1, 2], [3, 4]]),
    ("[[1, 2], [3, 4]]", [[1, 2], [3, 4]]), ("[[1. 2.]\n [3. 4.]]", [[1, 2], [3, 4]]),
    ("[[1, 2],\n [3, 4]]", [[1, 2], [3, 4]]), ("[1 2]\n[3 4]", [[1, 2], [3, 4]]),
    ("[1, 2], [3, 4]", [[1, 2], [3, 4]]), ("[[1, 2]]", [[1, 2]]), ("1;2;3", [[1], [2], [3]]),
    ("[0.1 0.2\n 0.3]", [0.1, 0.2, 0.3]),  # NumPy wraps long vectors: newline inside [] is space
    ("1 2 ;; 3 4 ;", [[1, 2], [3, 4]]),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted_forms(text, expected):
    parsed = parse_numbers(text)
    exp = np.asarray(expected, dtype=np.float64)
    assert parsed.shape == exp.shape == parsed.values.shape
    assert parsed.values.dtype == np.float64
    assert np.array_equal(parsed.values, exp)


# (text, column, line, fragment of the message)
REJECTED = [
    ("", 1, 1, "no numbers"), ("   ", 4, 1, "no numbers"), (";\n;", 2, 2, "no numbers"), ("abc", 1, 1, "unexpected 'abc'"),
    ("[0.5, 0.2]]", 11, 1, "unexpected ']'"), ("0.5, 0.2)", 9, 1, "unexpected ')'"),
    ("[1 2", 5, 1, "missing ']'"), ("[1, 2)", 6, 1, "expected ']'"), ("1,,2", 3, 1, "','"),
    (",1", 1, 1, "','"), ("1-2", 2, 1, "space or comma"), ("1 2-3", 4, 1, "space or comma"),
    ("1e", 2, 1, "exponent"), ("1.2.3", 4, 1, "space or comma"), ("0.5.", 4, 1, "'.'"),
    ("1/0", 2, 1, "division by zero"), ("1/2/3", 4, 1, "only one '/'"), ("1/", 3, 1, "after '/'"),
    ("/2", 1, 1, "'/'"), ("-", 2, 1, "expected a number"), ("--1", 2, 1, "expected a number"),
    ("nan", 1, 1, "not a finite number"), ("inf", 1, 1, "not a finite number"),
    ("1e999", 1, 1, "too large"), ("1e300/1e-300", 1, 1, "too large"), ("[]", 1, 1, "empty"),
    ("[1 [2]]", 4, 1, "mix"), ("[1, 2; 3]", 8, 1, "row 2 has 1 entry but row 1 has 2"),
    ("[[1, 2], [3]]", 10, 1, "row 2 has 1 entry"), ("1 2\n3 4 5", 1, 2, "row 2 has 3 entries"),
    ("1 2\n3 4\n5", 1, 3, "row 3"), ("[1 2][3 4]", 6, 1, "space or comma"), ("50%", 3, 1, "'%'"),
    ("1 × 10", 3, 1, "'×'"), ("0x1F", 2, 1, "'x1F'"), ("\x1b[31m", 1, 1, "U+001B"),
    ("[" * 9 + "1" + "]" * 9, 9, 1, "nested too deeply"),
]


@pytest.mark.parametrize(("text", "col", "line", "fragment"), REJECTED)
def test_rejected_forms_are_located(text, col, line, fragment):
    with pytest.raises(AnswerSyntaxError) as info:
        parse_numbers(text)
    err = info.value
    assert (err.col, err.line) == (col, line)
    assert fragment in err.message
    prefix = f"line {line}, column {col}: " if "\n" in text else f"column {col}: "
    assert str(err) == prefix + err.message


def test_error_message_format_from_the_brief():
    with pytest.raises(AnswerSyntaxError, match=r"^column 11: unexpected '\]'"):
        parse_numbers("[0.5, 0.2]]")


def test_limits():
    with pytest.raises(AnswerSyntaxError, match="too long"):
        parse_numbers("1 " * (answers.MAX_CHARS // 2 + 1))
    with pytest.raises(AnswerSyntaxError, match="too many numbers"):
        parse_numbers("1," * (answers.MAX_ENTRIES + 1))
    assert parse_numbers("1," * answers.MAX_ENTRIES).shape == (answers.MAX_ENTRIES,)
    with pytest.raises(AnswerSyntaxError, match="nested"):
        parse_numbers("[" * 5000)


# --- grading ------------------------------------------------------------------------------

def test_grade_within_and_outside_tolerance():
    assert grade_numbers("0.2475", 0.25).correct  # 1% relative
    assert not grade_numbers("0.2474", 0.25).correct
    assert grade_numbers("1e-9", 0.0).correct and not grade_numbers("1e-7", 0.0).correct
    v = grade_numbers("3/2", 1.5, rtol=0)
    assert v.correct and "1e-08 + 0·|true|" in v.tolerance and "tolerance" in v.message


def test_grade_names_wrong_entries_and_tolerance():
    v = grade_numbers("[[1, 0.5], [3, 4]]", [[1, 0.25], [3, 4]])
    assert not v.correct and v.parse_error is None
    assert v.wrong_entries == [(0, 1)]
    assert "row 1, column 2: got 0.5, expected 0.25" in v.message
    assert "1e-08 + 0.01·|true|" in v.message
    v = grade_numbers("0.5 0.5 0.5", [0.5, 0.1, 0.5])
    assert v.wrong_entries == [(1,)] and "entry 2: got 0.5, expected 0.1" in v.message
    many = grade_numbers(" ".join(["9"] * 8), np.zeros(8))
    assert "and 3 more" in many.message and len(many.wrong_entries) == 8


def test_grade_shapes():
    v = grade_numbers("1 2 3", np.ones((2, 3)))
    assert not v.correct and v.message.startswith("expected 2×3, got 3 numbers")
    v = grade_numbers("1 1 1 1 1 1", np.ones((2, 3)))
    assert not v.correct and "';'" in v.message  # hint: how to type rows
    assert "got a 3×2 matrix" in grade_numbers("1 1; 1 1; 1 1", np.ones((2, 3))).message
    assert grade_numbers("1 2 3", [[1, 2, 3]]).correct  # 1×n accepts a flat vector
    assert grade_numbers("[1, 2, 3]", [[1], [2], [3]]).correct  # n×1 too
    assert grade_numbers("1; 2; 3", [1, 2, 3]).correct  # and a column for a vector
    assert grade_numbers("[2]", 2.0).correct and grade_numbers("2", [2.0]).correct
    assert "expected 1 number, got 2 numbers" in grade_numbers("1 2", 1.0).message


def test_grade_integer_is_exact_and_parse_errors_are_reported():
    assert grade_numbers("3", 3, integer=True).correct
    assert not grade_numbers("3.01", 3, integer=True).correct
    v = grade_numbers("2", 3, integer=True)
    assert v.message.startswith("got 2, expected 3") and "exact" in v.tolerance
    v = grade_numbers("[0.5, 0.2]]", [0.5, 0.2])
    assert not v.correct and v.parse_error == "column 11: unexpected ']' (no matching opening bracket)"
    assert "column 11" in v.message


# --- property tests ------------------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
FORMATS_1D = [
    lambda xs: "[" + " ".join(xs) + "]", lambda xs: ", ".join(xs), lambda xs: " ".join(xs),
    lambda xs: "[" + ",".join(xs) + "]", lambda xs: "(" + ", ".join(xs) + ")",
]
FORMATS_2D = [
    lambda rows: "; ".join(" ".join(r) for r in rows),
    lambda rows: "\n".join(", ".join(r) for r in rows),
    lambda rows: "[" + "; ".join(" ".join(r) for r in rows) + "]",
    lambda rows: "[" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "]",
    lambda rows: "[" + "\n ".join("[" + " ".join(r) + "]" for r in rows) + "]",  # NumPy style
]


def _fmt(x: float, style: int) -> str:
    s = repr(x)
    return s.replace("-", "\u2212") if style == 1 else s


@settings(max_examples=150, deadline=None)
@given(st.lists(finite, min_size=2, max_size=8), st.sampled_from(range(len(FORMATS_1D))),
       st.integers(0, 1))
def test_vector_round_trip(xs, fmt, style):
    text = FORMATS_1D[fmt]([_fmt(x, style) for x in xs])
    parsed = parse_numbers(text)
    assert parsed.shape == (len(xs),)
    assert parsed.values.tolist() == [x + 0.0 for x in xs]  # -0.0 == 0.0


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 4), st.integers(1, 4), st.data(), st.sampled_from(range(len(FORMATS_2D))))
def test_matrix_round_trip(r, c, data, fmt):
    a = np.array(data.draw(st.lists(finite, min_size=r * c, max_size=r * c))).reshape(r, c)
    text = FORMATS_2D[fmt]([[repr(float(x)) for x in row] for row in a])
    parsed = parse_numbers(text)
    assert parsed.shape == (r, c) and np.array_equal(parsed.values, a)


@settings(max_examples=100, deadline=None)
@given(st.integers(-10**6, 10**6), st.integers(1, 10**6))
def test_fraction_round_trip(p, q):
    assert float(parse_numbers(f"{p}/{q}").values) == p / q


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60),
                 st.text(alphabet="0123456789.eE+-\u2212/[](),; \n\tx=", max_size=60)))
def test_random_text_only_ever_raises_answer_syntax_error(text):
    try:
        parsed = parse_numbers(text)
    except AnswerSyntaxError as e:
        assert e.col >= 1 and e.line >= 1
    else:
        assert np.all(np.isfinite(parsed.values)) and parsed.values.dtype == np.float64
    v = grade_numbers(text, [1.0, 2.0])
    assert isinstance(v.correct, bool)


# --- text --------------------------------------------------------------------------------

TEXT_ACCEPT = [
    ("relu", "ReLU"), ("max(0,z)", "max(0, z)"), ("Max(0, Z)", "**max(0, z)**"),
    ("leaky relu", "*Leaky ReLU*"), ("Leaky-ReLU", "Leaky ReLU"), ("naïve", "naive"),
    ("  He   init ", "He init."), ("alpha", "α"), ("alpha", "α (0.01)"),
    ("α (0.01)", "α (0.01)"), ("x <= 0", "x ≤ 0"), ("−1", "-1"), ("0.50", ".5"),
    ("kaiming", "He / Kaiming"), ("He", "He / Kaiming"), ("`tanh`", "tanh"),
    ("Neurons stuck outputting 0", "Neurons stuck outputting 0."),
]
TEXT_REJECT = [
    ("elu", "ReLU"), ("0", "1"), ("1 + x", "1 - x"), ("alpha 0.02", "α (0.01)"),
    ("", "anything"), ("max(0, z)", "max(αz, z)"), ("x < 0", "x ≤ 0"), ("-1", "1"),
]


@pytest.mark.parametrize(("given_", "expected"), TEXT_ACCEPT)
def test_text_accepted(given_, expected):
    assert compare_text(given_, expected).correct


@pytest.mark.parametrize(("given_", "expected"), TEXT_REJECT)
def test_text_rejected(given_, expected):
    assert not compare_text(given_, expected).correct


def test_text_close_and_diff():
    v = compare_text("Neurons stuck outputing 0", "Neurons stuck outputting 0")
    assert not v.correct and v.close and v.similarity >= 0.8
    # difflib edit of expected → given: "delete" = missing from the answer, "insert" = typed extra
    assert v.diff == [("equal", "neurons stuck"), ("delete", " outputting"),
                      ("insert", " outputing"), ("equal", " 0")]
    assert "".join(t for op, t in v.diff if op != "insert") == v.expected_norm
    assert "".join(t for op, t in v.diff if op != "delete") == v.given_norm
    one = compare_text("elu", "ReLU")
    assert one.close and one.diff_unit == "char" and one.diff == [("delete", "r"), ("equal", "elu")]
    # a wrong number is never a "typo"
    assert not compare_text("alpha 0.02", "α (0.01)").close
    assert not compare_text("", "x").close
    assert compare_text("a", "b").diff == [("delete", "b"), ("insert", "a")]


def test_text_normal_form():
    assert normalize_text("**Leaky** `ReLU`: max(αz, z)!") == "leaky relu max alpha z z"
    assert compare_text("—", "—").correct  # all punctuation: compared verbatim
    assert compare_text("He", "He / Kaiming").matched == "He"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_text_never_crashes_and_is_reflexive(a, b):
    v = compare_text(a, b)
    assert 0.0 <= v.similarity <= 1.0 and not (v.correct and v.close)
    assert compare_text(b, b).correct or not b.strip()


def test_long_repetitive_text_answers_are_compared_quickly():
    import time

    from quizapp.core.text.compare import compare_text

    given, expected = "x " * 3000, "x y " * 1500
    start = time.perf_counter()
    verdict = compare_text(given, expected)
    assert time.perf_counter() - start < 2.0
    assert not verdict.correct and not verdict.close
    assert compare_text("max(0, z) " * 200, "max(0, z) " * 200).correct
