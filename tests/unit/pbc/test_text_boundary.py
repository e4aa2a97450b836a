import pytest
from django.urls import resolve

from pbc.security.text_boundary import _form_text_fields, field_said


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


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/sign-in/", {"username", "password"}),  # a class-based view's given form
        ("/plans/1/comments/", {"body", "quote"}),  # a form the view names
        ("/consortia/a/people/", {"full_name", "email"}),  # a form its module's helper names
        ("/healthz", set()),
    ],
)
def test_the_text_fields_left_to_a_views_forms_are_those_of_the_forms_it_reads(path, fields):
    assert _form_text_fields(resolve(path).func) == fields
