"""calc.evaluate: arithmetic said out loud, evaluated by a small parser of our own.

The expression comes from speech (and, through an LLM, possibly from anyone), so it is
never handed to ``eval``: a recursive-descent parser accepts numbers, + - * / ^ ( ) and
postfix % ("15%*80" is 15 percent of 80), and computes with exact fractions so that
0.1+0.2 is 0.3. Length, nesting and the size of every result are capped, so "9^9^9"
is answered at once ("too large") instead of pinning a core.
"""

from __future__ import annotations

import logging
import math
import re
from fractions import Fraction
from typing import Any

from intents.types import Intent
from skills.sdk import Awaiting, SkillContext, SkillKind, SkillManifest, SkillResult

_LOGGER = logging.getLogger(__name__)

MAX_LENGTH = 200
MAX_DEPTH = 40
#: Results (and intermediate values) beyond this magnitude are "too large" to say.
MAX_MAGNITUDE = Fraction(10) ** 100
#: Fractions whose denominator grows beyond this are rounded to a float (1/3^200 is not exact speech anyway).
MAX_DENOMINATOR_BITS = 256
SIGNIFICANT_DIGITS = 10
LARGEST = Fraction(10) ** 15
SMALLEST = Fraction(1, 10**6)

#: Lenient spellings of the operators that speech-to-text and LLMs produce.
_SPELLINGS = str.maketrans(
    {"×": "*", "x": "*", "X": "*", "÷": "/", "−": "-", "（": "(", "）": ")", "％": "%", "＋": "+", "＊": "*", "／": "/"}
)
_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*|\.\d+)|(\*\*|[-+*/^()%]))")


class CalcError(Exception):
    """Why an expression has no answer: ``garbage``, ``zero``, ``too_large``, ``too_small`` or ``too_long``."""


def tokenize(text: str) -> list[str]:
    text = text.translate(_SPELLINGS).strip()
    if len(text) > MAX_LENGTH:
        raise CalcError("too_long")
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            if text[pos:].strip() == "":
                break
            raise CalcError("garbage")
        tokens.append("^" if match.group(2) == "**" else (match.group(1) or match.group(2)))
        pos = match.end()
    if not tokens:
        raise CalcError("garbage")
    return tokens


def _check(value: Fraction) -> Fraction:
    if abs(value) > MAX_MAGNITUDE:
        raise CalcError("too_large")
    if value.denominator.bit_length() > MAX_DENOMINATOR_BITS:
        value = Fraction(float(value))
    return value


class _Parser:
    """expr := term (("+"|"-") term)* ; term := unary (("*"|"/") unary)* ;
    unary := ("+"|"-") unary | power ; power := postfix ("^" unary)? ; postfix := atom "%"* ;
    atom := number | "(" expr ")"."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.pos, self.depth = tokens, 0, 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise CalcError("garbage")
        self.pos += 1
        return token

    def parse(self) -> Fraction:
        value = self.expr()
        if self.peek() is not None:
            raise CalcError("garbage")
        return value

    def expr(self) -> Fraction:
        value = self.term()
        while self.peek() in ("+", "-"):
            value = _check(value + self.term() if self.take() == "+" else value - self.term())
        return value

    def term(self) -> Fraction:
        value = self.unary()
        while self.peek() in ("*", "/"):
            op, right = self.take(), self.unary()
            if op == "/" and right == 0:
                raise CalcError("zero")
            value = _check(value * right if op == "*" else value / right)
        return value

    def unary(self) -> Fraction:
        if self.peek() in ("+", "-"):
            self._descend()
            sign = self.take()
            value = self.unary()
            self.depth -= 1
            return -value if sign == "-" else value
        return self.power()

    def power(self) -> Fraction:
        base = self.postfix()
        if self.peek() != "^":
            return base
        self.take()
        self._descend()
        exponent = self.unary()
        self.depth -= 1
        return _power(base, exponent)

    def postfix(self) -> Fraction:
        value = self.atom()
        while self.peek() == "%":
            self.take()
            value = value / 100
        return value

    def atom(self) -> Fraction:
        token = self.take()
        if token == "(":
            self._descend()
            value = self.expr()
            self.depth -= 1
            if self.take() != ")":
                raise CalcError("garbage")
            return value
        if token[0].isdigit() or token[0] == ".":
            return _check(Fraction(token))
        raise CalcError("garbage")

    def _descend(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CalcError("too_long")


def _power(base: Fraction, exponent: Fraction) -> Fraction:
    """``base ^ exponent`` without ever building a huge number: the size is estimated first."""
    if base == 0:
        if exponent < 0:
            raise CalcError("zero")
        return Fraction(1) if exponent == 0 else Fraction(0)
    if abs(exponent) > 10_000 or abs(float(exponent)) * abs(math.log10(abs(float(base)))) > 110:
        if abs(base) == 1 and exponent.denominator == 1:
            return Fraction(1 if base > 0 or exponent.numerator % 2 == 0 else -1)
        if (abs(base) > 1 and exponent < 0) or (abs(base) < 1 and exponent > 0):
            raise CalcError("too_small")
        raise CalcError("too_large")
    if exponent.denominator == 1:
        return _check(base ** exponent.numerator)
    if base < 0:
        raise CalcError("garbage")  # an even root of a negative number is not a real number
    return _check(Fraction(float(base) ** float(exponent)))


def evaluate(expression: str) -> Fraction:
    """The value of ``expression``; raises :class:`CalcError` for anything without a spoken answer."""
    return _Parser(tokenize(expression)).parse()


def number_text(value: Fraction, lang: str = "en") -> str:
    """A tidy number: 1280, 0.3, 0.3333333333, -2.5 (never 1.0000000002 or 12.0).

    Beyond 15 digits (or below a millionth) it is said in powers of ten, which people can follow.
    """
    if value != 0 and not SMALLEST <= abs(value) < LARGEST:
        mantissa, exponent = f"{float(value):.6e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        power = int(exponent)
        return f"{mantissa}乘以10的{power}次方" if lang == "zh" else f"{mantissa} times 10 to the power of {power}"
    if value.denominator == 1:
        return str(value.numerator)
    rounded = float(f"{float(value):.{SIGNIFICANT_DIGITS}g}")
    if rounded.is_integer():
        return str(int(rounded))
    text = f"{rounded:.{SIGNIFICANT_DIGITS + 6}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_WORDS = {"+": ("加", "plus"), "-": ("减", "minus"), "*": ("乘以", "times"), "/": ("除以", "divided by")}


def spoken_expression(tokens: list[str], lang: str) -> str | None:
    """320乘以4 / 320 times 4 for flat expressions; ``None`` when words would blur the grouping."""
    if any(t in ("(", ")", "^") for t in tokens) or tokens[0] in _WORDS or not any(t in _WORDS for t in tokens):
        return None
    words = [_WORDS[t][0 if lang == "zh" else 1] if t in _WORDS else t for t in tokens]
    return "".join(words) if lang == "zh" else " ".join(words).replace(" %", "%")


class CalculatorSkill:
    """Answers arithmetic questions."""

    manifest = SkillManifest(
        name="calculator",
        kind=SkillKind.TOOL,
        intents=("calc.evaluate",),
        description="Evaluates spoken arithmetic safely (no eval), with tidy answers.",
    )

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        expression: Any = intent.slots.get("expression")
        if isinstance(expression, (int, float)) and not isinstance(expression, bool):
            expression = str(expression)
        if not isinstance(expression, str) or not expression.strip():
            return SkillResult(ctx.say("你想算什么？", "What should I calculate?"), awaiting=Awaiting.CLARIFICATION)
        try:
            tokens = tokenize(expression)
            value = _Parser(tokens).parse()
        except CalcError as err:
            _LOGGER.info("calc.evaluate %r: %s", expression[:80], err)
            return SkillResult(_error_text(str(err), ctx))
        except (ArithmeticError, ValueError) as err:  # a corner the checks above did not foresee
            _LOGGER.warning("calc.evaluate %r failed: %s", expression[:80], err)
            return SkillResult(_error_text("too_large", ctx))
        result = number_text(value, ctx.lang)
        said = spoken_expression(tokens, ctx.lang)
        if said is None:
            return SkillResult(ctx.say(f"结果是{result}", f"The answer is {result}"))
        return SkillResult(ctx.say(f"{said}等于{result}", f"{said} is {result}"))


def _error_text(reason: str, ctx: SkillContext) -> str:
    if reason == "zero":
        return ctx.say("除数不能为零，这个算不了", "You can't divide by zero")
    if reason == "too_large":
        return ctx.say("这个结果太大了，我说不出来", "That number is too large for me to say")
    if reason == "too_small":
        return ctx.say("结果非常接近0，小到说不出来", "That's so close to zero I can't say it")
    if reason == "too_long":
        return ctx.say("这个算式太长了，请分几步问我", "That expression is too long; try it in smaller steps")
    return ctx.say("这个算式我没看懂，请再说一遍", "I couldn't make sense of that calculation; please say it again")
