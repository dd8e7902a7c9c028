"""Lenient readers for the messy values real model lists carry.

Upstream JSON is untrusted: numbers arrive as strings, `"-1"` means "variable", nulls and missing
keys are common. Each reader returns `None` for anything it cannot read with confidence, because an
unknown figure must never become a wrong one (a price of 0 or a context window of -1).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

_PER_MILLION = Decimal(1_000_000)
_MAX_INT = 2**31 - 1  # token counts beyond a 32-bit column are garbage, not a figure


def decimal_or_none(value: Any) -> Decimal | None:
    """A finite, non-negative decimal, or `None` (for `"-1"`, `""`, nulls, NaN, garbage)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0:
        return None
    return number


def per_million(per_token: Any) -> Decimal | None:
    """USD per token (OpenRouter's strings such as `"0.0000012"`) -> exact USD per 1M tokens.

    >>> per_million("0.0000012")
    Decimal('1.2')
    >>> per_million("-1") is None
    True
    """
    number = decimal_or_none(per_token)
    if number is None:
        return None
    return normalize(number * _PER_MILLION)


def normalize(number: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (`1.20E+1` -> `12`)."""
    normal = number.normalize()
    if normal == normal.to_integral_value():
        return normal.quantize(Decimal(1))
    return normal


def positive_int(value: Any) -> int | None:
    """A positive integer (context windows, token limits), or `None`."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = int(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError, OverflowError):  # "abc", "NaN", "Infinity"
        return None
    return number if 0 < number <= _MAX_INT else None


def count_or_none(value: Any) -> int | None:
    """A whole count that may be zero (downloads, likes), or `None`.

    >>> count_or_none(0), count_or_none("12"), count_or_none(-3), count_or_none(True)
    (0, 12, None, None)
    """
    number = decimal_or_none(value)
    return None if number is None or number != number.to_integral_value() else int(number)


def timestamp(value: Any) -> datetime | None:
    """Unix seconds or an RFC 3339 string (even with nanoseconds) -> aware UTC datetime."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    if "." in text:  # Python parses at most microseconds: trim Ollama's nanoseconds.
        head, _, tail = text.partition(".")
        digits = "".join(ch for ch in tail if ch.isdigit())
        text = f"{head}.{digits[:6]}{tail[len(digits) :]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def text_or_none(value: Any) -> str | None:
    """A non-blank string, stripped, or `None`."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def mapping(value: Any) -> Mapping[str, Any]:
    """`value` if it is a JSON object, else an empty one: lets parsers chain `.get()` safely."""
    if type(value) is dict:  # what JSON decodes to: no ABC check (~0.3 µs) on each of them
        return value
    return value if isinstance(value, Mapping) else {}


def string_list(value: Any) -> tuple[str, ...]:
    """The strings of a JSON array, lower-cased, in order, without duplicates."""
    if not isinstance(value, list):
        return ()
    seen: dict[str, None] = {}
    for item in value:
        if isinstance(item, str) and item.strip():
            seen.setdefault(item.strip().lower(), None)
    return tuple(seen)
