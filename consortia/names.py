"""People's names as they are shown, signed and printed: a name may not carry the invisible
characters that reorder text (the right-to-left override U+202E and its kin), or it would show
as something other than what is stored, and print so in a sealed PDF."""

from django.core.exceptions import ValidationError

# The bidirectional embeddings, overrides and isolates, and the direction marks.
DIRECTION_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def direction_control_refusal(name: str) -> str:
    """Why ``name`` cannot be used, or "" when it can."""
    found = sorted(
        {f"U+{ord(character):04X}" for character in name if character in DIRECTION_CONTROLS}
    )
    if not found:
        return ""
    return (
        "A name cannot contain hidden characters that change the direction of text "
        f"({', '.join(found)}): type it again, or paste it without them"
    )


def validate_shown_as_stored(name: str) -> None:
    """A Django validator of a name field: refuses what ``direction_control_refusal`` refuses."""
    if problem := direction_control_refusal(name):
        raise ValidationError(problem, code="direction_control")
