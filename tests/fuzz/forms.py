"""The fields of a form as a page draws them, filled with a payload as a hostile user would."""

from dataclasses import dataclass

import lxml.html

from .payloads import Payload

TYPED = {"text", "textarea", "number", "email", "password", "search", "url", "date", "tel"}
NOT_POSTED = {"submit", "button", "image", "reset", "file"}
KEPT = {"csrfmiddlewaretoken", "base_version"}


@dataclass(frozen=True)
class Input:
    name: str
    type: str  # an input's type, or "textarea" / "select"
    value: str
    checked: bool = True


def form_inputs(page: bytes, *, action: str | None = None) -> list[Input]:
    """The inputs of the form posting to ``action`` (the page's own address when None)."""
    document = lxml.html.document_fromstring(page)
    for form in document.forms:
        target = (form.get("action") or "").split("#")[0] or None
        if target != action:
            continue
        inputs = []
        for element in form.inputs:
            name = element.get("name")
            if not name:
                continue
            if element.tag == "textarea":
                inputs.append(Input(name, "textarea", element.text or ""))
            elif element.tag == "select":
                options = element.xpath(".//option/@value")
                inputs.append(Input(name, "select", options[0] if options else ""))
            else:
                kind = (element.get("type") or "text").lower()
                if kind in NOT_POSTED:
                    continue
                checked = element.get("checked") is not None
                inputs.append(Input(name, kind, element.get("value") or "", checked))
        return inputs
    raise AssertionError(f"No form posting to {action or 'the page itself'}")


def filled(
    inputs: list[Input], payload: Payload, *, hidden_too: bool = False, keep=()
) -> list[tuple[str, str]]:
    """Every field a user types in gets the payload; so do choices and, with ``hidden_too``,
    hidden fields (a hostile client edits those as easily). Fields named in ``keep`` (or
    ending like a CSRF token or base version) keep their value."""
    fields = []
    for item in inputs:
        kept = item.name in keep or any(item.name.endswith(name) for name in KEPT)
        if item.type in ("checkbox", "radio"):
            if item.checked or item.type == "checkbox":
                fields.append((item.name, payload.value if hidden_too else item.value))
        elif kept or (item.type == "hidden" and not hidden_too):
            fields.append((item.name, item.value))
        elif item.type in TYPED or item.type in ("select", "hidden"):
            fields.append((item.name, payload.value))
        else:
            fields.append((item.name, item.value))
    return fields
