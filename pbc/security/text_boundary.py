"""Text no database can store is refused where it enters: before any view sees it, unless the
view declares it reads a form that refuses it on its own field.

PostgreSQL refuses the null character (U+0000) in text, and no encoding holds a UTF-16
surrogate on its own (JSON can spell one, "\\ud800"). Either would otherwise reach a model
through a path without the forms' validators and fail as a server error. Form fields, query
strings, uploaded file names and JSON bodies are checked; an uploaded file's content is checked
by whatever reads it as text (the practice CSV import). A posted text field of a form the view
declares it reads (``consortia.plain_forms.reads_forms``) is left to that form
(``_left_to_the_view``), which refuses it with the field's label and shows the form again with
what was typed; every posted field is left to a view that says it refuses them all
(``consortia.plain_forms.refuses_unstorable_fields``).
"""

import json
from functools import cache

from django import forms
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import Resolver404, resolve

from consortia.negotiation import wants_json
from consortia.plain_forms import (
    UNSTORABLE,
    PlainMessages,
    forms_read_by,
    unprefixed,
    unstorable_message,
    where_unstorable,
)


def _shown(name: str) -> str:
    return UNSTORABLE.sub("\ufffd", name)


def field_said(name: str) -> str:
    """A posted field's name as a person reads it: its last part, in words.

    Forms prefix their fields ("comment-q-2-body") and rows number them ("q-4-lines-0-hours"),
    so the last part is the one the page's label speaks of: "Body", "Hours", "Full name".
    """
    last = unprefixed(name).replace("_", " ").strip()
    return last[:1].upper() + last[1:] if last else name


def _first_unstorable(*values) -> str:
    """The first text among ``values`` (nested in JSON too) holding such a character: its
    refusal says where in it the character is."""
    for value in values:
        if isinstance(value, dict):
            value = _first_unstorable(*(item for pair in value.items() for item in pair))
        elif isinstance(value, list):
            value = _first_unstorable(*value)
        if isinstance(value, str) and UNSTORABLE.search(value):
            return value
    return ""


def unstorable_fields(request) -> dict[str, str]:
    """The fields (or JSON keys) whose text holds a character no database stores, by name, each
    with the text that holds it (its name, when that is where the character is)."""
    found = {}
    for data in (request.GET, request.POST):
        for name, values in data.lists():
            if held := _first_unstorable(name, *values):
                found[_shown(name)] = held
    for name, uploads in request.FILES.lists():
        if held := _first_unstorable(*(upload.name or "" for upload in uploads)):
            found[_shown(name)] = held
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"null")
        except ValueError:
            body = None  # the view says what is wrong with it
        if isinstance(body, dict):
            found.update(
                (_shown(key), held)
                for key, value in body.items()
                if (held := _first_unstorable(key, value))
            )
        elif held := _first_unstorable(body):
            found["the JSON body"] = held
    return found


def refusal_json(fields: dict[str, str]) -> JsonResponse:
    """The refusal as a script asking for JSON reads it: each field's message, saying where
    the character is, under the name it was posted with (so the script marks that input), as
    the answer form's refusals are."""
    errors = {
        name: [{"message": unstorable_message(f"“{field_said(name)}”", held)}]
        for name, held in fields.items()
    }
    return JsonResponse({"errors": errors}, status=400)


@cache
def _form_text_fields(view) -> frozenset[str]:
    """The names of the text fields of the forms a view reads a post with, each of which
    refuses what no database stores on the field itself (consortia.plain_forms): the forms a
    class-based view is given or has as ``form_class``, or those a view function declares with
    ``reads_forms``. A form not declared is not trusted, so its fields stay refused here."""
    return frozenset(
        name
        for form in forms_read_by(view)
        if issubclass(form, PlainMessages)
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField)
    )


def _left_to_the_view(request, fields: dict[str, str]) -> bool:
    """Whether each of these fields is a posted value (not a query string's, not a file's name,
    not a field's name) that the view refuses itself: any such field where the view says it
    refuses them all (``refuses_unstorable_fields``), else a text field of the view's own forms.
    A script asking for JSON is answered by ``refusal_json`` unless the view refuses them all
    (forms answer with a page)."""
    if request.method != "POST" or not fields:
        return False
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    posted = all(
        name in request.POST and name not in request.GET and name not in request.FILES
        for name in fields
    )
    if getattr(view, "refuses_unstorable_fields", False):
        return posted
    if wants_json(request):
        return False
    text_fields = _form_text_fields(view)
    return posted and all(unprefixed(name) in text_fields for name in fields)


class UnstorableTextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            fields = unstorable_fields(request)
        except MultiPartParserError:
            return render(
                request,
                "400.html",
                {
                    "explanation": "The file upload was cut short or malformed. Choose the file "
                    "again and send the form again."
                },
                status=400,
            )
        except RecursionError:
            # No view could read it either: Python's JSON reader gives up on deep nesting.
            return render(
                request,
                "400.html",
                {
                    "explanation": "The request's JSON is nested too deeply to read. Nothing "
                    "was saved."
                },
                status=400,
            )
        if fields and not _left_to_the_view(request, fields):
            return _refusal(request, fields)
        request.unstorable_fields = fields
        return self.get_response(request)

    def process_exception(self, request, exception):
        """Text left to a form that the view sends to the database all the same is refused
        here as it would have been before the view: the database adapter refuses it before
        sending (psycopg2's ValueError for the null character, UnicodeEncodeError for half a
        pair), which would otherwise be a server error."""
        fields = getattr(request, "unstorable_fields", {})
        refused = isinstance(exception, UnicodeEncodeError) or (
            isinstance(exception, ValueError) and "NUL" in str(exception)
        )
        return _refusal(request, fields) if fields and refused else None


def _refusal(request, fields: dict[str, str]):
    if wants_json(request):
        return refusal_json(fields)
    said: dict[str, str] = {}
    for name, held in fields.items():
        said.setdefault(field_said(name), where_unstorable(held))
    return render(request, "pbc/unstorable_text.html", {"fields": said.items()}, status=400)
