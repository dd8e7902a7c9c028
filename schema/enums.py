"""The GraphQL enums: the schema's own, one per enum of the service it shows (a capability,
the sort order of a list, a drift status), with the same members and values, each described.

They are the schema's, not the service's: `providers.Capability` and the others never carry
GraphQL state, and nothing registers anything on them. Inputs arrive as these and become the
service's enums at the resolver (`service_value`); outputs are the service's own values, which
these serve as they are (`graphql_type=`), matched by value. `tests/graphql/test_contract.py`
fails when a service enum gains a member its GraphQL enum lacks.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum, StrEnum
from typing import TypeVar

import strawberry

from catalog import drift, ordering, routing, transfer_file
from providers import Capability as ServiceCapability

E = TypeVar("E", bound=Enum)


def service_value(value: Enum, service: type[E]) -> E:
    """A GraphQL enum's member as the service's enum member of the same value."""
    return service(value.value)


def graphql_enum(name: str, description: str, **values: str) -> Callable[[type[E]], type[E]]:
    """`strawberry.enum`, each value described (`values`, by member name): a `StrEnum`'s
    members cannot carry `strawberry.enum_value`, and plain members would not serve as the
    default of an input. An undescribed member is refused."""

    def define(cls: type[E]) -> type[E]:
        missing = {member.name for member in cls} - set(values)
        if missing:
            raise TypeError(f"enum {name}: values without a description: {sorted(missing)}")
        strawberry.enum(cls, name=name, description=description)
        for value in cls.__strawberry_definition__.values:  # type: ignore[attr-defined]
            value.description = values[value.name]
        return cls

    return define


@graphql_enum(
    "Capability",
    "What a model can be used for. Read from the provider's own metadata first, keyword rules "
    "last; a model's `sources` say which.",
    CHAT="Conversational text generation (chat completions).",
    CONTENT="Any prompt to text generation; every chat model has it too.",
    VISION="Accepts images as input.",
    IMAGE="Generates images.",
    AUDIO="Takes or produces audio (includes speech and transcription).",
    SPEECH="Text to speech.",
    TRANSCRIPTION="Speech to text.",
    EMBEDDING="Text (or media) to vectors.",
    VIDEO="Generates video.",
    RERANK="Scores documents against a query.",
    MODERATION="Classifies content for safety.",
    TOOLS="Function / tool calling.",
    REASONING="Exposes a reasoning / thinking mode.",
)
class Capability(StrEnum):
    CHAT = "chat"
    CONTENT = "content"
    VISION = "vision"
    IMAGE = "image"
    AUDIO = "audio"
    SPEECH = "speech"
    TRANSCRIPTION = "transcription"
    EMBEDDING = "embedding"
    VIDEO = "video"
    RERANK = "rerank"
    MODERATION = "moderation"
    TOOLS = "tools"
    REASONING = "reasoning"


@graphql_enum(
    "ModelSortField",
    "What `availableModels` can be ordered by.",
    UPSTREAM="The provider's own order (the default).",
    NAME="Human-readable name, case-insensitive.",
    CREATED_AT="When the provider published the model; DESC lists the newest first.",
    INPUT_PRICE="USD per 1M input tokens.",
    OUTPUT_PRICE="USD per 1M output tokens.",
    CONTEXT_WINDOW="Context window in tokens.",
    ESTIMATED_COST="What a request of `costFor`'s size would cost (needs `costFor`).",
)
class ModelSortField(StrEnum):
    UPSTREAM = "upstream"
    NAME = "name"
    CREATED_AT = "created_at"
    INPUT_PRICE = "input_price"
    OUTPUT_PRICE = "output_price"
    CONTEXT_WINDOW = "context_window"
    ESTIMATED_COST = "estimated_cost"


@graphql_enum(
    "SortDirection",
    "Ascending or descending order.",
    ASC="Smallest / A first.",
    DESC="Largest / Z / newest first.",
)
class SortDirection(StrEnum):
    ASC = "asc"
    DESC = "desc"


@graphql_enum(
    "DriftStatus",
    "How a saved model compares with the provider's live list.",
    UNCHANGED="Nothing a sync would apply differs.",
    CHANGED="A figure a sync would apply differs (see `changes`).",
    MISSING="The provider no longer lists the model: requests to it will fail.",
    UNLISTED=(
        "Absent from a list that holds only a selection of the provider's models "
        "(Hugging Face): it may still be offered; or saved as unlisted by an admin."
    ),
)
class DriftStatus(StrEnum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    MISSING = "missing"
    UNLISTED = "unlisted"


@graphql_enum(
    "SkipReason",
    "Why `route` passed over a model of a slot.",
    INACTIVE="The saved model is switched off.",
    PROVIDER_INACTIVE="Its provider is deactivated.",
    MISSING="Its provider no longer lists it.",
    RETIRED="Its provider retired it (its announced retirement date has passed).",
    PROBE_FAILED="Its last probe (`testModel`) failed.",
)
class SkipReason(StrEnum):
    INACTIVE = routing.SkipReason.INACTIVE.value
    PROVIDER_INACTIVE = routing.SkipReason.PROVIDER_INACTIVE.value
    MISSING = routing.SkipReason.MISSING.value
    RETIRED = routing.SkipReason.RETIRED.value
    PROBE_FAILED = routing.SkipReason.PROBE_FAILED.value


@graphql_enum(
    "ConfigFormat",
    "The text format of an exported configuration.",
    YAML="YAML (the default; what an admin edits by hand).",
    JSON="JSON.",
)
class ConfigFormat(StrEnum):
    YAML = "yaml"
    JSON = "json"


MIRRORS: tuple[tuple[type[Enum], type[Enum]], ...] = (
    (Capability, ServiceCapability),
    (ModelSortField, ordering.SortField),
    (SortDirection, ordering.SortDirection),
    (DriftStatus, drift.DriftStatus),
    (SkipReason, routing.SkipReason),
    (ConfigFormat, transfer_file.Format),
)
"""Each GraphQL enum with the service's enum it shows."""
