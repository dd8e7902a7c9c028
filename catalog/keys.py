"""Provider API keys at rest: encrypted with Fernet (AES-128-CBC + HMAC-SHA256), decrypted only
where a request to the provider is made.

`SECRET_KEYS` holds one or more Fernet keys, comma-separated: the first encrypts, all decrypt
(`MultiFernet`), so a key can be rotated without downtime: add the new key first, restart, run
`ai-model-sync rotate-keys` (re-encrypts every stored key with the first), then drop the old.

>>> ring = KeyRing(["pRS1JPwdU1dr8XhQwC0N2GmXrYEhAHSgjZTrByvPLC0="])
>>> ring.decrypt(ring.encrypt("sk-secret"), "openai")
'sk-secret'
"""

from __future__ import annotations

import binascii
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from errors import ConfigError, InvalidInputError
from settings import Settings


class KeyRing:
    """Encrypts and decrypts stored API keys. Without `SECRET_KEYS` it refuses to encrypt:
    a key is never stored in clear."""

    def __init__(self, keys: Sequence[str]) -> None:
        try:
            fernets = [Fernet(key.encode()) for key in keys]
        except (ValueError, binascii.Error) as exc:
            raise ConfigError(
                "SECRET_KEYS: every key must be a Fernet key (32 url-safe base64-encoded bytes), "
                'e.g. from `python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"`'
            ) from exc
        self._fernet = MultiFernet(fernets) if fernets else None

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyRing:
        return cls([str(key) for key in settings.secret_keys])

    def encrypt(self, api_key: str) -> str:
        if self._fernet is None:
            raise InvalidInputError(
                "cannot store an API key: the server has no SECRET_KEYS to encrypt it with "
                "(keys are never stored in clear); an operator sets SECRET_KEYS, see the README"
            )
        return self._fernet.encrypt(api_key.encode()).decode()

    def decrypt(self, token: str, slug: str) -> str:
        if self._fernet is None:
            raise ConfigError(
                f"provider {slug!r} has a stored API key but the server has no SECRET_KEYS "
                "to decrypt it"
            )
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ConfigError(
                f"the stored API key of provider {slug!r} cannot be decrypted with SECRET_KEYS "
                "(was a key dropped before `ai-model-sync rotate-keys`?); set the key again"
            ) from exc

    def rotate(self, token: str) -> str:
        """The same key, encrypted with the first of `SECRET_KEYS`."""
        if self._fernet is None:
            raise ConfigError("SECRET_KEYS is not set: nothing to rotate with")
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken as exc:
            raise ConfigError("a stored API key cannot be decrypted with SECRET_KEYS") from exc


def last4(api_key: str) -> str | None:
    """What an admin is shown of a key: its last four characters, or nothing for a key so
    short that four characters would give much of it away."""
    return api_key[-4:] if len(api_key) >= 12 else None
