"""Text no database can store is refused where it enters: before any view or form sees it.

PostgreSQL refuses the null character (U+0000) in text, and no encoding holds a UTF-16
surrogate on its own (JSON can spell one, "\\ud800"). Either would otherwise reach a model
through a path without Django's form validators and fail as a server error. Form fields,
query strings, uploaded file names and JSON bodies are checked; an uploaded file's content is
checked by whatever reads it as text (the practice CSV import).
"""

import json
import re

from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import Resolver404, resolve

from consortia.plain_forms import unstorable_message

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _holds_unstorable(value) -> bool:
    if isinstance(value, str):
        return bool(UNSTORABLE.search(value))
    if isinstance(value, dict):
        return any(_holds_unstorable(key) or _holds_unstorable(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_unstorable(item) for item in value)
    return False


def _shown(name: str) -> str:
    return UNSTORABLE.sub("\ufffd", name)


def _unprefixed(name: str) -> str:
    """A posted field's name without its form's prefix: "comment-q-2-body" as "body"."""
    return re.split(r"[-.]", name)[-1]


def field_said(name: str) -> str:
    """A posted field's name as a person reads it: its last part, in words.

    Forms prefix their fields ("comment-q-2-body") and rows number them ("q-4-lines-0-hours"),
    so the last part is the one the page's label speaks of: "Body", "Hours", "Full name".
    """
    last = _unprefixed(name).replace("_", " ").strip()
    return last[:1].upper() + last[1:] if last else name


def unstorable_fields(request) -> list[str]:
    """The names of the fields (or JSON keys) whose text holds a character no database stores."""
    found = []
    for data in (request.GET, request.POST):
        for name, values in data.lists():
            if _holds_unstorable(name) or any(_holds_unstorable(value) for value in values):
                found.append(_shown(name))
    for name, uploads in request.FILES.lists():
        if any(_holds_unstorable(upload.name or "") for upload in uploads):
            found.append(_shown(name))
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"null")
        except ValueError:
            body = None  # the view says what is wrong with it
        if isinstance(body, dict):
            found.extend(
                _shown(key)
                for key, value in body.items()
                if _holds_unstorable(key) or _holds_unstorable(value)
            )
        elif _holds_unstorable(body):
            found.append("the JSON body")
    return found


def refusal_json(fields: list[str]) -> JsonResponse:
    """The refusal as a script asking for JSON reads it: each field's message under the name
    it was posted with (so the script marks that input), as the answer form's refusals are."""
    errors = {name: [{"message": unstorable_message(f"“{field_said(name)}”")}] for name in fields}
    return JsonResponse({"errors": errors}, status=400)


def _checked_by_the_view(request, fields: list[str]) -> bool:
    """Whether the view's form refuses a null character in each of these POST fields on the
    field itself (Django's CharField does, worded by consortia.plain_forms with the field's
    label), so the person sees the form again with what they typed rather than this page. A
    view says so with ``view.refuses_unstorable_text``, a set of its form's field names without
    any prefix (plans.views.plan_drafts); any other field is still checked here."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    own = getattr(view, "refuses_unstorable_text", frozenset())
    return (
        request.method == "POST" and bool(fields) and {_unprefixed(name) for name in fields} <= own
    )


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
        if fields and not _checked_by_the_view(request, fields):
            if "application/json" in request.headers.get("Accept", ""):
                return refusal_json(fields)
            said = list(dict.fromkeys(field_said(name) for name in fields))
            return render(request, "pbc/unstorable_text.html", {"fields": said}, status=400)
        return self.get_response(request)
