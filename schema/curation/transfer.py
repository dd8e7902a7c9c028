"""Export and import of the saved configuration (`exportConfiguration`,
`importConfiguration`); both need `ai.manage` (the file holds base URLs, never keys)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from catalog.transfer_file import Format
from schema.context import Info
from schema.enums import ConfigFormat, service_value
from schema.permissions import CanManage


@strawberry.type(description="One line of an import's plan.")
class ConfigChange:
    action: str = strawberry.field(description="`create`, `change` or `remove`.")
    entity: str = strawberry.field(description="`provider`, `model` or `slot`.")
    key: str = strawberry.field(description="Its slug, `provider/modelId`, or slot name.")
    fields: list[str] = strawberry.field(description="What changes, for a `change`.")


@strawberry.type(description="The result of `importConfiguration`.")
class ImportPayload:
    applied: bool = strawberry.field(
        description="True when the plan was applied (one transaction); false for a dry run."
    )
    changes: list[ConfigChange] = strawberry.field(description="The plan, in the order applied.")


@strawberry.type
class TransferQuery:
    @strawberry.field(
        permission_classes=[CanManage],
        description=(
            "The saved configuration as a file: providers (never their keys), saved models "
            "with their names, flags, figures and capabilities, and slots."
        ),
    )
    async def export_configuration(
        self,
        info: Info,
        format: Annotated[
            ConfigFormat, strawberry.argument(description="YAML or JSON.")
        ] = ConfigFormat.YAML,
    ) -> str:
        return await info.context.catalog.transfer.export(service_value(format, Format))


@strawberry.type
class TransferMutation:
    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Make the configuration what a file (YAML or JSON, as `exportConfiguration` "
            "writes) says, in one transaction; `dryRun` only returns the plan. The providers "
            "it lists keep exactly its models; slots are exactly its slots; keys untouched."
        ),
    )
    async def import_configuration(
        self,
        info: Info,
        document: Annotated[str, strawberry.argument(description="The file's text.")],
        dry_run: Annotated[
            bool, strawberry.argument(description="Only plan: write nothing.")
        ] = False,
    ) -> ImportPayload:
        changes = await info.context.catalog.transfer.import_document(
            info.context.actor, document, dry_run=dry_run
        )
        return ImportPayload(
            applied=bool(changes) and not dry_run,
            changes=[
                ConfigChange(action=c.action, entity=c.entity, key=c.key, fields=list(c.fields))
                for c in changes
            ],
        )
