"""Every form of the project says what is wrong in plain English, naming the field by its label.

Django's own wording ("This field is required.", "Ensure this value has at most 200 characters
(it has 201).") names no field and counts what was left after stripping spaces, not what was
typed. ``PlainMessages`` words each such error again as it is added to the form, from the
field's visible label; a message written for the field or form (``error_messages``, a
``clean_`` method, a service's refusal) is kept as it is. Every form of the project derives from
``Form`` or ``ModelForm`` here, or mixes ``PlainMessages`` into a form of Django's, and a test
(tests/unit/consortia/test_plain_forms.py) holds every form to it. Decision 0473.
"""

import re
from functools import cache, wraps

from django import forms
from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import pretty_name

# Half of a UTF-16 surrogate pair on its own: no encoding holds it, so no page or database can.
SURROGATES = re.compile("[\ud800-\udfff]")
# Those and the null character, which PostgreSQL refuses in text (a page can carry it).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


# Markup around the words of a rich-text answer, and a tag cut short where the character is.
_MARKUP = re.compile(r"<[^>]*>|<[^>]*$")


def unstorable_message(said: str, typed: str = "") -> str:
    """A refusal of text holding a character no database stores (pbc/security/text_boundary.py
    refuses it where no form of the view's would). The character cannot be seen, so the
    refusal of ``typed`` says where it is: without that a person cannot find it to remove it,
    and nothing saves."""
    return (
        f"{said} holds a character that cannot be stored (a null character or half of a "
        f"character pair, usually from text pasted from another program).{where_unstorable(typed)}"
        " Remove it and save again."
    )


def where_unstorable(typed: str) -> str:
    """Where the first unstorable character of ``typed`` is, by the few words a person sees
    beside it (markup left out): " It is just after “NUL here:”."; before the first words
    when nothing comes before it; "" when it holds none."""
    found = UNSTORABLE.search(typed or "")
    if found is None:
        return ""
    before = _MARKUP.sub(" ", typed[: found.start()]).split()[-3:]
    if before:
        return f" It is just after “{_quoted(' '.join(before), end=True)}”."
    after = UNSTORABLE.split(_MARKUP.sub(" ", typed[found.end() :]))[0].split()[:3]
    if after:
        return f" It is just before “{_quoted(' '.join(after), end=False)}”."
    return ""


def _quoted(words: str, *, end: bool, most: int = 40) -> str:
    """At most ``most`` characters of ``words``: their end, or their start."""
    if len(words) <= most:
        return words
    return f"…{words[-most:]}" if end else f"{words[:most]}…"


class ProhibitUnstorableCharactersValidator(validators.ProhibitNullCharactersValidator):
    """Django's refusal of the null character in a text field, widened to half a surrogate
    pair, which would fail on its way to the database just the same. Django's code and
    message are kept, so the refusal is worded from the field's label as the null
    character's is."""

    def __call__(self, value):
        if UNSTORABLE.search(str(value)):
            raise ValidationError(self.message, code=self.code, params={"value": value})


class ShownBoundField(forms.BoundField):
    """A field as its form shows it again: half a surrogate pair, which no page can be written
    with, is shown as the replacement character (the field refuses it)."""

    def value(self):
        value = super().value()
        return SURROGATES.sub("\ufffd", value) if isinstance(value, str) else value


def _subclasses(cls) -> list[type]:
    found = [cls]
    for sub in cls.__subclasses__():
        found.extend(_subclasses(sub))
    return found


@cache
def _djangos_wording() -> dict[str, frozenset[str]]:
    """Each error code's messages as Django itself words them, by code."""
    wording: dict[str, set[str]] = {}
    for field_class in _subclasses(forms.Field):
        if field_class.__module__.startswith("django."):
            for code, message in vars(field_class).get("default_error_messages", {}).items():
                wording.setdefault(code, set()).add(str(message))
    for validator in vars(validators).values():
        if isinstance(validator, type) and isinstance(getattr(validator, "code", None), str):
            wording.setdefault(validator.code, set()).add(str(validator.message))
    return {code: frozenset(messages) for code, messages in wording.items()}


def _lowered(label: str) -> str:
    """The label within a sentence: "Your full name" as "your full name", "PCT" as it is."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _required(field: forms.Field, label: str) -> str:
    if isinstance(field, forms.BooleanField):
        return f"Tick “{label}” to continue"
    if isinstance(field, forms.FileField):
        return f"Select a file for {_lowered(label)}"
    if isinstance(field, forms.ChoiceField):
        return f"Select {_lowered(label)}"
    return f"Enter {_lowered(label)}"


# What an "invalid" error says, by the kind of field: the first kind the field is of.
_INVALID = (
    (forms.IntegerField, "{label} must be a whole number"),
    ((forms.DecimalField, forms.FloatField), "{label} must be a number"),
    (forms.EmailField, "Enter {lowered} in the correct format, like name@example.org"),
    (forms.URLField, "Enter {lowered} as a full web address, like https://www.example.org"),
    ((forms.DateField, forms.DateTimeField), "{label} must be a real date"),
    (forms.FileField, "Select a file for {lowered}"),
)


def _invalid(field: forms.Field, label: str) -> str | None:
    for kind, wording in _INVALID:
        if isinstance(field, kind):
            return wording.format(label=label, lowered=_lowered(label))
    return None


def _too_long(field: forms.Field, label: str, params: dict, data) -> str:
    if isinstance(field, forms.FileField):
        return f"The file's name must be {params['max']:,} characters or fewer"
    said = f"{label} must be {params['limit_value']:,} characters or fewer"
    # What was typed, the spaces around it too (the field strips them before counting).
    return f"{said}; you have typed {len(data):,}." if isinstance(data, str) else said


def plain_message(field: forms.Field, label: str, code: str, params: dict, data) -> str | None:
    """The error in plain English, or None where there is no plainer wording for it."""
    params = params or {}
    match code:
        case "required":
            return _required(field, label)
        case "invalid":
            return _invalid(field, label)
        case "max_length":
            return _too_long(field, label, params, data)
        case "min_length":
            return f"{label} must be {params['limit_value']:,} characters or more"
        case "max_value":
            return f"{label} must be {params['limit_value']} or less"
        case "min_value":
            return f"{label} must be {params['limit_value']} or more"
        case "max_digits":
            return f"{label} must have {params['max']} digits or fewer"
        case "max_decimal_places":
            return f"{label} must have {params['max']} decimal places or fewer"
        case "max_whole_digits":
            return f"{label} must have {params['max']} digits or fewer before the decimal point"
        case "invalid_choice" | "invalid_pk_value" | "invalid_list":
            return f"Select one of the options for {_lowered(label)}"
        case "empty":
            return f"The file selected for {_lowered(label)} is empty"
        case "null_characters_not_allowed":
            return unstorable_message(label, data if isinstance(data, str) else "")
    return None


def character_limit(field: forms.Field) -> int | None:
    """The most characters a text box takes, shown before typing by the design system's
    character count (templates/nhsuk/field.html), or None for any other field."""
    if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
        return field.max_length
    return None


class PlainMessages:
    """Words Django's own error messages again in plain English, naming the field by its label;
    any other message is kept. No input carries the browser's ``maxlength``, which cuts pasted
    text short without a word: text over a limit is refused by its message, and a text box with a
    limit counts its characters as they are typed. Every text field refuses what no database
    stores (``ProhibitUnstorableCharactersValidator``), so the person sees the form again with
    what they typed rather than the text boundary's page (pbc/security/text_boundary.py)."""

    bound_field_class = ShownBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators = [
                    ProhibitUnstorableCharactersValidator()
                    if isinstance(each, validators.ProhibitNullCharactersValidator)
                    else each
                    for each in field.validators
                ]
            attrs = field.widget.attrs
            attrs.pop("maxlength", None)
            if character_limit(field) is not None:
                attrs["class"] = " ".join(
                    [*attrs.get("class", "").split(), "nhsuk-js-character-count"]
                )

    def _widget_data_value(self, widget, html_name):
        # A browser sends each line break of a text box as two characters (CR LF) where the
        # person typed one and the character count counted one: the text is read as typed.
        value = super()._widget_data_value(widget, html_name)
        if isinstance(widget, forms.Textarea) and isinstance(value, str):
            return value.replace("\r\n", "\n")
        return value

    def add_error(self, field, error):
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if hasattr(error, "error_dict"):
            error = ValidationError(
                {
                    name: [self._plain(name, each) for each in errors]
                    for name, errors in error.error_dict.items()
                }
            )
        else:
            error = ValidationError([self._plain(field, each) for each in error.error_list])
        super().add_error(field, error)

    def _plain(self, name: str | None, error: ValidationError) -> ValidationError:
        if name in (None, NON_FIELD_ERRORS) or name not in self.fields:
            return error
        if str(error.message) not in _djangos_wording().get(error.code, ()):
            return error  # written for this field or form
        bound = self[name]
        said = plain_message(bound.field, str(bound.label), error.code, error.params, bound.data)
        return error if said is None else ValidationError(said, code=error.code)


class Form(PlainMessages, forms.Form):
    pass


class ModelForm(PlainMessages, forms.ModelForm):
    pass


def unprefixed(name: str) -> str:
    """A posted field's name without its form's prefix or its row: "comment-q-2-body" and
    "q-4-lines-0-hours" as "body" and "hours"."""
    return re.split(r"[-.]", name)[-1]


def forms_read_by(view) -> tuple[type[forms.BaseForm], ...]:
    """The forms a view reads a post with: those a class-based view is given or has as
    ``form_class``, or those a view function declares with ``reads_forms``."""
    if view_class := getattr(view, "view_class", None):
        read = [*view.view_initkwargs.values(), getattr(view_class, "form_class", None)]
    else:
        read = getattr(view, "forms_read", ())
    return tuple(
        form for form in read if isinstance(form, type) and issubclass(form, forms.BaseForm)
    )


def posted_under_labels(form_classes, fields) -> list[tuple[str, str]]:
    """``fields`` as posted to a view reading ``form_classes``, for a person to read: each value
    a visible field of those forms was given, under the field's label, a choice under the words
    it was offered in. Empty values, hidden fields and names no field has are left out."""
    by_name = {}
    for form_class in form_classes:
        for name, field in form_class.base_fields.items():
            if not field.widget.is_hidden:
                by_name.setdefault(name, field)
    shown = []
    for posted, value in fields:
        field = by_name.get(unprefixed(posted))
        if field is None or not value.strip():
            continue
        label = str(field.label or pretty_name(unprefixed(posted)))
        # A model's choices would be read from the database: a plain choice's words are here.
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            value = str(dict(field.choices).get(value, value))
        shown.append((label, value))
    return shown


def reads_forms(*form_classes: type[PlainMessages]):
    """Declares the forms a view function reads a post with, as ``csrf_exempt`` declares an
    exemption: an attribute on the view it returns (``forms_read``), which the decorators
    around it keep.

    Each text field of these forms refuses text no database stores on the field, with its label
    and the form shown again as typed; the text boundary (pbc/security/text_boundary.py) leaves
    such a field to the view only where this says so, and refuses every other field on a page
    of its own. Declaring it on the view lets a reader see which posted fields reach the view
    unchecked by the boundary, whichever helper builds the form. Decision 0475.
    """
    for form_class in form_classes:
        if not issubclass(form_class, PlainMessages):
            raise TypeError(f"{form_class.__name__} does not refuse unstorable text itself")

    def declared(view):
        @wraps(view)
        def reading(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        reading.forms_read = form_classes
        return reading

    return declared


def refuses_unstorable_fields(view):
    """Declares that a view function refuses, itself, every posted field holding text no
    database stores (``request.unstorable_fields``, set by the text boundary), naming each by
    the label its page gives it: the answer of a table names the cell by its column's heading,
    which no posted name says. The text boundary (pbc/security/text_boundary.py) then leaves
    posted fields to the view, a script's save asking for JSON too; a query string and a
    file's name stay refused there."""

    @wraps(view)
    def refusing(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    refusing.refuses_unstorable_fields = True
    return refusing
