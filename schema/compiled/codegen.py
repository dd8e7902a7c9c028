"""An object's selection set as one Python function: the compiled completer's code.

`compile_object` turns an object type and its collected sub-fields into a function from the
resolved value to the dict graphql-core's completion would build, field for field, in the same
order. It only covers what it can do exactly: fields with strawberry's default resolver (no
resolver, permission or field extension, no arguments), `__typename`, lists, non-null, enums and
scalars through their own `coerce_output_value`, and object types without `is_type_of`. A list
completer keeps the completed list of a tuple that completes the same each time (of enum
members, exact strings or `immutable` objects): a list's views share such tuples. For
anything else it returns None (graphql-core completes that object, and compiles its children
again). At run time, any value it would not complete as graphql-core does (a null in a non-null
position, a value a scalar refuses, a list that is not a list) raises, and graphql-core
completes the whole object instead, reporting exactly its own errors.

The generated source holds no text from the request: response keys, type names and leaf
coercers are constants (`K1`, `T2`, `S3`...); only attribute names of the schema's own Python
classes, and the `__completed_<n>` attribute each completer keeps on an `immutable` instance,
are written into it.
"""

from __future__ import annotations

import itertools
import keyword
import re
from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet

from schema.compiled import runtime
from schema.compiled.leaves import EXACT, Writer, scalar

Completer = Callable[[Any], dict[str, Any]]
Collect = Callable[[GraphQLObjectType, FieldDetailsList], GroupedFieldSet | None]
"""The sub-fields of an object type for these field nodes (None: not compilable here)."""

_MEMO_KEYS = itertools.count(1)

_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


class _NotCompilable(Exception):
    """Something in the selection set the compiler does not cover."""


def _value(
    out: Writer, body: list[str], indent: str, v: str, kind: GraphQLOutputType, collect: Collect,
    details: FieldDetailsList,
) -> None:  # fmt: skip
    """Lines completing the value in variable `v` (in place) as `kind`."""
    nullable = not isinstance(kind, GraphQLNonNull)
    inner = kind.of_type if isinstance(kind, GraphQLNonNull) else kind
    condition, statement, refuses_none = _present(out, v, inner, collect, details)
    if nullable:
        condition = f"{v} is not None" + ("" if condition is None else f" and ({condition})")
    elif not refuses_none:
        body.append(f"{indent}if {v} is None: raise NotExact")
    body.append(
        f"{indent}{statement}" if condition is None else f"{indent}if {condition}: {statement}"
    )


def _present(
    out: Writer, v: str, kind: GraphQLOutputType, collect: Collect, details: FieldDetailsList
) -> tuple[str | None, str, bool]:
    """Completing a value known not to be None (as `leaves.scalar` says)."""
    if isinstance(kind, GraphQLList):
        return None, f"{v} = {_list_function(out, kind.of_type, collect, details)}({v})", True
    if isinstance(kind, GraphQLEnumType):
        return None, f"{v} = {out.name('E', runtime.enum_coercer(kind))}({v})", True
    if isinstance(kind, GraphQLScalarType):
        return scalar(out, v, kind)
    if isinstance(kind, GraphQLObjectType):
        return None, f"{v} = {_object_function(out, kind, collect, details)}({v})", False
    raise _NotCompilable(str(kind))  # interfaces and unions: graphql-core resolves the type


def _list_function(
    out: Writer, item: GraphQLOutputType, collect: Collect, details: FieldDetailsList
) -> str:
    """The name of the function completing a list of `item`s: built for enums and the exact
    scalars, else generated (a non-null object inlined in the loop)."""
    inner = item.of_type if isinstance(item, GraphQLNonNull) else None
    if isinstance(inner, GraphQLEnumType):
        return out.name("N", runtime.enum_list(runtime.enum_coercer(inner)))
    if isinstance(inner, GraphQLScalarType) and inner in EXACT:
        return out.name("N", runtime.leaf_list(EXACT[inner], runtime.leaf_coercer(inner)))
    name = out.name("L")
    body = [f"def {name}(items):"]
    if isinstance(inner, GraphQLObjectType) and _immutable(inner) is not None:
        # a tuple of `immutable` objects completes the same each time: its list is kept
        memo, keep = out.name("M", {}), out.name("R", runtime.keep)
        body += [
            "    if type(items) is tuple:",
            f"        found = {memo}.get(id(items))",
            "        if found is not None and found[0] is items: return found[1]",
            "    elif type(items) is not list: raise NotExact",
            "    kept = True",
        ]
        ending = [f"    if kept and type(items) is tuple: {keep}({memo}, items, out)"]
    else:
        body.append("    if type(items) is not list and type(items) is not tuple: raise NotExact")
        ending = []
    body += ["    out = []", "    append = out.append", "    for x in items:"]
    if isinstance(inner, GraphQLObjectType):  # the commonest large case: the object inlined
        lines = _completed(out, inner, collect, details, "x", "        ", tracked=True)
        body += ["        if x is None: raise NotExact", *lines, "        append(d)"]
    else:
        _value(out, body, "        ", "x", item, collect, details)
        body.append("        append(x)")
    out.lines += [*body, *ending, "    return out"]
    return name


def _immutable(kind: GraphQLObjectType) -> type | None:
    """The Python class of `kind` when it is `immutable`, else None."""
    origin = getattr(kind.extensions.get("strawberry-definition"), "origin", None)
    return origin if origin is not None and getattr(origin, runtime.IMMUTABLE, False) else None


def _object_function(
    out: Writer, kind: GraphQLObjectType, collect: Collect, details: FieldDetailsList
) -> str:
    name = out.name("O")
    lines = _completed(out, kind, collect, details, "o", "    ")
    out.lines += [f"def {name}(o):", *lines, "    return d"]
    return name


def _completed(
    out: Writer, kind: GraphQLObjectType, collect: Collect, details: FieldDetailsList,
    source: str, indent: str, *, tracked: bool = False,
) -> list[str]:  # fmt: skip
    """Lines completing `source` into `d`; for an `immutable` type, kept on the instance.
    `tracked`: a list's loop, whose `kept` turns false when an item is not of the type."""
    lines, made = _object_body(out, kind, collect, details, source, indent)
    origin = _immutable(kind)
    if origin is None:
        return [*lines, f"{indent}d = {made}"]
    memo = f"__completed_{next(_MEMO_KEYS)}"  # this completer's attribute on an instance
    cls = out.name("C", origin)
    inner = indent + "    "
    untracked = [f"{inner}if type({source}) is not {cls}: kept = False"] if tracked else []
    if getattr(origin, "__setattr__", None) is object.__setattr__:  # no instance dict made
        found = f"getattr({source}, {memo!r}, None) if type({source}) is {cls} else None"
        keep = f"if type({source}) is {cls}: {source}.{memo} = d"
    else:  # a frozen dataclass, say: kept in the instance's dict
        found = f"{source}.__dict__.get({memo!r}) if type({source}) is {cls} else None"
        keep = f"if type({source}) is {cls}: {source}.__dict__[{memo!r}] = d"
    return [
        f"{indent}d = {found}",
        f"{indent}if d is None:",
        *untracked,
        *(f"    {line}" for line in lines),
        f"{inner}d = {made}",
        f"{inner}{keep}",
    ]


def _literal(out: Writer, prefix: str, name: str) -> str:
    """A GraphQL name as a literal (the parser allows only `[_A-Za-z][_0-9A-Za-z]*`), else
    as a constant."""
    return repr(name) if _NAME.fullmatch(name) else out.name(prefix, name)


def _object_body(
    out: Writer, kind: GraphQLObjectType, collect: Collect, details: FieldDetailsList,
    source: str, indent: str,
) -> tuple[list[str], str]:  # fmt: skip
    """Lines completing the fields of `source` into locals, and the dict expression of them."""
    if kind.is_type_of is not None:
        raise _NotCompilable(f"{kind.name}.is_type_of")
    fields = collect(kind, details)
    if fields is None:
        raise _NotCompilable(kind.name)
    lines: list[str] = []
    items: list[str] = []
    for response_key, children in fields.items():
        key = _literal(out, "K", response_key)
        field_name = children[0].node.name.value
        if field_name == "__typename":
            items.append(f"{key}: {_literal(out, 'T', kind.name)}")
            continue
        field = kind.fields.get(field_name)
        if field is None:
            continue  # graphql-core leaves an unknown field out (validation refuses it)
        attribute, v = _attribute(field, children), out.name("v")
        text, at = _text(out, kind, field.type, attribute, source), indent
        if text is not None:  # kept formatted on the instance (`runtime.formatted`)
            lines += [f"{indent}{v} = {text}", f"{indent}if type({v}) is not str:"]
            at = indent + "    "
        lines.append(f"{at}{v} = {_read(out, source, attribute)}")
        _value(out, lines, at, v, field.type, collect, children)
        items.append(f"{key}: {v}")
    return lines, "{" + ", ".join(items) + "}"


def _read(out: Writer, source: str, attribute: str) -> str:
    if attribute.isidentifier() and not keyword.iskeyword(attribute):
        return f"{source}.{attribute}"  # a name of the schema's own code
    return f"getattr({source}, {out.name('A', attribute)})"


def _text(
    out: Writer, kind: GraphQLObjectType, field_type: GraphQLOutputType, attribute: str,
    source: str,
) -> str | None:  # fmt: skip
    """The expression of a leaf's text kept on an instance of `kind`, as `formatted`
    declares it (None on another class), or None when nothing is declared."""
    leaf = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    origin = _immutable(kind)
    text = getattr(origin, runtime.TEXTS, {}).get(attribute) if origin is not None else None
    if text is None or not isinstance(leaf, GraphQLScalarType | GraphQLEnumType):
        return None
    cls = out.name("C", origin)
    return f"{_read(out, source, text)} if type({source}) is {cls} else None"


def _attribute(field: Any, children: FieldDetailsList) -> str:
    """The attribute strawberry's default resolver reads, or `_NotCompilable`."""
    definition = field.extensions.get("strawberry-definition")
    default = getattr(field.resolve, "_is_default", False)
    if (
        not default
        or definition is None
        or field.args
        or definition.default_resolver is not getattr
    ):
        raise _NotCompilable("a resolver")
    if any(detail.fragment_variable_values is not None for detail in children):
        raise _NotCompilable("fragment arguments")
    return str(definition.python_name)


def compile_object(
    kind: GraphQLObjectType, details: FieldDetailsList, collect: Collect
) -> Completer | None:
    """The completer of `kind` for these field nodes, or None when it covers not all of it."""
    out = Writer()
    try:
        entry = _object_function(out, kind, collect, details)
    except _NotCompilable:
        return None
    namespace = dict(out.constants)
    exec(compile("\n".join(out.lines), f"<compiled {kind.name}>", "exec"), namespace)
    completer: Completer = namespace[entry]
    return completer
