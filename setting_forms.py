"""How a setting is declared (`Declaration`, `setting`) and the forms its value may take: how
a variable's text is read and what is allowed.

Each form parses the text (raising `ValueError` when it does not fit) and says, in words, what
it accepts: that sentence is both the README's "allowed" column and the end of the one-line
error a bad value gets at start (`problem_line`, gathered in `settings.SettingsError`).

>>> integer(1, 65535).parse("8080")
8080
>>> integer(1, 65535).allowed
'a whole number from 1 to 65535'
>>> boolean().parse("Off")
False
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Secret

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


@dataclass(frozen=True, slots=True)
class Form:
    """How to read one variable: `parse` (raises ValueError) and the words for what fits."""

    allowed: str
    parse: Callable[[str], Any]
    show: Callable[[Any], str] = str


@dataclass(frozen=True, slots=True)
class Declaration:
    """One environment variable: its name, form, what it means, and (for a limit) what a
    request over it gets. `shown_default` is the README's wording when the default is
    derived; `secret` values are never echoed, not even in an error."""

    variable: str
    form: Form
    meaning: str
    refusal: str | None = None
    shown_default: str | None = None
    secret: bool = False


def setting(default: Any, variable: str, form: Form, meaning: str, **extra: Any) -> Any:
    """A `Settings` field declared as the environment variable `variable`."""
    declaration = Declaration(variable, form, meaning, **extra)
    return field(default=default, metadata={"declaration": declaration})


def problem_line(declaration: Declaration, variable: str, raw: str) -> str:
    """The one line a bad value gets: the variable, its value (a secret hidden), what fits."""
    shown = "(hidden)" if declaration.secret else repr(raw if len(raw) <= 80 else f"{raw[:60]}…")
    return f"{variable}={shown}: {declaration.form.allowed.replace('`', '')} is allowed"


def integer(low: int, high: int, unit: str = "") -> Form:
    def parse(raw: str) -> int:
        value = int(raw, 10)
        if not low <= value <= high:
            raise ValueError(raw)
        return value

    suffix = f" ({unit})" if unit else ""
    return Form(f"a whole number from {low} to {high}{suffix}", parse)


def number(low: float, high: float, unit: str, *, inclusive: bool = False) -> Form:
    """A decimal number up to `high`, above `low` (or from it, when `inclusive`)."""

    def parse(raw: str) -> float:
        value = float(raw)
        above = value >= low if inclusive else value > low
        if not (above and value <= high):  # also refuses nan
            raise ValueError(raw)
        return value

    start = f"from {low:g}" if inclusive else f"above {low:g}"
    return Form(f"a number {start} up to {high:g} ({unit})", parse, lambda v: f"{v:g}")


def boolean() -> Form:
    def parse(raw: str) -> bool:
        word = raw.lower()
        if word not in _TRUE | _FALSE:
            raise ValueError(raw)
        return word in _TRUE

    return Form("`true` or `false` (also 1/0, yes/no, on/off)", parse, lambda v: str(v).lower())


def choice(*options: str) -> Form:
    def parse(raw: str) -> str:
        if raw.upper() not in options:
            raise ValueError(raw)
        return raw.upper()

    return Form("one of " + ", ".join(f"`{option}`" for option in options), parse)


def text(pattern: str, words: str) -> Form:
    compiled = re.compile(pattern)

    def parse(raw: str) -> str:
        if not compiled.fullmatch(raw):
            raise ValueError(raw)
        return raw

    return Form(words, parse)


def secret_text(pattern: str, words: str) -> Form:
    """Like `text`, but the value is kept as a `Secret` (never in a repr or a log line)."""
    compiled = re.compile(pattern)

    def parse(raw: str) -> Secret:
        if not compiled.fullmatch(raw):
            raise ValueError("(hidden)")
        return Secret(raw)

    return Form(words, parse, lambda value: "…" if value else "")


def http_url() -> Form:
    def parse(raw: str) -> str:
        parts = urlsplit(raw)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(raw)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
        return raw.rstrip("/")

    return Form("an `http://` or `https://` URL with a host", parse)


def database_url() -> Form:
    def parse(raw: str) -> str:
        parts = urlsplit(raw)
        if parts.scheme == "sqlite" and raw.removeprefix("sqlite://").strip():
            return raw
        if parts.scheme in ("postgres", "postgresql") and parts.hostname and parts.path.strip("/"):
            parts.port  # noqa: B018 (raises ValueError for a port out of range)
            return raw
        raise ValueError(raw)

    return Form("`sqlite://<file>` or `postgres://user[:password]@host[:port]/database`", parse)


def cache_url() -> Form:
    def parse(raw: str) -> str:
        parts = urlsplit(raw)
        db = parts.path.strip("/")
        if raw == "memory://":
            return raw
        if parts.scheme == "redis" and parts.hostname and (db == "" or db.isdigit()):
            parts.port  # noqa: B018 (raises ValueError for a port out of range)
            return raw
        raise ValueError(raw)

    return Form("`memory://` or `redis://[:password@]host[:port][/db]`", parse)


def fernet_keys() -> Form:
    def parse(raw: str) -> tuple[Secret, ...]:
        keys = tuple(key.strip() for key in raw.split(",") if key.strip())
        for key in keys:
            try:
                if len(base64.urlsafe_b64decode(key.encode())) != 32:
                    raise ValueError("not 32 bytes")
            except binascii.Error as exc:
                raise ValueError("not base64") from exc
        return tuple(Secret(key) for key in keys)

    return Form(
        "comma-separated Fernet keys (32 url-safe base64-encoded bytes each)",
        parse,
        lambda keys: ",".join("…" for _ in keys),
    )
