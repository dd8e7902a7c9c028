"""`storage.state.CatalogStates` on either database (`TEST_DATABASE`): the hot path's state is
built again only when its rows changed, so an unchanged provider's fingerprint is made and
hashed once, and a change shows on the very next read."""

from __future__ import annotations

from storage.database import open_database
from storage.models import Provider, SavedModel
from storage.state import CatalogStates

SLUG = "openrouter"


async def test_unchanged_rows_give_the_same_state_and_a_change_a_new_one(
    database_url: str,
) -> None:
    async with open_database(database_url, migrate_schema=True):
        provider = await Provider.create(slug=SLUG, kind="openrouter", display_name="OpenRouter")
        await SavedModel.create(provider=provider, model_id="a/one", name="One")
        states = CatalogStates()
        first = await states.get(SLUG)
        again = await states.get(SLUG)
        assert again is first and again.fingerprint() is first.fingerprint()
        await SavedModel.filter(model_id="a/one").update(is_active=True)
        changed = await states.get(SLUG)
        assert changed is not first and changed.fingerprint() != first.fingerprint()
        assert changed.saved["a/one"].is_active is True
        assert (await states.get("nobody")).provider is None
