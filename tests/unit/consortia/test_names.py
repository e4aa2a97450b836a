"""A name shows as it is stored: the characters that reorder text are refused in it."""

import pytest
from django.core.exceptions import ValidationError

from consortia.names import DIRECTION_CONTROLS, direction_control_refusal, validate_shown_as_stored

CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068"]
CONTROLS += ["\u2069", "\u200e", "\u200f"]


@pytest.mark.parametrize("control", CONTROLS)
def test_each_bidirectional_control_in_a_name_is_refused_and_named(control):
    name = f"Dr Alice {control}riahC"

    with pytest.raises(ValidationError) as refused:
        validate_shown_as_stored(name)

    assert f"U+{ord(control):04X}" in refused.value.messages[0]
    assert control in DIRECTION_CONTROLS


@pytest.mark.parametrize(
    "name", ["Dr Alice Chair", "Siân O'Brien-Jones", "محمد علي", "דוד לוי", "Zoë 李"]
)
def test_names_in_any_script_without_controls_are_kept(name):
    assert direction_control_refusal(name) == ""
    validate_shown_as_stored(name)
