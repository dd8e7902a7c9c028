"""Provider API keys are stored encrypted: `api_key` (clear, never written by any release)
gives way to `api_key_encrypted` (a Fernet token) and `api_key_last4`.

Written by hand, not as the `RenameField` the autodetector proposes: a clear key renamed into
the encrypted column would be unreadable. A database that does hold a clear key (set by hand)
is refused, with what to do, rather than losing it; the check runs before anything changes.

The old column goes with `ALTER TABLE ... DROP COLUMN` on every database (`DropColumn`), not
Tortoise's `RemoveField`: on SQLite that rebuilds the table (create a copy, drop the old), and
dropping `ai_provider` with foreign keys enforced cascades to every saved model. The upgrade
test (tests/storage/test_migrations.py) caught it deleting them.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state import State
from tortoise.migrations.schema_generator.state_apps import StateApps

from errors import ConfigError


async def refuse_clear_keys(apps: StateApps, schema_editor: BaseSchemaEditor) -> None:
    _, rows = await schema_editor.client.execute_query(
        "SELECT slug FROM ai_provider WHERE api_key IS NOT NULL"
    )
    if rows:
        slugs = ", ".join(sorted(row["slug"] for row in rows))
        raise ConfigError(
            f"provider(s) {slugs} hold an API key in clear; move each to "
            "AI_PROVIDER_<SLUG>_API_KEY (or re-enter it with updateProvider after upgrading), "
            "set ai_provider.api_key to NULL, then migrate again"
        )


class DropColumn(ops.RemoveField):
    """`RemoveField` for the state, a plain DROP COLUMN for the database (SQLite >= 3.35)."""

    async def database_forward(
        self,
        app_label: str,
        old_state: State,
        new_state: State,
        state_editor: BaseSchemaEditor | None = None,
    ) -> None:
        if state_editor is None:
            return
        model = old_state.apps.get_model(f"{app_label}.{self.model_name}")
        table = model._meta.db_table
        # as Tortoise's own SQLOperation does: collected by `sqlmigrate`, run inside the
        # migration's transaction otherwise
        await state_editor._run_sql(f'ALTER TABLE "{table}" DROP COLUMN "{self.name}"')


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    initial = False

    operations = [
        ops.RunPython(refuse_clear_keys, ops.RunPython.noop),
        ops.AddField(
            model_name="Provider",
            name="api_key_encrypted",
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name="Provider",
            name="api_key_last4",
            field=fields.CharField(null=True, max_length=4),
        ),
        DropColumn(model_name="Provider", name="api_key"),
    ]
