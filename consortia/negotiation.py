"""Which answer a request asks for: the pages' scripts ask for JSON in their Accept header, and
are answered in JSON, refusals included; everything else gets a page."""


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")
