"""Small helpers for the nhsuk crispy-forms template pack and page templates."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeData

from consortia.plain_forms import character_limit
from plans.sanitise import html_to_text

register = template.Library()

_ERROR_MODIFIERS = {
    "nhsuk-input": "nhsuk-input--error",
    "nhsuk-textarea": "nhsuk-textarea--error",
    "nhsuk-select": "nhsuk-select--error",
    "nhsuk-file-upload": "nhsuk-file-upload--error",
}


@register.simple_tag
def nhsuk_describedby(field) -> str:
    """The ids of the hint and error message that describe ``field``, for aria-describedby."""
    ids = []
    if character_limit(field.field) is not None:
        ids.append(f"{field.auto_id}-info")
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def nhsuk_error_class(field) -> str:
    """The design system's error modifier for the field's widget, or nothing without errors."""
    if not field.errors:
        return ""
    widget_class = field.field.widget.attrs.get("class", "")
    for base, modifier in _ERROR_MODIFIERS.items():
        if base in widget_class.split():
            return modifier
    return ""


@register.filter
def limit_of(field) -> int | None:
    """The most characters the field's text box takes, if it counts them as they are typed."""
    return character_limit(field.field)


@register.filter
def widget_type(field) -> str:
    return field.field.widget.__class__.__name__


@register.filter
def as_text(value) -> str:
    """A message (which may hold an undo link, or words a user typed) as the page title's
    plain text. Django's ``striptags`` raises on some malformed markup (``<![>``). Only a
    message marked safe holds markup: any other is text as typed (a draft named
    "<b>x</b>"), kept whole and escaped where it is shown."""
    text = getattr(value, "message", value)
    if not isinstance(text, SafeData):
        return str(text)
    return html_to_text(str(text))


@register.simple_tag
def due_tag(due, *, after_colon: bool = False) -> str:
    """A deadline as a person reads it (plans.round_selectors.Due): a red tag when past, an
    orange one when near, else words; nothing around it, so punctuation can follow it. After
    a colon it goes on the sentence in lower case ("by 29 November 2026: due tomorrow")."""
    tag = due.tag
    text = due.text if tag is None else tag.text
    if after_colon:
        text = text[:1].lower() + text[1:]
    if tag is None:
        return text
    return format_html('<strong class="nhsuk-tag {}">{}</strong>', tag.css, text)
