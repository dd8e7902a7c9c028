"""Strings no database can store, refused once, where they enter: the document's literals (a
validation rule) and the request's variables (checked before execution), at any depth of an
input object or list, for every operation.

PostgreSQL's text cannot hold NUL (U+0000), and neither its driver nor SQLite's can encode a
lone surrogate (U+D800-U+DFFF, which JSON's `"\\ud800"` produces): left alone, they end as an
`INTERNAL_SERVER_ERROR`, a raw 500 or the driver's own text. Here they are `BAD_USER_INPUT`
naming the argument (and the variable) that carried them. (A surrogate cannot be written in a
GraphQL literal: the parser already refuses it.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    ListValueNode,
    Node,
    ObjectFieldNode,
    ObjectValueNode,
    StringValueNode,
    ValidationRule,
    VariableNode,
    Visitor,
    visit,
)

from schema.errors import ErrorCode

_CODE = {"code": ErrorCode.BAD_USER_INPUT.value}


def unstorable(text: str) -> str | None:
    """Why `text` cannot be stored, or None.

    >>> unstorable("gpt-4o"), unstorable("a\\x00b"), unstorable("\\ud800")
    (None, 'contains a NUL character (U+0000)', 'contains a lone surrogate (U+D800)')
    """
    if "\x00" in text:
        return "contains a NUL character (U+0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"contains a lone surrogate (U+{ord(text[exc.start]):04X})"
    return None


def _refusal(where: str, reason: str, node: Node | None = None) -> GraphQLError:
    return GraphQLError(
        f"{where}: the string {reason}, which cannot be stored; remove it",
        node,
        extensions=_CODE,
    )


class StorableLiterals(ValidationRule):
    """Refuses a string literal that cannot be stored, naming its argument."""

    def enter_string_value(
        self, node: StringValueNode, _key: Any, parent: Any, _path: Any, ancestors: list[Any]
    ) -> None:
        reason = unstorable(node.value)
        if reason is None:
            return
        above = [*ancestors, parent]
        argument = next((a for a in reversed(above) if isinstance(a, ArgumentNode)), None)
        fields = [a.name.value for a in above if isinstance(a, ObjectFieldNode)]
        where = f"argument '{argument.name.value}'" if argument else "a string in the document"
        if fields:
            where += f" at {'.'.join(fields)}"
        self.report_error(_refusal(where, reason, node))


def unstorable_variable(
    variables: Mapping[str, Any] | None, document: DocumentNode | None = None
) -> GraphQLError | None:
    """The refusal of the first variable holding a string that cannot be stored, or None
    (iterative: a variable's nesting is bounded at the HTTP edge, never by recursion here)."""
    stack: list[tuple[Any, str, str]] = [(v, k, "") for k, v in (variables or {}).items()]
    while stack:
        value, variable, path = stack.pop()
        if isinstance(value, str):
            reason = unstorable(value)
            if reason is not None:
                argument = _argument_of(document, variable) if document is not None else None
                return _refusal(_where(argument, variable, path), reason)
        elif isinstance(value, Mapping):
            stack.extend(
                (item, variable, f"{path}.{key}" if path else str(key))
                for key, item in value.items()
            )
        elif isinstance(value, list):
            stack.extend((item, variable, f"{path}[{n}]") for n, item in enumerate(value))
    return None


def _where(argument: str | None, variable: str, path: str) -> str:
    """`argument 'input' (variable '$new' at apiKey)`, or the variable alone when unused."""
    at = f" at {path}" if path else ""
    if argument is None:
        return f"variable '${variable}'{at}"
    return f"argument '{argument}' (variable '${variable}'{at})"


def _argument_of(document: DocumentNode, variable: str) -> str | None:
    """The name of an argument the document passes `$variable` to (first found)."""
    found: list[str] = []

    class Finder(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
            if _uses(node.value, variable):
                found.append(node.name.value)
                return self.BREAK
            return self.SKIP

    visit(document, Finder())
    return found[0] if found else None


def _uses(value: Node, variable: str) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, VariableNode) and node.name.value == variable:
            return True
        if isinstance(node, ListValueNode):
            stack.extend(node.values)
        elif isinstance(node, ObjectValueNode):
            stack.extend(field.value for field in node.fields)
    return False
