"""Pratt parser: tokens → a tree of the whitelisted node kinds in :mod:`quizapp.core.formula.nodes`.

Precedence, loosest first: ``A if C else B`` · ``or`` · ``and`` · ``not`` · comparisons (chained) ·
``+ -`` · ``* /`` · unary ``- + √`` · ``** ^`` (right-associative, ``-z**2`` is ``-(z**2)``) ·
superscripts and calls; ``|x|`` is ``abs(x)``. Function names are read leniently when called
(``ReLU(z)``, ``LeakyReLU(z)``, ``sigma(z)``; see :func:`expr_functions.resolve_call`) and a power
on the name is a power of the call (``tanh²(z)``, ``tanh^2(z)`` → ``tanh(z)**2``). A Pratt loop
costs two or three Python frames per nesting level, and both the recursion level and the tree depth
are capped, so no input can exhaust the stack.
"""

from __future__ import annotations

from quizapp.core.formula.functions import (
    CONSTANTS,
    FUNCTIONS,
    not_in_formulas,
    resolve,
    resolve_call,
    suggest,
)
from quizapp.core.formula.lexer import Token, tokenize
from quizapp.core.formula.nodes import (
    MAX_NODES,
    MAX_TREE_DEPTH,
    BinOp,
    BoolOp,
    Call,
    Compare,
    Const,
    ExprError,
    IfElse,
    Node,
    Num,
    Unary,
    Var,
    children,
)

__all__ = ["parse_tree"]

_COMPARISONS = {"<", "<=", ">", ">=", "==", "!="}
_LBP_OP = {"+": 6, "-": 6, "*": 7, "/": 7, "**": 9, **{c: 5 for c in _COMPARISONS}}
_LBP_KW = {"if": 1, "or": 2, "and": 3}
_UNARY_BP = 8
_NOT_BP = 4
_OPERAND_START = {"num", "name", "(", "|(", "sqrt"}
_VARIABLE_LIKE = {"alpha", "beta", "gamma", "delta", "lambda_", "epsilon", "theta", "mu", "eta",
                  "tau", "phi", "omega", "rho", "sigma", "kappa", "nu", "xi", "zeta", "chi", "psi"}


def _describe(tok: Token) -> str:
    return "the end of the formula" if tok.kind == "end" else f"'{tok.text}'"


def _short(src: str, *, keep_end: bool) -> str:
    src = " ".join(src.split())
    if len(src) <= 16:
        return src
    return "…" + src[-12:] if keep_end else src[:12] + "…"


class _Parser:
    def __init__(self, tokens: list[Token], text: str) -> None:
        self.toks = tokens
        self.pos = 0
        self.text = text
        self.level = 0
        self.count = 0
        self.depth: dict[int, int] = {}

    # --- helpers -------------------------------------------------------------------------
    def peek(self) -> Token:
        return self.toks[self.pos]

    def advance(self) -> Token:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def expect(self, kind: str, what: str, opened: Token | None = None) -> Token:
        tok = self.peek()
        if tok.kind != kind:
            extra = f" to close the '(' at column {opened.col}" if opened is not None else ""
            raise ExprError(f"expected {what}{extra} but found {_describe(tok)}", tok.col)
        return self.advance()

    def mk(self, node: Node) -> Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise ExprError(f"the formula is too long (more than {MAX_NODES} parts)", node.col or None)
        depth = 1 + max((self.depth.get(id(c), 1) for c in children(node)), default=0)
        if depth > MAX_TREE_DEPTH:
            raise ExprError(f"the formula is nested too deeply (more than {MAX_TREE_DEPTH} levels)",
                            node.col or None)
        self.depth[id(node)] = depth
        return node

    def _src(self, first: Token, last: Token) -> str:
        return self.text[first.col - 1:last.end - 1]

    def _matching_close(self, index: int) -> Token:
        depth = 0
        for tok in self.toks[index:]:
            depth += (tok.kind in ("(", "|(")) - (tok.kind in (")", "|)"))
            if depth == 0:
                return tok
        return self.toks[index]

    def implicit_mult(self, left_first: Token) -> ExprError:
        tok = self.peek()
        if (left_first is self.toks[self.pos - 1] and left_first.kind == "name"
                and resolve_call(left_first.value) is not None):  # Tanh z, sigma z
            return ExprError(f"'{left_first.text}' is a function: write {left_first.text}(…)",
                             left_first.col)
        left = _short(self._src(left_first, self.toks[self.pos - 1]), keep_end=True)
        right_last = self._matching_close(self.pos) if tok.kind in ("(", "|(") else tok
        right = _short(self._src(tok, right_last), keep_end=False)
        return ExprError(f"write {left}*{right} — implicit multiplication is not allowed", tok.col)

    # --- the Pratt loop ----------------------------------------------------------------------
    def expr(self, rbp: int = 0) -> Node:
        self.level += 1
        if self.level > MAX_TREE_DEPTH:
            raise ExprError(f"the formula is nested too deeply (more than {MAX_TREE_DEPTH} levels)",
                            self.peek().col)
        first = self.peek()
        left = self.nud(self.advance())
        while True:
            tok = self.peek()
            if tok.kind in _OPERAND_START:
                raise self.implicit_mult(first)
            lbp = self.lbp(tok)
            if lbp <= rbp:
                break
            self.advance()
            left = self.led(tok, left)
        self.level -= 1
        return left

    @staticmethod
    def lbp(tok: Token) -> int:
        if tok.kind == "op":
            return _LBP_OP[tok.value]
        if tok.kind == "kw":
            return _LBP_KW.get(tok.value, 0)
        if tok.kind == "sup":
            return 10
        return 0

    def nud(self, tok: Token) -> Node:
        kind = tok.kind
        if kind == "num":
            return self.mk(Num(tok.value, tok.col))
        if kind == "name":
            return self.name(tok)
        if kind == "(":
            if self.peek().kind == ")":
                raise ExprError("empty parentheses: put a value inside", tok.col)
            inner = self.expr(0)
            self.expect(")", "')'", opened=tok)
            return inner
        if kind == "|(":
            inner = self.expr(0)
            close = self.peek()
            if close.kind != "|)":
                raise ExprError(f"expected '|' to close the '|' at column {tok.col} but found "
                                f"{_describe(close)}", close.col)
            self.advance()
            return self.mk(Call("abs", (inner,), tok.col, "|"))
        if kind == "op" and tok.value in ("-", "+"):
            return self.mk(Unary(tok.value, self.expr(_UNARY_BP), tok.col))
        if kind == "sqrt":
            return self.mk(Call("sqrt", (self.expr(_UNARY_BP),), tok.col))
        if kind == "kw" and tok.value == "not":
            return self.mk(Unary("not", self.expr(_NOT_BP), tok.col))
        if kind == "end":
            raise ExprError("the formula ends too early: expected a number, a name or '('", tok.col)
        if kind == "sup":
            raise ExprError("a superscript needs something before it (like z²)", tok.col)
        raise ExprError(f"unexpected {_describe(tok)}: expected a number, a name or '('", tok.col)

    def led(self, tok: Token, left: Node) -> Node:
        if tok.kind == "sup":
            return self.mk(BinOp("**", left, self.superscript(tok), tok.col))
        op = tok.value
        if tok.kind == "kw":
            if op == "if":
                cond = self.expr(_LBP_KW["or"] - 1)
                self.expect_kw("else", tok)
                other = self.expr(0)
                return self.mk(IfElse(left, cond, other, tok.col))
            values = [left, self.expr(_LBP_KW[op])]
            while self.peek().kind == "kw" and self.peek().value == op:
                self.advance()
                values.append(self.expr(_LBP_KW[op]))
            return self.mk(BoolOp(op, tuple(values), tok.col))
        if op in _COMPARISONS:
            ops, operands = [op], [left, self.expr(5)]
            while self.peek().kind == "op" and self.peek().value in _COMPARISONS:
                ops.append(self.advance().value)
                operands.append(self.expr(5))
            return self.mk(Compare(tuple(ops), tuple(operands), tok.col))
        if op == "**":
            return self.mk(BinOp("**", left, self.expr(_UNARY_BP), tok.col))
        return self.mk(BinOp(op, left, self.expr(_LBP_OP[op]), tok.col))

    def expect_kw(self, word: str, opener: Token) -> None:
        tok = self.peek()
        if tok.kind != "kw" or tok.value != word:
            raise ExprError(f"expected '{word}' for the 'if' at column {opener.col} "
                            f"(write A if COND else B) but found {_describe(tok)}", tok.col)
        self.advance()

    def superscript(self, tok: Token) -> Node:
        saved = self.toks, self.pos
        self.toks = [*tok.value, Token("end", "", tok.end, tok.end)]
        self.pos = 0
        node = self.expr(0)
        if self.peek().kind != "end":
            raise ExprError(f"unexpected {_describe(self.peek())} in the superscript", self.peek().col)
        self.toks, self.pos = saved
        return node

    # --- names and calls ---------------------------------------------------------------------
    def name(self, tok: Token) -> Node:
        name = tok.value
        exact = resolve(name)
        nxt = self.peek()
        after = self.toks[self.pos + 1] if nxt.kind != "end" else nxt
        # a power written on the function name, read as a power of the call: tanh²(z), tanh^2(z)
        sup_power = nxt.kind == "sup" and after.kind == "("
        op_power = (nxt.kind == "op" and nxt.value == "**" and after.kind == "num"
                    and self.toks[self.pos + 2].kind == "(")
        spec = exact or (resolve_call(name) if nxt.kind == "(" or sup_power or op_power else None)
        if spec is not None:
            power = None
            if sup_power:
                power = self.superscript(self.advance())
                if isinstance(power, Unary) and power.op == "-":
                    raise ExprError(f"{tok.text}{nxt.text}(…) is ambiguous (inverse or reciprocal?): "
                                    f"write 1/{tok.text}(…) for the reciprocal", nxt.col)
            elif op_power:
                self.advance()
                power = self.mk(Num(self.advance().value, after.col))
            nxt = self.peek()
            if nxt.kind != "(":
                hint = (f" (for a power: {tok.text}(z)**2)" if nxt.kind == "sup"
                        or nxt.kind == "op" and nxt.value == "**" else "")
                raise ExprError(f"'{tok.text}' is a function: write {tok.text}(…){hint}", tok.col)
            call = self.call(tok, spec.name)
            return self.mk(BinOp("**", call, power, tok.col)) if power is not None else call
        if nxt.kind == "(":
            raise self.not_a_function(tok)
        if name in CONSTANTS:
            return self.mk(Const(name, tok.col))
        return self.mk(Var(name, tok.col))

    def not_a_function(self, tok: Token) -> ExprError:
        name = tok.value
        if len(name) <= 2 or not tok.text.isascii() or name in _VARIABLE_LIKE or name in CONSTANTS:
            return self.implicit_mult(tok)  # z(z+1), α(z+1), e(…)
        why = not_in_formulas(name)
        if why is not None:
            return ExprError(why, tok.col)
        close = suggest(name)
        if close:
            return ExprError(f"unknown function '{name}' — did you mean '{close}'?", tok.col)
        known = ", ".join(sorted(FUNCTIONS))
        return ExprError(f"unknown function '{name}' (known functions: {known})", tok.col)

    def call(self, name_tok: Token, func: str) -> Node:
        opened = self.advance()  # the '('
        if self.peek().kind == ")":
            raise ExprError(f"{name_tok.text}() needs an argument", self.peek().col)
        args = [self.expr(0)]
        while self.peek().kind == ",":
            self.advance()
            if self.peek().kind == ")":
                raise ExprError("a value is missing after ','", self.peek().col)
            args.append(self.expr(0))
        self.expect(")", "',' or ')'", opened=opened)
        spec = FUNCTIONS[func]
        if len(args) < spec.min_args or (spec.max_args is not None and len(args) > spec.max_args):
            detail = f" ({', '.join(['z', *spec.params])})" if spec.params else ""
            raise ExprError(f"{name_tok.text}() takes {spec.arity_text()}{detail}, "
                            f"not {len(args)}", name_tok.col)
        return self.mk(Call(func, tuple(args), name_tok.col, name_tok.value))


def parse_tree(text: str) -> Node:
    """The tree for ``text``; raises :class:`ExprError` (message, 1-based ``col``) on any problem."""
    tokens = tokenize(text)
    parser = _Parser(tokens, text)
    root = parser.expr(0)
    tok = parser.peek()
    if tok.kind != "end":
        if tok.kind == ",":
            raise ExprError("unexpected ',': commas only separate a function's arguments", tok.col)
        if tok.kind == "kw" and tok.value == "else":
            raise ExprError("'else' without 'if' (write A if COND else B)", tok.col)
        raise ExprError(f"unexpected {_describe(tok)}", tok.col)
    return root
