"""Card text as a set of content terms, for comparing what two cards ask (near_duplicates.py).

``terms("**Which** initialisation goes with ReLU networks?")`` → ``{"initial", "relu"}``: card comments
and Markdown markers are dropped, the text is NFKC-normalised and casefolded, Greek letters are
spelled out (``α`` → ``alpha``), a few notations and phrases are unified (``√`` → ``sqrt``, ``eᶻ`` →
``exp z``, a prime → ``derivative``, "standard deviation", std and σ → ``sigma``, "Leaky ReLU" →
``leakyrelu``, weights → ``w``, Kaiming → he, Glorot → xavier), question words, function words and
linking filler ("suits", "designed for", "networks") are left out, and every word is cut to a rough
stem (British and American spellings meet: "normalisation" and "normalization" → ``normal``).

Numbers stay whole (``0.01``, ``1.0507``); single letters stay (``z``, ``w``): formulas are content.
"""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+(?:_[^\W_]+)*")
_EXP = re.compile(r"(?<![A-Za-z0-9_])e(?=[⁻ᶻˣ⁽^])")  # eᶻ, e⁻ᶻ, e^x: the exponential (before NFKC)

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)  # card comments (id, dup-ok)
_POSSESSIVE = re.compile(r"['’]s\b")  # PyTorch's, SELU's
_PRIME = re.compile(r"(?<=[\w)])['’′]+")  # ReLU'(z), f'(0), σ'(z)
_UNDERSCORES = re.compile(r"(?<!\w)_+|_+(?!\w)")  # emphasis, not the _ of n_in
# (a substring that must be present, the pattern, its replacement): checked in this order.
_PHRASES = [(trigger, re.compile(pattern), replacement) for trigger, pattern, replacement in (
    ("dev", r"standard\s+deviations?", " sigma "),
    ("std", r"\bstd\b", " sigma "),  # σ is spelled sigma too: a std in initialisation, σ(z) elsewhere
    ("respect", r"with\s+respect\s+to", " "),
    ("rate", r"learning\s+rate", " lr "),
    ("prop", r"back[\s-]*prop(?:agation)?|backward\s+prop(?:agation)?", " backprop "),
    ("backward", r"backward\s+pass", " backprop "),
    ("forward", r"forward\s+(?:pass|prop(?:agation)?)", " forwardprop "),
    ("leaky", r"leaky[\s_-]*relu", " leakyrelu "),
    ("pre-", r"pre-activation", " preactivation "),
)]


def _table() -> dict[int, str]:
    table = {ord(c): " " for c in "*`~"}
    table.update({ord(c): " - " for c in "−–—"})
    table.update({ord(c): " * " for c in "×·⋅∙"})
    table[ord("√")] = " sqrt "
    for code in range(0x370, 0x400):  # Greek letters spelled out: α → alpha
        name = unicodedata.name(chr(code), "")
        if name.startswith("GREEK") and "LETTER" in name:
            table[code] = f" {name.split()[-1].lower()} "
    return table


_TRANSLATE = _table()


_SYNONYMS = {
    "kaiming": "he", "glorot": "xavier", "init": "initial", "neuron": "unit", "variance": "var",
    "network": "net", "nn": "net", "weight": "w", "solve": "fix", "solution": "fix", "remedy": "fix",
    "grad": "gradient", "zero": "0", "logistic": "sigmoid", "lamda": "lambda",
    "dying": "dead", "die": "dead", "dies": "dead", "died": "dead", "death": "dead",
}
STOPWORDS = frozenset("""
a an the of to in on at by for from with without into onto over under as and or nor but if then else so
than that this these those there here it its it's is are was were be been being am do does did doing done
has have had having can could would should shall will may might must not no yes
what what's whats which who whom whose why how when where whether while
you your yours we our us i me my he's she they them their one's
each every all any some such own same other another both either neither only just also very more most
much many few less least per via vs versus
about above after again against before below between during through up down out off once
besides apart except
use used uses using go goes going give gives given name names list state states say says write written explain describe define
one usually typically commonly often exactly precisely roughly approximately one-line
suit suits suited design designed designs pair paired work works best good better right choose chosen
prefer preferred recommend recommended appropriate fit fits typical common standard
network networks net nets model models
""".split())  # the last lines: filler that links what a question is about ("… designed for ReLU networks")
# (suffix, replacement), the first that leaves a stem of at least three letters wins.
_SUFFIXES = (("izations", ""), ("ization", ""), ("ations", "at"), ("ation", "at"), ("ating", "at"),
             ("ated", "at"), ("ates", "at"), ("izing", ""), ("ized", ""), ("izes", ""), ("ize", ""),
             ("ings", ""), ("ing", ""), ("ies", "y"), ("ied", "y"), ("sses", "ss"), ("ches", "ch"),
             ("shes", "sh"), ("xes", "x"), ("ed", ""), ("ly", ""), ("s", ""))
_KEEP_S = ("ss", "us", "is", "as", "xs")  # bias, focus, basis: not plurals


_BRITISH = re.compile(r"is(e|ed|es|ing|ation|ations)$|(our)$|(tre)$|(tred)$")
_AMERICAN = {2: "or", 3: "ter", 4: "tered"}


def stem(word: str) -> str:
    """A rough stem: British spellings as American ones (-ise → -ize, -our → -or, -tre → -ter), then
    one common suffix off (keeping at least three letters)."""
    word = _SYNONYMS.get(word, word)
    if len(word) <= 3 or not word.isalpha():
        return word
    m = _BRITISH.search(word)
    if m:
        word = word[: m.start()] + ("iz" + m.group(1) if m.group(1) else _AMERICAN[m.lastindex])
    for suffix, replacement in _SUFFIXES:
        if suffix == "s" and word.endswith(_KEEP_S):
            break
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] in "bdgmnprt":  # outputt(ing) → output
        word = word[:-1]
    if word.endswith("e") and len(word) > 3:  # gate and gates, centre and center meet
        word = word[:-1]
    return _SYNONYMS.get(word, word)


def terms(text: str) -> frozenset[str]:
    """The content terms of a card's Markdown text (see the module docstring)."""
    if not text:
        return frozenset()
    if not text.isascii():
        text = unicodedata.normalize("NFKC", _EXP.sub(" exp ", text))
    text = text.casefold()
    if "<!--" in text:
        text = _COMMENT.sub(" ", text)
    if "'" in text or "’" in text or "′" in text:
        text = _PRIME.sub(" derivative ", _POSSESSIVE.sub(" ", text))
    text = text.translate(_TRANSLATE)
    if "_" in text:
        text = _UNDERSCORES.sub(" ", text)
    for trigger, pattern, replacement in _PHRASES:
        if trigger in text:
            text = pattern.sub(replacement, text)
    out = set()
    for token in _TOKEN.findall(text):
        term = _TERMS.get(token)
        if term is None:
            term = _term(token)
        if term:
            out.add(term)
    return frozenset(out)


_TERMS: dict[str, str] = {}  # token → its term ("" for a stop word); grows with the vocabulary


def _term(token: str) -> str:
    term = "" if token in STOPWORDS else stem(token)
    if term in STOPWORDS:
        term = ""
    if len(_TERMS) < 200_000:
        _TERMS[token] = term
    return term
