"""The configuration Tortoise's own command line reads, to write a migration:

    python -m tortoise --config storage.tortoise_config.TORTOISE_ORM makemigrations -n <what>

It compares `storage.models` with `storage/migrations/` and needs no database (any URL does).
"""

from storage.database import tortoise_apps

TORTOISE_ORM = {"connections": {"default": "sqlite://:memory:"}, "apps": tortoise_apps()}
