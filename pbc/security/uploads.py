"""Request bodies are refused for their size before anything reads them.

Django keeps form fields within DATA_UPLOAD_MAX_MEMORY_SIZE but streams uploaded files to disk
whatever their size; here the declared length is checked first, against the limit of the page
it is sent to, and a file too large is answered with a page that says the limit, or, for a
page that says so on its own form, with that form (the body still unread).
"""

from django.shortcuts import render
from django.urls import Resolver404, resolve

from consortia.services import MAX_IMPORT_BYTES
from plans.table_import import MAX_CSV_BYTES
from plans.template_files import MAX_FILE_BYTES as MAX_DEFINITION_BYTES
from plans.word_files import MAX_WORD_BYTES, MAX_WORD_LABEL
from signoff.forms import MAX_UPLOAD_BYTES, MAX_UPLOAD_LABEL

MB = 1024 * 1024
# Room for the form's other fields and the multipart boundaries around the file.
ENVELOPE_BYTES = 64 * 1024
# The most a page takes when it names no limit of its own (a form of text): above Django's
# limit for form fields, which answers in its own words.
DEFAULT_LIMIT = (5 * MB, "5 MB")
# Each page that takes a file, with its limit in bytes and as its page states it. A page left
# out gets DEFAULT_LIMIT, so a file between its own limit and that is read and one above it is
# refused with the wrong limit: every page with a file input belongs here.
LIMITS = {
    "verify": (MAX_UPLOAD_BYTES, MAX_UPLOAD_LABEL),
    "admin:consortia_consortium_import_practices": (MAX_IMPORT_BYTES, "1 MB"),
    "admin:plans_plantemplate_import": (MAX_DEFINITION_BYTES, "1 MB"),
    "pct_forms": (MAX_DEFINITION_BYTES, "1 MB"),
    "plan_word_import": (MAX_WORD_BYTES, MAX_WORD_LABEL),
    "table_import": (MAX_CSV_BYTES, f"{MAX_CSV_BYTES // 1024} KB"),
}
# Pages that refuse a file too large on their own form, in the words they use for a file a
# little over the limit: the request goes on to the view as a GET, its body unread (so no CSRF
# check reads it either), with ``request.upload_too_large`` set to its declared length.
ON_THE_FORM = {"admin:plans_plantemplate_import"}
SMALLEST_LIMIT = min(limit for limit, _label in LIMITS.values())


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_length(request)
        if length > SMALLEST_LIMIT + ENVELOPE_BYTES:
            name = _view_name(request.path_info)
            limit, label = LIMITS.get(name, DEFAULT_LIMIT)
            if length > limit + ENVELOPE_BYTES:
                if name in ON_THE_FORM and request.method == "POST":
                    request.method = "GET"
                    request.upload_too_large = length
                    return self.get_response(request)
                return render(
                    request,
                    "pbc/too_large.html",
                    {"limit": label, "back": request.path},
                    status=413,
                )
        return self.get_response(request)
