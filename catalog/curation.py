"""What an admin gives saved models by hand: display names, notes and tags (checked here), and
the figures of a model the provider does not list (`unlisted`).

The checks are pure; `Catalog` (`catalog.service`) calls them and writes through
`storage.curation`. A display name is unique per provider: checked before the write, and the
unique index decides a race (`ConflictError`, code `CONFLICT`, either way).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from errors import InvalidInputError
from providers import Capability
from storage.figures import CAPABILITIES, FIGURES, LABEL_LENGTH, MAX_TAGS, TAG_LENGTH, TEXT_LENGTH
from storage.records import ModelValues

MAX_NOTES = 10_000
_TAG = re.compile(r"^[\w][\w .:/+-]*$")
UNLISTED_SOURCE = "admin (the provider does not list this model)"
"""What `sources` says of each figure of an unlisted model: the admin gave it."""

GIVEN: Mapping[str, str] = {
    "name": "name",
    "description": "description",
    "context_window": "contextWindow",
    "max_output_tokens": "maxOutputTokens",
    "input_price": "inputPrice",
    "output_price": "outputPrice",
}
"""The figures an admin may give an unlisted model (figure name -> argument name), besides
its capabilities."""


def check_display_name(name: str | None) -> str | None:
    """A display name as stored: trimmed; empty or None clears it."""
    if name is None or not name.strip():
        return None
    name = name.strip()
    if len(name) > LABEL_LENGTH or not name.isprintable():
        raise InvalidInputError(
            f"displayName must be at most {LABEL_LENGTH} printable characters",
            field="displayName",
        )
    return name


def check_notes(notes: str | None) -> str | None:
    if notes is None or not notes.strip():
        return None
    if len(notes) > MAX_NOTES:
        raise InvalidInputError(f"notes must be at most {MAX_NOTES} characters", field="notes")
    return notes.strip()


def check_tags(tags: Sequence[str] | None) -> list[str]:
    """Tags as stored: trimmed, duplicates dropped, in the order given."""
    cleaned: list[str] = []
    for index, tag in enumerate(tags or ()):
        tag = tag.strip()
        if not 1 <= len(tag) <= TAG_LENGTH or not _TAG.match(tag):
            raise InvalidInputError(
                f"tags[{index}]: a tag is 1 to {TAG_LENGTH} letters, digits, spaces or . : / + -",
                field=f"tags[{index}]",
            )
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise InvalidInputError(f"at most {MAX_TAGS} tags", field="tags")
    return cleaned


def curated_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """`curateModel`'s arguments (only those given, by figure name) checked."""
    checks = {"display_name": check_display_name, "notes": check_notes, "tags": check_tags}
    unknown = set(changes) - set(checks)
    if unknown:
        raise InvalidInputError(f"not an admin figure: {', '.join(sorted(unknown))}")
    if not changes:
        raise InvalidInputError("give displayName, notes or tags to change")
    return {name: checks[name](value) for name, value in changes.items()}


def unlisted_values(
    model_id: str, capabilities: Sequence[Capability] | None, given: Mapping[str, Any]
) -> ModelValues:
    """What saving a model the provider does not list stores: the admin's figures (the
    capabilities are required: nothing can detect them), the others unknown."""
    if not capabilities:
        raise InvalidInputError(
            "a model the provider does not list needs its capabilities", field="capabilities"
        )
    unknown = set(given) - set(GIVEN)
    if unknown:
        raise InvalidInputError(f"not a figure an admin gives: {', '.join(sorted(unknown))}")
    figures: dict[str, Any] = {
        figure.name: None for figure in FIGURES if figure.record and figure.name in GIVEN
    }
    figures.update({name: _given(name, value) for name, value in given.items()})
    figures["name"] = figures.get("name") or model_id
    figures[CAPABILITIES] = sorted(capabilities)
    figures["sources"] = {name: UNLISTED_SOURCE for name in (*given, CAPABILITIES)}
    figures["raw"] = {}
    return ModelValues(check_model_id(model_id), figures)


def _given(name: str, value: Any) -> Any:
    field = GIVEN[name]
    if value is None:
        return None
    if name in ("input_price", "output_price"):
        try:
            price = Decimal(str(value))
        except InvalidOperation:
            raise InvalidInputError(f"{field} must be a number", field=field) from None
        if not price.is_finite() or price < 0 or price > Decimal("1e9"):
            raise InvalidInputError(f"{field} must be 0 to 1e9 USD per 1M tokens", field=field)
        return price
    if name in ("context_window", "max_output_tokens"):
        if not isinstance(value, int) or not 1 <= value <= 100_000_000:
            raise InvalidInputError(f"{field} must be 1 to 100000000 tokens", field=field)
        return value
    text = str(value).strip()
    if not text or (name == "name" and not text.isprintable()):
        raise InvalidInputError(f"{field} must be printable text", field=field)
    return text


def check_model_id(model_id: str) -> str:
    if (
        not 1 <= len(model_id) <= TEXT_LENGTH
        or not model_id.isprintable()
        or model_id.strip() != model_id
    ):
        raise InvalidInputError(
            f"modelId must be 1 to {TEXT_LENGTH} printable characters", field="modelId"
        )
    return model_id
