import pytest

from pbc.security.text_boundary import field_said


@pytest.mark.parametrize(
    ("posted", "said"),
    [
        ("full_name", "Full name"),
        ("comment-q-question-2-body", "Body"),
        ("q-4.2-lines-0-hours", "Hours"),
        ("text", "Text"),
        ("the JSON body", "The JSON body"),
        ("-", "-"),
    ],
)
def test_a_refused_field_is_named_by_its_last_part_in_words(posted, said):
    assert field_said(posted) == said
