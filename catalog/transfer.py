"""Export and import of the saved configuration: providers (never their keys), saved models with
their names, flags, figures and capabilities, and slots, as YAML or JSON.

`Transfer`'s two methods: `export` builds the file (`catalog.transfer_file`) from what is
stored; `import_document` checks a file (`catalog.transfer_check`: each problem a typed error
naming its place: `models[3].provider`), compares it with what is stored and applies the plan
in one transaction (`storage.transfer`); `dry_run` only returns it.

What a file says is the whole truth about what it names: a provider it lists keeps exactly the
saved models the file gives it (others of that provider are removed), and the slots are
exactly the file's. Providers the file does not list, and their models, are left alone; keys
are never touched. Round trip: export, import on an empty database, export: the same file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from catalog.transfer_check import check_document, plan
from catalog.transfer_file import Change, Format, dump, export_document, load
from storage import providers as stored_providers
from storage import transfer as stored

if TYPE_CHECKING:
    from catalog.audit import Actor
    from catalog.parts import Parts


class Transfer:
    """`Catalog.transfer`: export and import (see the module docstring)."""

    def __init__(self, catalog: Parts) -> None:
        self.catalog = catalog

    async def export(self, fmt: Format) -> str:
        providers = await stored_providers.list_providers()
        models, slots = await stored.read_all()
        return dump(export_document(providers, models, slots), fmt)

    async def import_document(self, actor: Actor, text: str, *, dry_run: bool) -> list[Change]:
        """The plan of importing `text`, applied in one transaction with its audit entry
        unless `dry_run` (which writes nothing, not even an entry)."""
        document = check_document(load(text), self.catalog.kinds)
        providers = await stored_providers.list_providers()
        models, slots = await stored.read_all()
        changes = plan(document, providers, models, slots)
        if dry_run:
            return changes
        async with self.catalog.audit.recording(actor, "importConfiguration") as entry:
            if changes:
                await stored.apply(document, changes)
            entry.model_ids += [c.key.split("/", 1)[1] for c in changes if c.entity == "model"]
            entry.details["plan"] = [
                {"action": c.action, "entity": c.entity, "key": c.key, "fields": list(c.fields)}
                for c in changes
            ]
        return changes
