"""`viewer`: a frontend checks its token and learns whether to offer write controls."""

from __future__ import annotations

from tests.service import Service

VIEWER = "{ viewer { name permissions canManage } }"


async def test_the_viewer_says_who_calls_and_whether_it_may_change_anything(
    service: Service,
) -> None:
    admin = (await service.gql(VIEWER))["viewer"]
    assert admin == {"name": "admin", "permissions": ["ai.manage"], "canManage": True}
    reader = (await service.gql(VIEWER, token=service.reader_token))["viewer"]
    assert reader == {"name": "reader", "permissions": ["ai.read"], "canManage": False}


async def test_no_or_an_unknown_token_is_unauthenticated(service: Service) -> None:
    for token in (None, "ams_not-a-token"):
        error = await service.error(VIEWER, token=token)
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
        assert "Bearer" in error["message"]
