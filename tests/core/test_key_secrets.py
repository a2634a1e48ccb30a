import pytest

from core import credentials


def test_secret_shape_and_entropy():
    secret = credentials.new_secret()
    assert secret.startswith("csk_")
    assert len(secret) == credentials.SECRET_LENGTH == 42
    assert credentials.is_well_formed(secret)
    assert len({credentials.new_secret() for _ in range(1000)}) == 1000


def test_a_mistyped_secret_fails_its_checksum():
    secret = credentials.new_secret()
    i = 10
    typo = secret[:i] + ("A" if secret[i] != "A" else "B") + secret[i + 1 :]
    assert not credentials.is_well_formed(typo)


@pytest.mark.parametrize(
    "bad", ["", "csk_", "x" * 42, "csk_" + "!" * 38, "CSK_" + "a" * 38, "csk_" + "a" * 39]
)
def test_malformed_secrets(bad):
    assert not credentials.is_well_formed(bad)


def test_hash_is_hmac_with_its_own_pepper(settings):
    secret = credentials.new_secret()
    first = credentials.hash_secret(secret)
    assert len(first) == 64 and secret not in first
    assert credentials.secret_matches(secret, first)
    settings.SECRET_KEY = "rotated-secret-key-does-not-matter-here-0123456789"
    assert credentials.hash_secret(secret) == first
    settings.ACCESS_KEY_PEPPER = "another pepper"
    assert credentials.hash_secret(secret) != first


def test_key_ids_are_uuids():
    assert credentials.is_well_formed_key_id(credentials.new_key_id())
    assert not credentials.is_well_formed_key_id("not-a-uuid")
    assert not credentials.is_well_formed_key_id("")
