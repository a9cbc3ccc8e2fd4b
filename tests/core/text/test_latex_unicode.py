"""LaTeX → readable Unicode: the table of what a learner sees for what an author wrote."""

from __future__ import annotations

import pytest

from quizapp.core.text.latex import latex_to_unicode, render_latex

CASES = [
    # sub/superscripts: Unicode where it exists, _(…) / ^(…) where it does not
    (r"x_i", "xᵢ"),
    (r"z^2", "z²"),
    (r"W^T", "Wᵀ"),
    (r"W^\top", "Wᵀ"),
    (r"A^{-1}", "A⁻¹"),
    (r"x^{(l)}", "x⁽ˡ⁾"),
    (r"x_{ij}", "xᵢⱼ"),
    (r"\theta_{t+1}", "θₜ₊₁"),
    (r"\mu_B", "μ_B"),
    (r"\mathcal{L}_{CE}", "ℒ_(CE)"),
    (r"e^{x^2}", "e^(x²)"),
    (r"x^23", "x²3"),  # one token: LaTeX raises only the 2
    (r"\sum_{i=1}^{n} x_i", "∑ᵢ₌₁ⁿ xᵢ"),
    (r"\nabla_\theta L", "∇_θ L"),
    # fractions: compound parts in parentheses
    (r"\frac{a}{b}", "a/b"),
    (r"\frac{e^{z_i}}{\sum_j e^{z_j}}", "e^(zᵢ)/∑ⱼ e^(zⱼ)"),
    (r"\frac{1}{1 + e^{-z}}", "1/(1 + e⁻ᶻ)"),
    (r"\frac{\partial L}{\partial W}", "∂L/∂W"),
    (r"\frac{-b}{2a}", "−b/2a"),
    (r"\frac{a}{b \cdot c}", "a/(b · c)"),
    (r"\frac{\frac{a}{b}}{c}", "(a/b)/c"),
    (r"\dfrac{1}{2}", "1/2"),
    # roots
    (r"\sqrt{d_k}", "√dₖ"),
    (r"\sqrt{x + 1}", "√(x + 1)"),
    (r"\sqrt{2\pi}", "√(2π)"),
    (r"\sqrt[3]{x}", "∛x"),
    # names, styles, accents, symbols
    (r"\operatorname{softmax}(z)_i", "softmax(z)ᵢ"),
    (r"\mathrm{ReLU}(x)", "ReLU(x)"),
    (r"\mathbf{W}^T \mathbf{x}", "Wᵀ x"),
    (r"\hat{y}", "ŷ"),
    (r"\bar{x}", "x̄"),
    (r"\tilde{x}", "x̃"),
    (r"\vec{v}", "v⃗"),
    (r"\hat{\mathbf{x}}", "x̂"),
    (r"a \odot b", "a ⊙ b"),
    (r"\partial L / \partial z", "∂L / ∂z"),
    (r"x \in \mathbb{R}^{n \times d}", "x ∈ ℝ^(n × d)"),
    (r"\mathbb{E}[x]", "𝔼[x]"),
    (r"\mathcal{L}", "ℒ"),
    (r"\lVert w \rVert_2^2", "‖w‖₂²"),
    (r"\|w\|^2", "‖w‖²"),
    (r"p(y \mid x)", "p(y | x)"),
    (r"\log x", "log x"),
    (r"\max(0, z)", "max(0, z)"),
    (r"\lim_{x \to 0}", "lim_(x → 0)"),
    (r"f'(x)", "f′(x)"),
    (r"\int_0^1 f(x)\,dx", "∫₀¹ f(x) dx"),
    (r"\alpha x + \beta", "αx + β"),
    (r"\binom{n}{k}", "(n choose k)"),
    (r"\left( a \right)", "(a)"),
    (r"\left.\frac{df}{dx}\right|_{x=0}", "df/dx|ₓ₌₀"),
    # matrices and cases
    (r"\begin{pmatrix}1 & 2\\ 3 & 4\end{pmatrix}", "([1, 2], [3, 4])"),
    (r"\begin{bmatrix}1 & 2\\ 3 & 4\end{bmatrix}", "[[1, 2], [3, 4]]"),
    (r"\begin{bmatrix}x\\y\end{bmatrix}", "[x, y]ᵀ"),
    (r"\begin{bmatrix}1 & 0\end{bmatrix}", "[1, 0]"),
    (r"|x| = \begin{cases} x & x \ge 0 \\ -x & \text{otherwise} \end{cases}",
     "|x| = {x, x ≥ 0; −x, otherwise}"),
    # machine learning, as written in papers and notes
    (r"\sigma(z) = \frac{1}{1+e^{-z}}", "σ(z) = 1/(1+e⁻ᶻ)"),
    (r"\sigma'(z) = \sigma(z)(1-\sigma(z))", "σ′(z) = σ(z)(1−σ(z))"),
    (r"\text{softmax}(z)_i = \frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}", "softmax(z)ᵢ = e^(zᵢ)/∑ⱼ₌₁ᴷ e^(zⱼ)"),
    (r"L = -\sum_i y_i \log \hat{y}_i", "L = −∑ᵢ yᵢ log ŷᵢ"),
    (r"\hat{x}_i = \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}", "x̂ᵢ = (xᵢ − μ_B)/√(σ_B² + ε)"),
    (r"y_i = \gamma \hat{x}_i + \beta", "yᵢ = γx̂ᵢ + β"),
    (r"\text{softmax}\left(\frac{QK^T}{\sqrt{d_k}}\right)V", "softmax(QKᵀ/√dₖ)V"),
    (r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t", "mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ"),
    (r"\hat{m}_t = \frac{m_t}{1 - \beta_1^t}", "m̂ₜ = mₜ/(1 − β₁ᵗ)"),
    (r"\theta_t = \theta_{t-1} - \frac{\eta \hat{m}_t}{\sqrt{\hat{v}_t} + \epsilon}",
     "θₜ = θₜ₋₁ − ηm̂ₜ/(√v̂ₜ + ε)"),
    (r"W \leftarrow W - \eta \nabla_W L", "W ← W − η∇_W L"),
    (r"\mathrm{ReLU}(z) = \max(0, z)", "ReLU(z) = max(0, z)"),
    (r"\mathcal{L}_{\text{KL}} = \sum_x p(x) \log \frac{p(x)}{q(x)}", "ℒ_(KL) = ∑ₓ p(x) log p(x)/q(x)"),
]


@pytest.mark.parametrize(("latex", "expected"), CASES, ids=[c[0] for c in CASES])
def test_latex_reads_as_unicode(latex, expected):
    shown = render_latex(latex)
    assert shown.ok and shown.problems == ()
    assert shown.text == expected


def test_pylatexenc_symbol_table_fills_in_what_ours_lacks():
    assert latex_to_unicode(r"\aleph_0 \sqcup \nexists") == "ℵ₀ ⊔ ∄"


def test_unknown_command_is_shown_as_written_and_reported():
    shown = render_latex(r"\sigmoid{z} + 1")
    assert shown.ok and shown.text == r"\sigmoid{z} + 1"
    assert shown.problems == (r"unknown command \sigmoid (shown as written)",)


def test_percent_starts_a_latex_comment_and_is_reported():
    shown = render_latex("50% off")
    assert shown.text == "50% off"
    assert "write \\% for a percent sign" in shown.problems[0]
    assert render_latex(r"50\%").text == "50%" and render_latex(r"50\%").problems == ()


@pytest.mark.parametrize(("latex", "why"), [
    (r"\frac{a", "a '{' is never closed"),
    (r"a}", "a '}' has no matching '{'"),
    (r"\frac{a}", r"\frac is missing an argument"),
    (r"\sqrt", r"\sqrt is missing an argument"),
    (r"\begin{pmatrix}1 & 2", r"\begin{pmatrix} is never ended"),
    (r"\end{cases}", r"\end{cases} has no \begin"),
    (r"x^", "'^' needs something after it"),
    (r"x^2^3", "double superscript"),
])
def test_malformed_latex_shows_its_source_and_says_why(latex, why):
    shown = render_latex(latex)
    assert not shown.ok
    assert shown.text == latex
    assert shown.problems == (why,)


def test_deep_nesting_and_long_input_are_refused_cheaply():
    deep = "{" * 1_500 + "x" + "}" * 1_500
    shown = render_latex(deep)
    assert not shown.ok and shown.problems == ("nested too deeply (more than 40 levels of braces)",)
    huge = "{" * 10_000 + "x" + "}" * 10_000
    assert not render_latex(huge).ok and render_latex(huge).text == huge
    assert not render_latex(r"\hat" * 3000 + "x").ok  # argument chains recurse in pylatexenc too
    long = "x + " * 2000 + "y"
    assert not render_latex(long).ok and "too long" in render_latex(long).problems[0]


def test_display_maths_is_stacked_when_it_fits():
    shown = render_latex(r"\sigma_i = \frac{e^{z_i}}{\sum_j e^{z_j}}", display=True)
    assert shown.lines == (
        "       e^(zᵢ)",
        "σᵢ = ───────────",
        "      ∑ⱼ e^(zⱼ)",
    )
    assert shown.text == "σᵢ = e^(zᵢ)/∑ⱼ e^(zⱼ)"  # the one-line form is always there too


def test_display_matrix_cases_and_delimiters_grow():
    matrix = render_latex(r"A = \begin{bmatrix}1 & 20\\ 3 & 4\end{bmatrix}", display=True)
    assert matrix.lines == ("A = ⎡1  20⎤", "    ⎣3  4 ⎦")
    cases = render_latex(r"f(x) = \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}", display=True)
    assert cases.lines == ("f(x) = ⎧ x   x > 0", "       ⎩ 0   otherwise")
    attention = render_latex(r"\text{softmax}\left(\frac{QK^T}{\sqrt{d_k}}\right)V", display=True)
    assert attention.lines == ("       ⎛ QKᵀ ⎞", "softmax⎜─────⎟V", "       ⎝ √dₖ ⎠")


def test_display_too_wide_or_flat_stays_on_one_line():
    wide = r"\frac{" + " + ".join(f"x_{i}" for i in range(30)) + "}{n}"
    assert render_latex(wide, display=True).lines == ()
    assert render_latex(r"x^2 + y^2", display=True).lines == ()


def test_aligned_rows_line_up_on_the_ampersand():
    shown = render_latex(r"\begin{aligned} f(x) &= (x+1)^2 \\ &= x^2 + 2x + 1 \end{aligned}", display=True)
    assert shown.lines == ("f(x) = (x+1)²", "     = x² + 2x + 1")
    assert shown.text == "f(x) = (x+1)²; = x² + 2x + 1"
