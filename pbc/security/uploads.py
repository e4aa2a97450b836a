"""Request bodies are refused for their size before anything reads them.

Django keeps form fields within DATA_UPLOAD_MAX_MEMORY_SIZE but streams uploaded files to disk
whatever their size; here the declared length is checked first, against the limit of the page
it is sent to, and a file too large is answered with a page that says the limit.
"""

from django.shortcuts import render
from django.urls import Resolver404, resolve

from consortia.services import MAX_IMPORT_BYTES
from plans.word_files import MAX_WORD_BYTES, MAX_WORD_LABEL
from signoff.forms import MAX_UPLOAD_BYTES, MAX_UPLOAD_LABEL

MB = 1024 * 1024
# Room for the form's other fields and the multipart boundaries around the file.
ENVELOPE_BYTES = 64 * 1024
# The most a page takes when it names no limit of its own (the admin's template import, or a
# form of text): above Django's limit for form fields, which answers in its own words.
DEFAULT_LIMIT = (5 * MB, "5 MB")
# Each page that takes a file, with its limit in bytes and as its page states it.
LIMITS = {
    "verify": (MAX_UPLOAD_BYTES, MAX_UPLOAD_LABEL),
    "admin:consortia_consortium_import_practices": (MAX_IMPORT_BYTES, "1 MB"),
    "plan_word_import": (MAX_WORD_BYTES, MAX_WORD_LABEL),
}
SMALLEST_LIMIT = min(limit for limit, _label in LIMITS.values())


def limit_for(path: str) -> tuple[int, str]:
    try:
        name = resolve(path).view_name
    except Resolver404:
        return DEFAULT_LIMIT
    return LIMITS.get(name, DEFAULT_LIMIT)


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
            limit, label = limit_for(request.path_info)
            if length > limit + ENVELOPE_BYTES:
                return render(
                    request,
                    "pbc/too_large.html",
                    {"limit": label, "back": request.path},
                    status=413,
                )
        return self.get_response(request)
