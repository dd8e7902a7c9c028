from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0003_token_expiry")]

    initial = False

    operations = [
        ops.AddField(
            model_name="SavedModel",
            name="cache_read_price",
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=6),
        ),
        ops.AddField(
            model_name="SavedModel",
            name="cache_write_price",
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=6),
        ),
        ops.AddField(
            model_name="SavedModel",
            name="replacement_model_id",
            field=fields.TextField(null=True, unique=False),
        ),
    ]
