"""The tables behind LaTeX → Unicode: scripts, accents, letter styles, names and symbols.

pylatexenc's latex2text tables give most symbols (``\\alpha`` → α, ``\\odot`` → ⊙); what is here is
what it lacks or does differently for a terminal: Unicode sub/superscripts (only some characters
have one), combining accents, operator names, big operators, and the few symbols it leaves out.
"""

from __future__ import annotations

import unicodedata

SUPERSCRIPTS = dict(zip(
    "0123456789+-−=()"
    "abcdefghijklmnoprstuvwxyz"
    "ABDEGHIJKLMNOPRTUVW"
    "αβγδεθιφχϕ"
    "⊤⊺′'∗*∘†",
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾"
    "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"
    "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ"
    "ᵅᵝᵞᵟᵋᶿᶥᵠᵡᶲ"
    "ᵀᵀ′′**°†",
    strict=True,
))
SUBSCRIPTS = dict(zip(
    "0123456789+-−=()aehijklmnoprstuvxβγρφχϕ",
    "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪᵩ",
    strict=True,
))
# Characters already raised or lowered: a script of them cannot be raised again (e^{z_i} → e^(zᵢ)).
SCRIPT_CHARS = frozenset(SUPERSCRIPTS.values()) | frozenset(SUBSCRIPTS.values())

ACCENTS = {  # combining marks, placed after each letter of the argument
    "hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305", "tilde": "\u0303",
    "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308", "vec": "\u20d7", "check": "\u030c",
    "breve": "\u0306", "acute": "\u0301", "grave": "\u0300", "underline": "\u0332", "mathring": "\u030a",
}

# Arguments shown as they are: \mathbf{W} → W. Bold and sans-serif letters exist in Unicode but many
# terminal fonts draw them from a fallback font, misaligned; plain letters read better.
PLAIN_STYLES = frozenset(
    "mathbf boldsymbol bm pmb mathrm mathit mathsf mathtt mathnormal text textrm textbf textit "
    "texttt textsf textnormal textup emph mbox hbox boxed mathop".split()
)
TEXT_MODE = frozenset("text textrm textbf textit texttt textsf textnormal textup emph mbox hbox".split())
LETTER_STYLES = frozenset({"mathbb", "mathcal", "mathscr", "mathfrak"})
_STYLE_NAMES = {"mathbb": "DOUBLE-STRUCK", "mathcal": "SCRIPT", "mathscr": "SCRIPT", "mathfrak": "FRAKTUR"}
_LETTERLIKE = {  # the letters Unicode has in its Letterlike Symbols block instead
    ("mathbb", "C"): "ℂ", ("mathbb", "H"): "ℍ", ("mathbb", "N"): "ℕ", ("mathbb", "P"): "ℙ",
    ("mathbb", "Q"): "ℚ", ("mathbb", "R"): "ℝ", ("mathbb", "Z"): "ℤ",
    ("SCRIPT", "B"): "ℬ", ("SCRIPT", "E"): "ℰ", ("SCRIPT", "F"): "ℱ", ("SCRIPT", "H"): "ℋ",
    ("SCRIPT", "I"): "ℐ", ("SCRIPT", "L"): "ℒ", ("SCRIPT", "M"): "ℳ", ("SCRIPT", "R"): "ℛ",
    ("SCRIPT", "e"): "ℯ", ("SCRIPT", "g"): "ℊ", ("SCRIPT", "o"): "ℴ",
    ("FRAKTUR", "C"): "ℭ", ("FRAKTUR", "H"): "ℌ", ("FRAKTUR", "I"): "ℑ", ("FRAKTUR", "R"): "ℜ",
    ("FRAKTUR", "Z"): "ℨ",
}
_DIGIT_NAMES = "ZERO ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE".split()


def styled_letter(style: str, ch: str) -> str:
    """``ch`` in the letter style of ``\\mathbb`` / ``\\mathcal`` / ``\\mathfrak`` (itself if none)."""
    if (style, ch) in _LETTERLIKE:
        return _LETTERLIKE[style, ch]
    name = _STYLE_NAMES.get(style)
    if name is None or not ch.isascii() or not ch.isalnum():
        return ch
    if (name, ch) in _LETTERLIKE:
        return _LETTERLIKE[name, ch]
    if ch.isdigit():
        kind = f"DIGIT {_DIGIT_NAMES[int(ch)]}"
    else:
        kind = f"{'CAPITAL' if ch.isupper() else 'SMALL'} {ch.upper()}"
    try:
        return unicodedata.lookup(f"MATHEMATICAL {name} {kind}")
    except KeyError:
        return ch


# Operator names, shown upright as words: \log x → "log x", \max_i → "maxᵢ".
WORDS = frozenset(
    "log ln lg exp sin cos tan sec csc cot sinh cosh tanh coth arcsin arccos arctan max min sup inf "
    "lim liminf limsup arg det dim ker deg gcd hom Pr argmax argmin tr Tr diag sgn softmax".split()
)
BIG_OPERATORS = {
    "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭", "oint": "∮",
    "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂", "bigvee": "⋁", "bigwedge": "⋀",
    "bigodot": "⨀", "bigsqcup": "⨆",
}
# Symbols latex2text's tables lack or map differently, and spacing commands.
SYMBOLS = {
    "ne": "≠", "neq": "≠", "implies": "⟹", "impliedby": "⟸", "iff": "⟺", "neg": "¬", "lnot": "¬",
    "land": "∧", "lor": "∨", "|": "‖", "Vert": "‖", "lVert": "‖", "rVert": "‖", "vert": "|",
    "lvert": "|", "rvert": "|", "mid": "|", "lbrace": "{", "rbrace": "}", "{": "{", "}": "}",
    "%": "%", "$": "$", "#": "#", "&": "&", "_": "_", "lt": "<", "gt": ">", "coloneqq": "≔",
    "triangleq": "≜", "defeq": "≝", "top": "⊤", "intercal": "ᵀ", "transpose": "ᵀ", "prime": "′",
    "setminus": "∖", "backslash": "\\", "varnothing": "∅", "emptyset": "∅", "ell": "ℓ",
    "epsilon": "ε", "varepsilon": "ε", "phi": "φ", "varphi": "φ", "dagger": "†", "ddagger": "‡",
    "cdot": "·", "times": "×", "ast": "∗", "star": "⋆", "circ": "∘", "bullet": "∙", "to": "→",
    "gets": "←", "partial": "∂", "nabla": "∇", "odot": "⊙", "oslash": "⊘", "infty": "∞",
    "approx": "≈", "propto": "∝", "sim": "∼", "simeq": "≃", "cong": "≅", "equiv": "≡",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "ll": "≪", "gg": "≫", "in": "∈", "notin": "∉",
    "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇", "cup": "∪", "cap": "∩",
    "pm": "±", "mp": "∓", "div": "÷", "oplus": "⊕", "otimes": "⊗", "forall": "∀", "exists": "∃",
    "ldots": "…", "dots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "langle": "⟨",
    "rangle": "⟩", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋", "perp": "⊥",
    "parallel": "∥", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐",
    "leftrightarrow": "↔", "Leftrightarrow": "⇔", "mapsto": "↦", "hbar": "ħ", "degree": "°",
}
SPACES = {",": " ", ":": " ", ";": " ", ">": " ", " ": " ", "quad": "  ", "qquad": "    ", "!": "",
          "enspace": " ", "thinspace": " ", "medspace": " ", "thickspace": " "}
# Commands that only change size or style: drawn as nothing (the delimiter after \big stays).
IGNORED = frozenset(
    "big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr displaystyle textstyle scriptstyle "
    "scriptscriptstyle limits nolimits nonumber notag middle left right strut".split()
)
DROPPED_WITH_ARGUMENT = frozenset("label phantom hphantom vphantom color".split())

MATRIX_BRACKETS = {
    "matrix": ("[", "]"), "smallmatrix": ("[", "]"), "array": ("[", "]"), "bmatrix": ("[", "]"),
    "pmatrix": ("(", ")"), "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"), "Bmatrix": ("{", "}"),
}
ROW_ENVIRONMENTS = frozenset(
    "aligned align align* alignat alignat* gather gather* gathered split eqnarray eqnarray* "
    "equation equation* multline multline* flalign flalign*".split()
)
CASES = frozenset({"cases", "dcases", "rcases"})

# Tall delimiters for the 2-D layout: (top, middle extension, bottom, centre piece or "").
TALL = {
    "(": ("⎛", "⎜", "⎝", ""), ")": ("⎞", "⎟", "⎠", ""), "[": ("⎡", "⎢", "⎣", ""),
    "]": ("⎤", "⎥", "⎦", ""), "{": ("⎧", "⎪", "⎩", "⎨"), "}": ("⎫", "⎪", "⎭", "⎬"),
    "|": ("│", "│", "│", ""), "‖": ("‖", "‖", "‖", ""), "⌈": ("⎡", "⎢", "⎢", ""),
    "⌉": ("⎤", "⎥", "⎥", ""), "⌊": ("⎢", "⎢", "⎣", ""), "⌋": ("⎥", "⎥", "⎦", ""),
}

# Characters around which a fraction's part counts as compound and is parenthesised (1/(1 + e⁻ᶻ)).
LOW_PRECEDENCE = frozenset("+-−±∓=<>≤≥≠≈≡∼≃∝→←↔⇒⇔⟹⟺↦∈∉⊂⊆⊃⊇,;:|∣∧∨")
PRODUCT_OPERATORS = frozenset("/÷·×∗*⊙⊗⊕")
