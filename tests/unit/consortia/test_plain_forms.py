"""Django's own error wording never reaches a person: each form says what to do, naming the field
by its label, and keeps the messages written for it."""

from importlib import import_module

import pytest
from django import forms
from django.conf import settings

from consortia import plain_forms

PROJECT_APPS = ("pbc", "consortia", "plans", "signoff", "monitoring")


class Example(plain_forms.Form):
    full_name = forms.CharField(label="Your full name", max_length=20)
    summary = forms.CharField(label="Summary", max_length=10, widget=forms.Textarea)
    practice = forms.ChoiceField(label="Practice", choices=[("a", "A")])
    list_size = forms.IntegerField(label="List size", min_value=0)
    email = forms.EmailField(label="Email address", required=False)
    PCT = forms.CharField(label="PCT code", required=False)
    confirmed = forms.BooleanField(label="I have read the plan")
    written = forms.CharField(
        label="Reason", max_length=5, error_messages={"required": "Say why you refuse it"}
    )


def errors_of(data: dict) -> dict:
    return Example(data).errors


def test_an_empty_form_says_what_to_enter_or_select_in_each_field_by_its_label():
    assert errors_of({}) == {
        "full_name": ["Enter your full name"],
        "summary": ["Enter summary"],
        "practice": ["Select practice"],
        "list_size": ["Enter list size"],
        "confirmed": ["Tick “I have read the plan” to continue"],
        "written": ["Say why you refuse it"],
    }


def test_a_message_written_for_the_field_is_kept():
    assert errors_of({"written": ""})["written"] == ["Say why you refuse it"]


def test_too_long_text_gives_the_limit_and_counts_what_was_typed_with_the_spaces_around_it():
    errors = errors_of({"full_name": " " + "x" * 24 + " ", "summary": "line\r\n" * 3})

    assert errors["full_name"] == [
        "Your full name must be 20 characters or fewer; you have typed 26."
    ]
    # A line break is one character to the person typing, though the browser sends two.
    assert errors["summary"] == ["Summary must be 10 characters or fewer; you have typed 15."]


def test_a_line_break_counts_as_one_character_as_typed_and_on_the_page_not_two_as_sent():
    # 9 characters as typed and as the page's character count counts them, 11 as sent.
    form = Example({"summary": "ab\r\ncd\r\nefg"})

    assert "summary" not in form.errors
    assert form.cleaned_data["summary"] == "ab\ncd\nefg"


def test_numbers_choices_and_addresses_are_refused_in_words():
    errors = errors_of({"practice": "z", "list_size": "-1", "email": "nobody", "PCT": "x"})

    assert errors["practice"] == ["Select one of the options for practice"]
    assert errors["list_size"] == ["List size must be 0 or more"]
    assert errors["email"] == ["Enter email address in the correct format, like name@example.org"]
    assert errors_of({"list_size": "many"})["list_size"] == ["List size must be a whole number"]


def test_a_label_starting_with_capitals_is_not_lowered():
    class Coded(plain_forms.Form):
        code = forms.CharField(label="PCT code")

    assert Coded({}).errors == {"code": ["Enter PCT code"]}


@pytest.mark.parametrize("unstorable", ["\x00", "\ud800", "\udfff"])
def test_a_null_character_or_half_a_pair_is_refused_naming_the_field_by_its_label(unstorable):
    errors = errors_of({"full_name": f"Dr{unstorable} Who"})

    assert errors["full_name"] == [
        "Your full name holds a character that cannot be stored (a null character or half of a "
        "character pair, usually from text pasted from another program). It is just after "
        "“Dr”. Remove it and save again."
    ]


def test_half_a_pair_is_shown_again_as_the_replacement_character_which_a_page_can_carry():
    form = Example({"full_name": "Dr\ud800 Who", "summary": "a\x00b"})

    assert form["full_name"].value() == "Dr\ufffd Who"
    assert form["summary"].value() == "a\x00b"


def test_no_input_cuts_pasted_text_and_a_text_box_with_a_limit_counts_as_typed():
    form = Example()
    summary = str(form["summary"])

    assert "maxlength" not in summary
    assert "nhsuk-js-character-count" in summary
    assert "maxlength" not in str(form["full_name"])
    assert "nhsuk-js-character-count" not in str(form["full_name"])


class Contact(plain_forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    nickname = forms.CharField()


def test_a_post_is_read_under_its_forms_labels_its_choices_in_the_words_they_were_offered_in():
    fields = [
        ("who-version", "3"),
        ("who-full_name", "Ann Lee"),
        ("who-summary", "   "),
        ("who-practice", "a"),
        ("who-nickname", "Annie"),
        ("who-not_a_field", "?"),
        ("row-action", "add-row"),
    ]

    assert plain_forms.posted_under_labels([Example, Contact], fields) == [
        ("Your full name", "Ann Lee"),
        ("Practice", "A"),
        ("Nickname", "Annie"),
    ]


def test_a_view_cannot_declare_it_reads_a_form_whose_fields_do_not_refuse_unstorable_text():
    with pytest.raises(TypeError, match="Form does not refuse unstorable text itself"):
        plain_forms.reads_forms(Example, forms.Form)


def _project_forms() -> list[type]:
    import_module(settings.ROOT_URLCONF)  # imports every view, and with them every form
    return [
        form
        for form in dict.fromkeys(plain_forms._subclasses(forms.BaseForm))
        if form.__module__.split(".")[0] in PROJECT_APPS
        and form.__module__ not in (__name__, plain_forms.__name__)
    ]


@pytest.mark.parametrize("form", _project_forms(), ids=lambda form: form.__qualname__)
def test_every_form_of_the_project_words_its_errors_plainly(form):
    assert issubclass(form, plain_forms.PlainMessages)
