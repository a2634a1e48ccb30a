import pytest

from projects import key_secrets


def test_secret_shape_and_entropy():
    secret = key_secrets.new_secret()
    assert secret.startswith("csk_")
    assert len(secret) == key_secrets.SECRET_LENGTH == 42
    assert key_secrets.is_well_formed(secret)
    assert len({key_secrets.new_secret() for _ in range(1000)}) == 1000


def test_a_mistyped_secret_fails_its_checksum():
    secret = key_secrets.new_secret()
    i = 10
    typo = secret[:i] + ("A" if secret[i] != "A" else "B") + secret[i + 1 :]
    assert not key_secrets.is_well_formed(typo)


@pytest.mark.parametrize(
    "bad", ["", "csk_", "x" * 42, "csk_" + "!" * 38, "CSK_" + "a" * 38, "csk_" + "a" * 39]
)
def test_malformed_secrets(bad):
    assert not key_secrets.is_well_formed(bad)


def test_hash_is_hmac_with_its_own_pepper(settings):
    secret = key_secrets.new_secret()
    first = key_secrets.hash_secret(secret)
    assert len(first) == 64 and secret not in first
    assert key_secrets.secret_matches(secret, first)
    settings.SECRET_KEY = "rotated-secret-key-does-not-matter-here-0123456789"
    assert key_secrets.hash_secret(secret) == first
    settings.ACCESS_KEY_PEPPER = "another pepper"
    assert key_secrets.hash_secret(secret) != first


def test_key_ids_are_uuids():
    assert key_secrets.is_well_formed_key_id(key_secrets.new_key_id())
    assert not key_secrets.is_well_formed_key_id("not-a-uuid")
    assert not key_secrets.is_well_formed_key_id("")
