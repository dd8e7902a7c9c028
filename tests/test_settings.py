"""The production settings as read from the environment."""

from __future__ import annotations

from settings import Settings


def test_migrate_on_start_defaults_to_the_embedded_database_only() -> None:
    assert Settings.from_env({}).migrates_on_start is True
    postgres = Settings.from_env({"DATABASE_URL": "postgres://app@db:5432/app"})
    assert postgres.migrates_on_start is False
    forced = {"DATABASE_URL": "postgres://app@db:5432/app", "MIGRATE_ON_START": "true"}
    assert Settings.from_env(forced).migrates_on_start is True
    off = Settings.from_env({"MIGRATE_ON_START": "false"})
    assert off.migrates_on_start is False


def test_secret_keys_are_a_comma_separated_list_and_never_printed() -> None:
    settings = Settings.from_env({"SECRET_KEYS": " new-key , old-key ,", "CACHE_URL": "redis://r"})
    assert [str(key) for key in settings.secret_keys] == ["new-key", "old-key"]
    assert "new-key" not in repr(settings)
    assert settings.cache_url == "redis://r" and settings.cache_namespace == "ams"
    assert Settings.from_env({}).secret_keys == ()
