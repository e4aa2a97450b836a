import pytest
from django import forms
from django.contrib.auth.decorators import login_required
from django.urls import resolve

from consortia import plain_forms
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


class Named(plain_forms.Form):
    full_name = forms.CharField()
    email = forms.EmailField()
    role = forms.ChoiceField(choices=[("a", "A")])


def reading_named(request):
    return Named(request.POST)


def test_a_view_function_trusts_the_text_fields_of_the_forms_it_declares_it_reads():
    declared = login_required(plain_forms.reads_forms(Named)(reading_named))

    assert _form_text_fields(declared) == {"full_name", "email"}


def test_a_view_function_that_declares_no_forms_trusts_none_of_the_forms_it_reads():
    assert _form_text_fields(reading_named) == set()


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/sign-in/", {"username", "password"}),  # a class-based view's given form
        ("/plans/1/comments/", {"body", "quote"}),  # a form the view declares
        ("/consortia/a/people/", {"full_name", "email"}),  # declared, built by a helper
        ("/consortia/a/", set()),  # shows the positions form but reads no post
        ("/healthz", set()),
    ],
)
def test_the_text_fields_left_to_a_views_forms_are_those_of_the_forms_it_reads(path, fields):
    assert _form_text_fields(resolve(path).func) == fields
