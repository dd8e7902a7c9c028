"""Who is calling: what a frontend asks at sign-in, to check a token and to know whether to
offer write controls (the admin console shows none to an `ai.read` token)."""

from __future__ import annotations

import strawberry

from catalog.access import MANAGE
from schema.context import Info
from schema.permissions import CanRead


@strawberry.type(description="The caller, as its bearer token identifies it.")
class Viewer:
    name: str = strawberry.field(
        description="The token's name (`ai-model-sync token create NAME`)."
    )
    permissions: list[str] = strawberry.field(
        description=(
            "What the token may do: `ai.manage` (change anything; implies reading), `ai.read`."
        )
    )
    can_manage: bool = strawberry.field(
        description="True when the token has `ai.manage`: mutations are allowed."
    )


@strawberry.type
class ViewerQuery:
    @strawberry.field(
        permission_classes=[CanRead],
        description=(
            "The caller, from its bearer token: check a token at sign-in and learn whether to "
            "offer write controls. UNAUTHENTICATED without a valid token."
        ),
    )
    def viewer(self, info: Info) -> Viewer:
        principal = info.context.principal
        assert principal is not None  # CanRead refused an anonymous caller
        return Viewer(
            name=principal.name,
            permissions=sorted(principal.permissions),
            can_manage=principal.may(MANAGE),
        )
