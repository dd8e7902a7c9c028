"""The stored figures of a saved model: declared once, in `FIGURES`; every other place reads it.

A figure is a value a provider's list gives for a model (a `ModelRecord` field) that a saved
model keeps in a column of `ai_model`. From its row below come:

- its column: `storage.models.SavedModel` adds one per figure, typed by its `Kind`, so its
  migration is what `makemigrations` writes (`tests/storage/test_migrations.py` fails until
  it exists);
- what a save writes, and what a bulk or drift sync rewrites (`synced`): `storage.saved`;
- what a drift report compares (`compared`): `catalog.drift`, and the GraphQL `DriftField`;
- whether a difference matters (`material`): a price, a context window, capabilities change
  what the app gets; a name or description edit (`material=False`, cosmetic) is shown but never
  makes a model `CHANGED`, enters the change feed's counts or fires a webhook; an admin's
  figure (`record=None`: display name, notes, tags) is declared `material=False` too, as it is
  no upstream change and never fires an event;
- the fields of the GraphQL `SavedModel` (`shown`): `schema.saved.types`.

Adding a figure: a row of `FIGURES` (taking its name out of `NOT_STORED`), its migration, and
the parsers that read it. `tests/test_figures.py` fails when a `ModelRecord` field is
in neither, and writes and syncs every figure through the real database.

>>> FIGURE["raw"].column, FIGURE["raw"].record, FIGURE["name"].compared, FIGURE["name"].material
('upstream', 'raw', True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from operator import attrgetter
from typing import Any, assert_never

TEXT_LENGTH = 255
"""The longest short text a column holds: a model's id and name (a longer name is cut)."""
LABEL_LENGTH = 128
"""The longest label an admin gives (a display name); a longer one is refused, not cut."""
MAX_TAGS, TAG_LENGTH = 20, 32
"""How many tags a saved model has at most, and how long each is."""
PRICE_DIGITS, PRICE_PLACES = 18, 6
"""Prices are exact USD per 1M tokens, stored with 6 decimal places."""


class Kind(Enum):
    """How a figure is typed, stored and compared; each layer maps every kind (`match`)."""

    TEXT = "text"  # a short text, never null, at most TEXT_LENGTH characters
    LONG_TEXT = "long text"  # text of any length, or null
    CAPABILITIES = "capabilities"  # capability names (a JSON list); sorted when read live
    PRICE = "price"  # an exact decimal (PRICE_PLACES places), or null
    TOKENS = "tokens"  # a whole number of tokens, or null
    MAPPING = "mapping"  # a JSON object
    LABEL = "label"  # a short text an admin gives (LABEL_LENGTH), or null
    TAGS = "tags"  # short texts an admin gives (a JSON list), kept in their order


@dataclass(frozen=True, slots=True)
class Figure:
    """One stored figure. `column` defaults to `name`, and `record` (the `ModelRecord` field
    it is read from) too; `record=None` marks a figure set by an admin, never by a sync (nor
    compared or material: an admin's edit is no upstream change and fires no event)."""

    name: str
    kind: Kind
    description: str
    column: str = ""
    record: str | None = ""
    synced: bool = True
    compared: bool = True
    shown: bool = True
    material: bool = True
    _convert: Callable[[Any], Any] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "column", self.column or self.name)
        object.__setattr__(self, "_convert", _conversion(self.kind))
        if self.record == "":
            object.__setattr__(self, "record", self.name)
        if self.record is None and self.synced:
            raise ValueError(f"figure {self.name!r}: a sync can only write what a list gives")
        if self.record is None and (self.compared or self.material):
            raise ValueError(f"figure {self.name!r}: an admin's figure is no upstream change")

    def read(self, record: object) -> Any:
        """This figure of a live `ModelRecord`, as a save stores it (see `column_value`)."""
        if self.record is None:
            raise ValueError(f"figure {self.name!r} is not read from a provider's list")
        value = getattr(record, self.record)
        return sorted(value) if self.kind is Kind.CAPABILITIES else value

    def column_value(self, value: Any) -> Any:
        """`value` as its column takes it: short text cut, lists and objects as plain JSON."""
        convert = self._convert
        return value if convert is None else convert(value)

    def column_values(self, values: Sequence[Any]) -> list[Any]:
        """`column_value` of each of `values` (a column of many models at once)."""
        convert = self._convert
        return list(values) if convert is None else [convert(value) for value in values]


def reader(figures: Sequence[Figure]) -> Callable[[object], dict[str, Any]]:
    """`Figure.read` of each of `figures` at once, by name: one `attrgetter` call per record
    (a sync reads 500), capabilities in order as `read` gives them."""
    if not figures or any(figure.record is None for figure in figures):
        raise ValueError("a reader reads figures a provider's list gives")
    names = [figure.name for figure in figures]
    ordered = [figure.name for figure in figures if figure.kind is Kind.CAPABILITIES]
    get = attrgetter(*(str(figure.record) for figure in figures))
    single = len(figures) == 1

    def read(record: object) -> dict[str, Any]:
        found = dict(zip(names, (get(record),) if single else get(record), strict=True))
        for name in ordered:
            found[name] = sorted(found[name])
        return found

    return read


def _conversion(kind: Kind) -> Callable[[Any], Any] | None:
    """What a column of `kind` makes of a value before storing it (None: nothing)."""
    match kind:
        case Kind.TEXT:
            return _cut
        case Kind.CAPABILITIES | Kind.TAGS:
            return _names
        case Kind.MAPPING:
            return dict
        case Kind.LONG_TEXT | Kind.PRICE | Kind.TOKENS | Kind.LABEL:
            return None
    assert_never(kind)


def _cut(value: Any) -> str:
    return str(value)[:TEXT_LENGTH]


def _names(value: Any) -> list[str]:
    return [str(name) for name in value]


FIGURES: tuple[Figure, ...] = (
    Figure("name", Kind.TEXT, "Human-readable name.", material=False),
    Figure(
        "display_name",
        Kind.LABEL,
        "What end users see, chosen by an admin (unique per provider); a sync never changes it.",
        record=None,
        synced=False,
        compared=False,
        material=False,
    ),
    Figure(
        "notes",
        Kind.LONG_TEXT,
        "An admin's notes on the model; a sync never changes them.",
        record=None,
        synced=False,
        compared=False,
        material=False,
    ),
    Figure(
        "tags",
        Kind.TAGS,
        "An admin's tags, in the order given; a sync never changes them.",
        record=None,
        synced=False,
        compared=False,
        material=False,
    ),
    Figure("description", Kind.LONG_TEXT, "The provider's description.", material=False),
    Figure("input_price", Kind.PRICE, "USD per 1M input tokens."),
    Figure("output_price", Kind.PRICE, "USD per 1M output tokens."),
    Figure("cache_read_price", Kind.PRICE, "USD per 1M input tokens read from the cache."),
    Figure("cache_write_price", Kind.PRICE, "USD per 1M input tokens written to the cache."),
    Figure("context_window", Kind.TOKENS, "Context window in tokens."),
    Figure("max_output_tokens", Kind.TOKENS, "Largest completion in tokens."),
    Figure("capabilities", Kind.CAPABILITIES, "What the model can be used for."),
    Figure(
        "replacement_model_id",
        Kind.LONG_TEXT,
        "The model the provider names as this one's successor, if it does.",
    ),
    Figure(
        "sources",
        Kind.MAPPING,
        "Where each figure and capability came from.",
        compared=False,
        shown=False,
    ),
    Figure(
        "raw",
        Kind.MAPPING,
        "The provider's own object for the model, untouched.",
        column="upstream",
        compared=False,
        shown=False,
    ),
)
"""In the order the GraphQL `SavedModel` shows them and a drift report lists its changes."""

NOT_STORED: Mapping[str, str] = {
    "id": "the row's key (`model_id`), not a figure",
    "created_at": "shown live; a saved model has its own `createdAt` (when it was saved)",
    "expires_at": "read live by the drift report, which warns about announced retirements",
    "owned_by": "shown live only",
    "input_modalities": "shown and filtered on live only",
    "output_modalities": "shown and filtered on live only",
    "popularity": "ranks a bulk sync's choice; it changes daily",
    "aliases": "read live by the catalogs' matching",
    "price_tiers": "shown live; `estimatedCost` reads them",
    "other_prices": "shown live only",
    "price_history": "shown live; the drift report says since when a price holds",
    "disagreements": "shown live only: about the list as fetched",
}
"""Every `ModelRecord` field that is not stored, and why (a test holds the two lists together)."""

CAPABILITIES = "capabilities"
"""The figure requests are routed by, and the one an admin may set by hand
(`capabilities_overridden`): syncs then keep it."""

FIGURE: Mapping[str, Figure] = {figure.name: figure for figure in FIGURES}
CURATED = tuple(figure for figure in FIGURES if figure.record is None)
"""The figures only an admin sets (`curateModel`): no list gives them, no sync writes them."""
DISPLAY_NAME = "display_name"
"""The curated figure that is unique per provider (a unique index and `ConflictError`)."""
COMPARED = tuple(figure for figure in FIGURES if figure.compared)
SHOWN = tuple(figure for figure in FIGURES if figure.shown)
SYNCED = tuple(figure for figure in FIGURES if figure.synced)
MATERIAL = frozenset(figure.name for figure in COMPARED if figure.material)
"""The compared figures whose change matters (the rest are cosmetic); with `expires_at`,
read live, they are what the change feed and the webhooks watch."""
