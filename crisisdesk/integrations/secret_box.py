"""Encryption at rest for shops' WooCommerce API keys (Fernet: AES-128-CBC + HMAC-SHA256).

Keys come from CRISISDESK_ENCRYPTION_KEYS, comma-separated Fernet keys: the first encrypts,
all of them decrypt, so a rotation is "put the new key first, keep the old one until
`rotate` has re-encrypted every stored value, then drop it". Without that variable one key is
derived from the app's SECRET_KEY (HKDF-SHA256), so the embedded default needs no setup. When
both are present the derived key is kept as a last, decrypt-only key: switching a running
install from the default to explicit keys loses nothing.

Pure: no Flask; the caller passes the settings in.
"""
import base64
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ENV_VAR = "CRISISDESK_ENCRYPTION_KEYS"
HKDF_INFO = b"crisisdesk api keys"


class SecretBoxError(Exception):
    """A value cannot be encrypted or decrypted: no usable key, a wrong key, or a changed token."""


def generate_key():
    """A new random Fernet key, as text for CRISISDESK_ENCRYPTION_KEYS."""
    return Fernet.generate_key().decode("ascii")


def derive_key(secret_key):
    """The Fernet key derived from the app's SECRET_KEY (HKDF-SHA256, info=b"crisisdesk api keys")."""
    if not secret_key:
        raise SecretBoxError("cannot derive an encryption key from an empty SECRET_KEY")
    material = secret_key.encode("utf-8") if isinstance(secret_key, str) else bytes(secret_key)
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(material)
    return base64.urlsafe_b64encode(derived).decode("ascii")


class SecretBox:
    """Encrypts with the first key; decrypts with any of them."""

    def __init__(self, keys):
        keys = [k.strip() for k in keys if k and k.strip()]
        if not keys:
            raise SecretBoxError("no encryption key configured")
        try:
            self._fernet = MultiFernet([Fernet(k) for k in keys])
        except (ValueError, TypeError):
            raise SecretBoxError("an encryption key is not a Fernet key (32 url-safe base64-encoded bytes); "
                                 "make one with secret_box.generate_key()") from None
        self.key_count = len(keys)

    @classmethod
    def from_settings(cls, encryption_keys=None, secret_key=None):
        """From CRISISDESK_ENCRYPTION_KEYS's text (may be empty) and the app's SECRET_KEY."""
        keys = [k for k in (encryption_keys or "").split(",") if k.strip()]
        if secret_key:
            keys.append(derive_key(secret_key))  # the default key; last, so it only decrypts when others exist
        return cls(keys)

    @classmethod
    def from_env(cls, secret_key=None, environ=None):
        """From the process environment's CRISISDESK_ENCRYPTION_KEYS plus the app's SECRET_KEY."""
        return cls.from_settings((environ if environ is not None else os.environ).get(ENV_VAR), secret_key)

    def __repr__(self):
        return f"<SecretBox keys={self.key_count} (hidden)>"

    def encrypt(self, text):
        """A token (URL-safe text) for `text`, under the first key."""
        if not isinstance(text, str):
            raise TypeError("SecretBox encrypts text")
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token):
        """The text inside `token`; SecretBoxError on a wrong key or a token that was changed."""
        try:
            return self._fernet.decrypt(_token_bytes(token)).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise SecretBoxError("cannot decrypt: the value was encrypted with another key or has been "
                                 "changed") from None

    def rotate(self, token):
        """The same secret re-encrypted under the first key (for moving stored values to a new key)."""
        try:
            return self._fernet.rotate(_token_bytes(token)).decode("ascii")
        except InvalidToken:
            raise SecretBoxError("cannot re-encrypt: the value does not decrypt with any configured key") from None


def _token_bytes(token):
    if isinstance(token, bytes):
        return token
    if not isinstance(token, str):
        raise SecretBoxError("a token is text")
    try:
        return token.encode("ascii")
    except UnicodeEncodeError:
        raise SecretBoxError("cannot decrypt: the value is not a token") from None
