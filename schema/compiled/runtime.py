"""What the compiled completers call at run time (`schema.compiled.codegen` writes the calls):
leaf coercion raising where graphql-core's completion would fail, and the built completers of
lists of leaves, which keep a tuple's completed list when it completes the same each time;
`immutable`, the promise the completed fields they keep on an instance rest on, and
`formatted`, a field's value kept already serialized on the instance."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from graphql import GraphQLEnumType, GraphQLScalarType, Undefined

T = TypeVar("T")
IMMUTABLE = "__compiled_immutable__"
TEXTS = "__compiled_texts__"
KEPT_LISTS = 1024  # tuples whose completed list one list completer keeps (then forgets them all)
Kept = dict[int, tuple[tuple[Any, ...], list[Any]]]
"""A list completer's kept lists: by the tuple's id, the tuple (kept alive, so its id stays
its own) and its completed list."""


class NotExact(Exception):
    """A value the compiled completer does not complete as graphql-core would."""


def leaf_coercer(leaf: GraphQLScalarType | GraphQLEnumType) -> Callable[[Any], Any]:
    """`leaf.coerce_output_value`, raising where graphql-core's completion would fail."""
    coerce = leaf.coerce_output_value

    def coerced(value: Any) -> Any:
        if value is None:  # a null where a value must be: the generated code checks no more
            raise NotExact(leaf.name)
        result = coerce(value)
        if result is None or result is Undefined:
            raise NotExact(leaf.name)
        return result

    return coerced


def enum_coercer(enum: GraphQLEnumType) -> Callable[[Any], Any]:
    """An enum's coercion, remembered per value: it is a pure function of the value, and
    strawberry's walks the enum's members on every call."""
    coerce = leaf_coercer(enum)
    memo: dict[tuple[type, Any], Any] = {}

    def coerced(value: Any) -> Any:
        key = (type(value), value)
        try:
            return memo[key]
        except KeyError:
            result = memo[key] = coerce(value)
            return result
        except TypeError:  # unhashable: coerce it each time
            return coerce(value)

    return coerced


def keep(memo: Kept, items: Any, out: list[Any]) -> None:
    """Keeps `out` as the completed list of the tuple `items` (kept alive: its id stays its)."""
    if len(memo) >= KEPT_LISTS:
        memo.clear()
    memo[id(items)] = (items, out)


def enum_list(coerce: Callable[[Any], Any]) -> Callable[[Any], list[Any]]:
    """A list of non-null enum values; a tuple's completed list is kept (a list's views share
    one tuple per distinct capability set): enum coercion is a function of the value."""
    return _kept_list(lambda items: ([coerce(x) for x in items], True))


def leaf_list(exact: type, coerce: Callable[[Any], Any]) -> Callable[[Any], list[Any]]:
    """A list of a non-null scalar whose values of type `exact` are their own coercion; a
    tuple's completed list is kept when all its values are of that type (immutable: str, bool)."""

    def each(items: Sequence[Any]) -> tuple[list[Any], bool]:
        out = [x if type(x) is exact else coerce(x) for x in items]
        return out, all(type(x) is exact for x in items)

    return _kept_list(each)


def _kept_list(
    each: Callable[[Sequence[Any]], tuple[list[Any], bool]],
) -> Callable[[Any], list[Any]]:
    """Completes a list or a tuple by `each` (the list, and whether it may be kept); a
    tuple's kept list is returned again for the same tuple."""
    memo: Kept = {}

    def complete(items: Any) -> list[Any]:
        if type(items) is tuple:
            found = memo.get(id(items))
            if found is not None and found[0] is items:
                return found[1]
            out, keepable = each(items)
            if keepable:
                keep(memo, items, out)
            return out
        if type(items) is not list:
            raise NotExact
        return each(items)[0]

    return complete


def formatted(**texts: str) -> Callable[[type[T]], type[T]]:
    """Declares that on each instance of the `immutable` GraphQL type it decorates, the
    attribute `texts[field]` holds the field's value already as its scalar serializes it
    (`created_at="created_at_text"`: the datetime's `isoformat()`), or None: the compiled
    completer then shows that text instead of formatting the value again (graphql-core
    formats it; `tests/compiled` holds the two equal). Keyed by the fields' Python names."""

    def declare(cls: type[T]) -> type[T]:
        setattr(cls, TEXTS, dict(texts))
        return cls

    return declare


def immutable(cls: type[T]) -> type[T]:
    """Declares that instances of the GraphQL type `cls` never change once built: the
    compiled completer then keeps each instance's completed fields on it, per selection set,
    and a later request selecting the same fields reuses them (a list of 549 views of which
    one changed completes one model, not 549). Apply it above `@strawberry.type`."""
    setattr(cls, IMMUTABLE, True)
    return cls
