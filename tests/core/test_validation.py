import pytest
from django.core.exceptions import ValidationError

from projects.validation import clean_display_name, clean_labels


@pytest.mark.parametrize(
    "name",
    ["Taco Time", "タコス株式会社", "客户 🌮 Tacos", "👩‍💻 team", "مطعم", 'O\'Brien & "Sons" <b>'],
)
def test_names_in_any_script_are_accepted_intact(name):
    assert clean_display_name(name) == name


def test_name_is_trimmed():
    assert clean_display_name("  Taco Time \t") == "Taco Time"


def test_255_characters_is_the_limit():
    assert clean_display_name("x" * 255) == "x" * 255
    with pytest.raises(ValidationError, match="at most 255 characters"):
        clean_display_name("x" * 256)


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_empty_names_are_refused(name):
    with pytest.raises(ValidationError, match="cannot be empty"):
        clean_display_name(name)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\u0085", "\u2028", "\n"])
def test_control_characters_are_refused(char):
    with pytest.raises(ValidationError, match="control character"):
        clean_display_name(f"Taco{char}Time")


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_bidi_overrides_are_refused(char):
    with pytest.raises(ValidationError, match="bidirectional control character"):
        clean_display_name(f"invoice{char}fdp.exe")


def test_labels_follow_the_contract_limits():
    assert clean_labels({"region": "US-Northwest"}) == {"region": "US-Northwest"}
    assert clean_labels(None) == {}
    with pytest.raises(ValidationError, match="at most 255 labels"):
        clean_labels({str(i): "v" for i in range(256)})
    with pytest.raises(ValidationError, match="cannot be empty"):
        clean_labels({"region": ""})
    with pytest.raises(ValidationError, match="must be text"):
        clean_labels({"size": 5})
    with pytest.raises(ValidationError, match="map"):
        clean_labels(["region"])
    with pytest.raises(ValidationError, match="at most 255 characters"):
        clean_labels({"k" * 256: "v"})


@pytest.mark.parametrize("char", ["\ud800", "\udfff", "\ufffe", "\uffff"])
def test_lone_surrogates_and_noncharacters_are_refused(char):
    with pytest.raises(ValidationError, match="invalid character"):
        clean_display_name(f"Taco{char}")
    with pytest.raises(ValidationError, match="invalid character"):
        clean_labels({f"k{char}": "v"})
