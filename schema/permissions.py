"""Who may do what. Every catalog operation needs `ai.manage`; reading saved models `ai.read`.

>>> CanManage.permission
'ai.manage'
"""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.permission import BasePermission

from catalog.access import AUTHENTICATION_REQUIRED, MANAGE, READ
from errors import AuthenticationError
from schema.context import Info
from schema.errors import ErrorCode


class _Requires(BasePermission):
    permission: ClassVar[str]
    error_extensions = {"code": ErrorCode.FORBIDDEN.value}  # noqa: RUF012 (strawberry reads it)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = info.context.principal
        if principal is None:
            raise AuthenticationError(AUTHENTICATION_REQUIRED)
        return principal.may(self.permission)


class CanManage(_Requires):
    """Listing, saving, syncing and clearing models."""

    permission = MANAGE
    message = f"this operation requires the '{MANAGE}' permission"


class CanRead(_Requires):
    """Reading what is saved."""

    permission = READ
    message = f"this operation requires the '{READ}' permission"
