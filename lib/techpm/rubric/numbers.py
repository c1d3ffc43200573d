"""Numbers in an answer: quantities with units, and the arithmetic an answer states, checked.

A quantity is a number with a unit ("500 tokens", "$0.015", "3M output tokens/s", "40,000 questions a
day"). A stated computation is a chain of numbers joined by operators and closed by an equals sign or a
word that means one ("A x B = C", "N tokens x $P/MTok = $C", "3M / 3,000 is 1,000 nodes"), or a rate
restated in another period ("86,400 requests a day, about 1 per second"). ``computations`` recomputes
each one and says whether the stated result holds, to the precision it was written with.

Every pattern consumes a whole run of digits and commas at once, and the scanner walks the tokens once,
so the time is linear in the text: a pasted table of ``1,1,1,...`` cannot stall a notebook.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["Quantity", "Computation", "quantities", "computations"]

_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
         "t": 1e12, "trillion": 1e12}
_UNITS = (r"ms|milliseconds?|s|secs?|seconds?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?|%|"
          r"gb|tb|mb|kb|gib|tib|mib|gb/s|tb/s|tokens?|tok|mtok|qps|rps|req/s|requests?|queries|quer(?:y|ies)|calls?|"
          r"conversations?|questions?|answers?|gpus?|nodes?|replicas?|users?|employees?|lawyers?|developers?|"
          r"customers?|people|pages?|documents?|docs|contracts?|chunks?|items?|examples?|labels?|dims?|"
          r"dimensions?|params?|parameters|flops?|tflops|words?|languages?|bytes?|bits?|hz|khz|audio hours?|"
          r"tickets?|bookings?|trips?|messages?|images?|files?|records?|transactions?|prompts?|points?|pp")
_PER = r"second|sec|s|minute|min|hour|h|hr|day|week|month|year|request|query|question|call|user|page|token|mtok|" \
       r"1m tokens|million tokens|m tokens|1k tokens|k tokens|thousand tokens|1m|1k|million|thousand|" \
       r"conversation|answer|booking|item"
_NUMBER = re.compile(
    r"(?P<cur>\$\s?)?(?P<num>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s?(?P<mult>thousand|million|billion|trillion|bn|mn|k|m|b|t)(?![a-z]))?"
    r"(?:[ -]?(?P<unit>" + _UNITS + r")(?![a-z])|(?P<times>x|×)(?![a-z\d])(?!\s*\$?\d))?"
    r"(?:\s?(?:/|per|an?|each|every)\s?(?P<per>" + _PER + r")(?![a-z]))?", re.I)
_UNIT_AFTER = re.compile(r"[ -](?:[a-z][a-z-]{0,20} ){0,2}(?:" + _UNITS + r")(?![a-z])", re.I)
_SECONDS = {"second": 1, "sec": 1, "s": 1, "minute": 60, "min": 60, "hour": 3600, "h": 3600, "hr": 3600,
            "day": 86_400, "week": 604_800, "month": 2_592_000, "year": 31_536_000}
_PER_TOKENS = {"token": 1, "mtok": 1e6, "1m tokens": 1e6, "million tokens": 1e6, "m tokens": 1e6, "1m": 1e6,
               "million": 1e6, "1k tokens": 1e3, "k tokens": 1e3, "thousand tokens": 1e3, "1k": 1e3, "thousand": 1e3}
_OP = re.compile(r"\s*(?:(?P<op>[x×*/÷+])|(?P<times>times|at(?: about| roughly| around)?)\b)\s*", re.I)
_SI = {"ms": 1e-3, "millisecond": 1e-3, "milliseconds": 1e-3, "minute": 60, "minutes": 60, "min": 60, "mins": 60,
       "hour": 3600, "hours": 3600, "h": 3600, "hr": 3600, "hrs": 3600, "day": 86_400, "days": 86_400,
       "mb": 1e-3, "kb": 1e-6, "tb": 1e3, "mib": 1e-3, "tib": 1e3}
_EQ = re.compile(r"\s*[,(]?\s*(?:=|≈|~=|~|≃|(?:which |that )?(?:is|are|comes to|gives|makes|equals|or)"
                 r"(?: about| roughly| around| approximately| ~)?\b|→)\s*", re.I)
_APPROX = re.compile(r"≈|~|about|roughly|around|approximately|≃")
_PAREN_OPEN = re.compile(r"(?:\s*(?!(?:x|times|at|by|per)\b)[A-Za-z][A-Za-z'-]{0,24}){0,3}\s*\(\s*=?\s*", re.I)
_PAREN_CLOSE = re.compile(r"(?:\s*[A-Za-z][A-Za-z'-]{0,24}){0,3}\s*\)")
_WORD = re.compile(r"\s*[A-Za-z][A-Za-z'-]{0,24}")


@dataclass(frozen=True)
class Quantity:
    """One number as written: its value (multipliers and % applied), unit and rate (per ...)."""

    text: str
    value: float
    unit: str
    per: str
    currency: bool
    start: int
    end: int

    @property
    def si(self) -> float:
        """The value in base units (seconds, gigabytes) where the unit is a time or a size."""
        return self.value * _SI.get(self.unit, 1.0)

    @property
    def has_unit(self) -> bool:
        return bool(self.unit or self.per or self.currency)


@dataclass(frozen=True)
class Computation:
    """A computation the answer states, recomputed: ``ok`` when the stated result is right to its precision."""

    text: str
    stated: float
    computed: float
    ok: bool
    has_units: bool = False   # some number in it carries a unit: it sizes something, not a lone formula

    def describe(self) -> str:
        return f'"{self.text}" works out to {_fmt(self.computed)}, not {_fmt(self.stated)}'


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.3g}"


def _value(m: re.Match[str]) -> float | None:
    raw = m.group("num").rstrip(",")
    if raw.count(".") > 1 or ",," in raw:
        return None
    if "," in raw and not re.fullmatch(r"\d{1,3}(?:,\d{3})*(?:\.\d+)?", raw):
        return None
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        return None
    mult = (m.group("mult") or "").lower()
    if mult:
        value *= _MULT.get(mult, 1.0)
    if (m.group("unit") or "") == "%":
        value /= 100
    per = (m.group("per") or "").lower()
    if m.group("cur") and per in _PER_TOKENS:
        value /= _PER_TOKENS[per]          # a price per million tokens becomes a price per token
    return value if math.isfinite(value) else None


def quantities(text: str, limit: int = 5_000) -> list[Quantity]:
    """The numbers in ``text`` with their units (at most ``limit``: a pasted table is not an essay)."""
    out: list[Quantity] = []
    for m in _NUMBER.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_."):
            continue                                           # part of a word, an id or a version
        value = _value(m)
        if value is None:
            continue
        unit = (m.group("unit") or ("x" if m.group("times") else "")).lower()
        if not unit and not m.group("per"):
            after = _UNIT_AFTER.match(text[m.end():m.end() + 60])   # "5,600 input tokens"
            unit = after.group(0).split()[-1].lower() if after else ""
        mult = (m.group("mult") or "").lower()
        if not unit and mult in ("m", "b", "t") and not m.group("cur"):
            unit = mult                                        # "70B" (parameters), "3M" (a count)
        out.append(Quantity(m.group(0).strip().rstrip(","), value, unit, (m.group("per") or "").lower(), bool(m.group("cur")),
                            m.start(), m.end()))
        if len(out) >= limit:
            break
    return out


def _tolerance(q: Quantity, approx: bool) -> float:
    """Half a unit in the last written digit, or 3% (10% when marked approximate), whichever is larger."""
    digits = re.sub(r"[^\d.]", "", q.text.split("/")[0].split(" per ")[0])
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    written = float(digits.replace(",", "") or 1) if digits.replace(".", "") else 1.0
    scale = q.value / written if written else 1.0          # "0" written: no scale to read from it
    ulp = 0.5 * 10 ** (-decimals) * abs(scale)
    return max(ulp, (0.10 if approx else 0.03) * abs(q.value))


def computations(sentence: str) -> list[Computation]:
    """The computations stated in one sentence, each recomputed."""
    nums = quantities(sentence, limit=200)
    out: list[Computation] = []
    i = 0
    while i < len(nums):
        chain, ops, j = [nums[i]], [], i
        while j + 1 < len(nums):
            between = sentence[nums[j].end:nums[j + 1].start]
            op = _after_words(_OP, between)
            if not op:
                break
            symbol = "x" if op.group("times") else op.group("op").lower()
            if symbol in "/÷" and nums[j].currency and nums[j + 1].currency:
                break                                          # "$2 / $10 per million": a pair of prices
            ops.append(symbol)
            chain.append(nums[j + 1])
            j += 1
        between = sentence[nums[j].end:nums[j + 1].start] if j + 1 < len(nums) else ""
        eq = _after_words(_EQ, between) if between else None
        if eq and j + 2 < len(nums) and _after_words(_OP, sentence[nums[j + 1].end:nums[j + 2].start]):
            eq = None                                          # "that is 6,000 x $2/1M + ...": it introduces a sum
        stated: Quantity | None = None
        if eq and ops:
            stated, text = nums[j + 1], sentence[nums[i].start:nums[j + 1].end]
        elif ops and i > 0 and _PAREN_OPEN.fullmatch(sentence[nums[i - 1].end:nums[i].start]) \
                and _PAREN_CLOSE.match(sentence[nums[j].end:nums[j].end + 40]):
            stated, text = nums[i - 1], sentence[nums[i - 1].start:nums[j].end] + ")"   # "600,000 (20,000 x 30)"
        if stated is not None:
            raw, si = _apply(chain, ops, False), _apply(chain, ops, True)
            if raw is not None and si is not None:
                out.append(_judge(text, stated, raw, si, between, any(q.has_unit for q in [*chain, stated])))
            if stated is nums[j + 1] if j + 1 < len(nums) else False:
                i = j + 1
                continue
        elif eq and _is_rate_restatement(nums[j], nums[j + 1], between):
            left, right = nums[j], nums[j + 1]
            result = left.value * _SECONDS[right.per] / _SECONDS[left.per]
            out.append(_judge(sentence[left.start:right.end], right, result, None, between, True))
        i = j + 1
    return out


def _after_words(pattern: re.Pattern[str], between: str) -> re.Match[str] | None:
    """``pattern`` matching what lies between two numbers, after up to three words that qualify the first
    ("300 output tokens x ...", "3M tokens, or about ...")."""
    rest = between if len(between) <= 80 else ""
    for _ in range(4):
        m = pattern.fullmatch(rest)
        if m:
            return m
        word = _WORD.match(rest)
        if not word:
            return None
        rest = rest[word.end():]
    return None


def _apply(chain: list[Quantity], ops: list[str], si: bool) -> float | None:
    """The chain's value, products and quotients before sums."""
    total, term = 0.0, chain[0].si if si else chain[0].value
    for op, q in zip(ops, chain[1:], strict=True):
        v = q.si if si else q.value
        if op == "+":
            total, term = total + term, v
        elif op in "/÷":
            if v == 0:
                return None
            term /= v
        else:
            term *= v
    return total + term


def _is_rate_restatement(left: Quantity, right: Quantity, between: str) -> bool:
    return (left.per in _SECONDS and right.per in _SECONDS and left.per != right.per
            and len(between) <= 40)


def _judge(text: str, stated: Quantity, computed: float, computed_si: float | None, between: str,
           has_units: bool) -> Computation:
    """Right if the result holds as written, or once times and sizes are in base units (ms x 1,000 = s)."""
    approx = bool(_APPROX.search(between))
    tol = _tolerance(stated, approx)
    ok = abs(computed - stated.value) <= tol
    if not ok and computed_si is not None:
        ok = abs(computed_si - stated.si) <= tol * _SI.get(stated.unit, 1.0)
    return Computation(text.strip(), stated.value, computed, ok, has_units)
