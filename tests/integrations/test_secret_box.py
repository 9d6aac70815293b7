"""SecretBox: API keys encrypted at rest, with key rotation."""
import base64
import hashlib
import hmac

import pytest

from crisisdesk.integrations.secret_box import ENV_VAR, SecretBox, SecretBoxError, derive_key, generate_key

WOO_SECRET = "cs_0123456789abcdef0123456789abcdef01234567"


def test_it_round_trips_a_secret():
    box = SecretBox([generate_key()])

    token = box.encrypt(WOO_SECRET)

    assert WOO_SECRET not in token and box.decrypt(token) == WOO_SECRET
    assert box.decrypt(box.encrypt("zażółć gęślą jaźń")) == "zażółć gęślą jaźń"


def test_it_encrypts_with_the_new_key_and_still_decrypts_with_the_old_one():
    old_key, new_key = generate_key(), generate_key()
    old_box = SecretBox([old_key])
    stored = old_box.encrypt(WOO_SECRET)

    rotated_box = SecretBox([new_key, old_key])

    assert rotated_box.decrypt(stored) == WOO_SECRET
    fresh = rotated_box.encrypt(WOO_SECRET)
    assert SecretBox([new_key]).decrypt(fresh) == WOO_SECRET
    with pytest.raises(SecretBoxError):
        old_box.decrypt(fresh)  # the new token is not under the old key
    assert SecretBox([new_key]).decrypt(rotated_box.rotate(stored)) == WOO_SECRET  # re-encrypted for the new key


@pytest.mark.parametrize("change", [
    lambda token: token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"),
    lambda token: token[:20] + ("x" if token[20] != "x" else "y") + token[21:],
    lambda token: "not a token at all",
    lambda token: "żółw",
])
def test_it_refuses_a_changed_token(change):
    box = SecretBox([generate_key()])

    with pytest.raises(SecretBoxError):
        box.decrypt(change(box.encrypt(WOO_SECRET)))


def test_it_refuses_a_token_made_with_another_key():
    with pytest.raises(SecretBoxError, match="another key"):
        SecretBox([generate_key()]).decrypt(SecretBox([generate_key()]).encrypt(WOO_SECRET))


def test_it_derives_its_key_from_secret_key_with_hkdf_sha256_when_no_keys_are_set():
    box = SecretBox.from_env(secret_key="flask-secret", environ={})

    assert box.decrypt(SecretBox.from_settings("", "flask-secret").encrypt(WOO_SECRET)) == WOO_SECRET
    with pytest.raises(SecretBoxError):
        SecretBox.from_settings(None, "another-secret").decrypt(box.encrypt(WOO_SECRET))
    # RFC 5869 by hand: no salt (zeros), info "crisisdesk api keys", 32 bytes.
    prk = hmac.new(bytes(32), b"flask-secret", hashlib.sha256).digest()
    okm = hmac.new(prk, b"crisisdesk api keys" + b"\x01", hashlib.sha256).digest()
    assert derive_key("flask-secret") == base64.urlsafe_b64encode(okm).decode()


def test_it_takes_comma_separated_keys_from_the_environment_first_one_encrypting():
    first, second = generate_key(), generate_key()

    box = SecretBox.from_env(secret_key="flask-secret", environ={ENV_VAR: f" {first} , {second} "})

    assert SecretBox([first]).decrypt(box.encrypt(WOO_SECRET)) == WOO_SECRET
    assert box.decrypt(SecretBox([second]).encrypt(WOO_SECRET)) == WOO_SECRET


def test_it_still_reads_values_stored_under_the_default_key_after_keys_are_configured():
    stored = SecretBox.from_settings(None, "flask-secret").encrypt(WOO_SECRET)

    configured = SecretBox.from_settings(generate_key(), "flask-secret")

    assert configured.decrypt(stored) == WOO_SECRET
    with pytest.raises(SecretBoxError):
        SecretBox.from_settings(None, "flask-secret").decrypt(configured.encrypt(WOO_SECRET))


@pytest.mark.parametrize("keys", [[], [""], ["not-a-fernet-key"], [base64.urlsafe_b64encode(b"short").decode()]])
def test_it_refuses_missing_or_malformed_keys(keys):
    with pytest.raises(SecretBoxError):
        SecretBox(keys)


def test_it_hides_its_keys_in_repr():
    key = generate_key()

    assert key not in repr(SecretBox([key])) and "keys=1" in repr(SecretBox([key]))
