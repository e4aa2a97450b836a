"""What every kind shares: the protocol (``Kind``: value_from_post, clean, figures, present),
the plan around an answer (``KindContext``), reading numbers and text typed into a form, and
the input a template draws (``Field``). Lists and tables are plans/kinds/rows.py.

Figures are stored in ``answer.data`` as JSON: money, rates and percentages as decimal strings
("153000", "1.50", "60"), whole numbers as ints, so nothing is ever a float.

Field names: every input is named by its path in the answer's value
("projects[0].targets[1].planned_saving"), after the answer form's prefix; a refusal
(``AnswerInvalid``) carries the same path in ``field``, and so does plans/finance.py.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal
from typing import TYPE_CHECKING

from consortia.numbers import NotANumber, finer_than_pence, in_pence, read_number
from consortia.plain_forms import SURROGATES, UNSTORABLE, unstorable_message

from ..errors import AnswerInvalid
from ..finance import FinanceInputError
from ..sanitise import clean_html, html_to_text, plain_text

if TYPE_CHECKING:
    from .rows import RowSpec

ACTION = "row-action"  # the name answers.mjs lets through as an ordinary form post
MAX_ROWS = 200
#: the three boxes a date is typed in, each named after the cell ("due-day")
DATE_PARTS = ("day", "month", "year")
MAX_TEXT = 20_000
MAX_DECIMAL_PLACES = 6
SMALLEST_STEP = Decimal(1).scaleb(-MAX_DECIMAL_PLACES)
# A figure is less than a million million (12 digits before the point): more is a slip.
LARGEST_DIGITS = 12


@dataclass
class Field:
    """One input as a template draws it: ``name`` without the form prefix."""

    name: str
    label: str
    value: object = ""
    error: str = ""
    input: str = "text"  # text | number | textarea | select | money | percent
    width: str = ""  # an nhsuk-input--width-N class suffix, e.g. "10"
    hint: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    hidden_label: bool = True
    #: read by screen readers after a visible label ("Number" + ", project 1")
    label_suffix: str = ""


def cell_key(field: str) -> str:
    """The key of the cell an input's name ends in: "area" for "rows[0].area", "due" for
    "milestones[1].due-day" (one of a date's boxes)."""
    last = re.split(r"[.\]]", field)[-1]
    cell, _, box = last.rpartition("-")
    return cell if box in DATE_PARTS else last


def cell_said(label: str) -> str:
    """A cell as a refusal names it: by its label in quotes ("“Development area”"), "This
    text" where it has none."""
    return f"“{label}”" if label else "This text"


def within_limit(value: str, *, field: str) -> str:
    """``value`` if it fits, else a refusal on its field: a long text is never cut (a cut
    drops the rest while the save says it succeeded, and can break the markup in half)."""
    if len(value) > MAX_TEXT:
        raise AnswerInvalid(
            f"This text is {len(value):,} characters long; the most it can hold is "
            f"{MAX_TEXT:,}. Shorten it or move detail into an appendix.",
            field=field,
        )
    return value


def text(value, *, field: str = "", said: str = "This text") -> str:
    """Plain text as typed (``plain_text``): "a<b>c" stays "a<b>c", never stripped as markup;
    templates, the PDF and the exports escape it when shown. The limit is checked on what was
    typed; a character no database stores is refused on its field, as the form's is, naming
    it as ``said`` ("“Development area”")."""
    if value in (None, ""):
        return ""
    value = within_limit(str(value), field=field)
    if UNSTORABLE.search(value):
        raise AnswerInvalid(unstorable_message(said, value), field=field)
    return plain_text(value)


def rich(value, *, field: str = "") -> str:
    """Sanitised HTML; the limit is checked on what was typed, before cleaning."""
    return clean_html(within_limit(str(value or ""), field=field))


def rich_to_plain(value: str) -> str:
    """Stored HTML as the plain text shown in a text area: one paragraph a line."""
    value = re.sub(r"(?i)<br\s*/?>", "\n", value or "")
    value = re.sub(r"(?i)</(p|li|h[2-4])>", "\n", value)
    return html_to_text(value)


def plain_to_rich(value: str) -> str:
    """Text typed in a text area as paragraphs of HTML, escaped."""
    lines = [line.strip() for line in str(value or "").splitlines()]
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line)


def decimal(
    value,
    *,
    field: str,
    label: str,
    allow_negative: bool = False,
    like: str = "1500 or 1.25",
    what: str = "a number",
    pounds: bool = False,
) -> Decimal | None:
    """A typed amount ("£1,234.50", "1 234.5", 1234) as a Decimal, read by the one rule for
    typed numbers (consortia/numbers.py: no "1e3", "1_000" or "١٢٣"); blank is None. ``what``
    the figure must be and ``like``, an example, word a refusal of text that is no number. With
    ``pounds`` it is an amount of money, refused with more than two decimal places; a rate or a
    percentage may have up to six (docs/decisions/0467)."""
    not_a_number = f"{label} must be {what}, like {like}."
    if value is None:
        return None
    if isinstance(value, bool | float):
        raise AnswerInvalid(f"{label} could not be read: enter a number.", field=field)
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        try:
            number = read_number(str(value))
        except NotANumber:
            raise AnswerInvalid(not_a_number, field=field) from None
        if number is None:
            return None
    if not number.is_finite():
        raise AnswerInvalid(not_a_number, field=field)
    if number < 0 and not allow_negative:
        raise AnswerInvalid(f"{label} cannot be negative.", field=field)
    # Measured without arithmetic: abs() of "1e999999999" overflows the decimal context.
    if number.adjusted() >= LARGEST_DIGITS:
        largest = f"{10**LARGEST_DIGITS:,}"
        raise AnswerInvalid(
            f"{label} must be more than -{largest} and less than {largest}."
            if allow_negative
            else f"{label} must be less than {largest}.",
            field=field,
        )
    if pounds and not in_pence(number):
        raise AnswerInvalid(finer_than_pence(label), field=field)
    # "1e-999999999" would be written out as a billion digits when stored.
    if number != number.quantize(SMALLEST_STEP):
        raise AnswerInvalid(
            f"{label} can have at most {MAX_DECIMAL_PLACES} decimal places.", field=field
        )
    return number


def whole(value, *, field: str, label: str) -> int | None:
    """A typed whole number; "12.7" and "1e3" are refused in the same words."""
    like = "1500"
    number = decimal(value, field=field, label=label, what="a whole number", like=like)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise AnswerInvalid(f"{label} must be a whole number, like {like}.", field=field)
    return int(number)


def stored(number: Decimal | None) -> str:
    """A Decimal as the string kept in answer.data ("153000", "1.25")."""
    if number is None:
        return ""
    if number == 0:
        return "0"  # "-0" is a sign left on nothing
    # Trailing zeros dropped before writing it out: "0E-999999999" is zero, not a billion
    # digits to strip. The context is wide enough that nothing is rounded.
    exact = Context(prec=max(len(number.as_tuple().digits), 28), Emax=MAX_EMAX, Emin=MIN_EMIN)
    text_value = f"{number.normalize(exact):f}"
    if "." in text_value:
        text_value = text_value.rstrip("0").rstrip(".")
    return text_value or "0"


def shown(value) -> str:
    """A stored or posted figure as it goes back into an input: half a surrogate pair, which
    no page can be written with, as the replacement character (the save refused it), as a
    form's field shows it (``consortia.plain_forms.ShownBoundField``)."""
    if value is None:
        return ""
    return SURROGATES.sub("\ufffd", str(value))


def count(post, name: str, *, limit: int = MAX_ROWS) -> int:
    try:
        return max(0, min(int(post.get(name, "0")), limit))
    except (TypeError, ValueError):
        return 0


def action(post) -> tuple[str, list[int]]:
    """The row button pressed: ("add-target", [2]) for "add-target-2"; ("", []) for Save."""
    value = str(post.get(ACTION, "") or "")
    parts = value.split("-")
    numbers = []
    while parts and parts[-1].isdigit():
        numbers.insert(0, int(parts.pop()))
    return "-".join(parts), numbers


def refused(error: FinanceInputError) -> AnswerInvalid:
    """A finance refusal as an answer refusal: plans/finance.py names the field by the same
    path the input has (plans/kinds/rows.py), so the message lands on it as it is."""
    return AnswerInvalid(error.message, field=error.field or "")


def blank(mapping: dict, keys) -> bool:
    return all(mapping.get(key) in (None, "", [], {}) for key in keys)


@dataclass(frozen=True)
class PracticeStanding:
    """Where one of the consortium's practices stands in the plan: its newest participation
    record, or none (docs/decisions/0435)."""

    practice_id: int
    name: str
    code: str
    list_size: int | None
    lead_id: int | None
    #: "confirmed", "withdrawn", or "" when nothing is recorded
    state: str = ""
    means: str = ""
    on: date | None = None
    recorded_by: str = ""

    @property
    def confirmed(self) -> bool:
        return self.state == "confirmed"


@dataclass(frozen=True)
class KindContext:
    """What a kind may know of the plan around its answer, passed in explicitly (built once
    per plan by ``plans.selectors.kind_context``): the plan year, the consortium's declared
    population and commissioner, and the stored values of the plan's structured answers by
    kind (4.4 reads 4.2, 7.3 reads 6.2). ``siblings`` is None outside a plan: then a kind
    makes no check against its siblings."""

    period: str = ""
    declared_population: int | None = None
    commissioner: str = ""
    siblings: Mapping[str, dict] | None = None
    #: the consortium's practices by name, the choices of a table's practice column
    practices: tuple[str, ...] = ()
    #: where each practice stands in the plan, in the consortium's order
    participation: tuple[PracticeStanding, ...] = ()

    def sibling(self, kind: str) -> dict:
        return (self.siblings or {}).get(kind) or {}


NO_PLAN = KindContext()

#: How a template's ``parameters`` give a figure or a label (plans/template_files.py checks them).
MONEY_PARAMETER, PERCENT_PARAMETER, WHOLE_PARAMETER, CHOICE_PARAMETER = (
    "money", "percent", "whole", "choice",
)  # fmt: skip
LABELS_PARAMETER, SCALE_PARAMETER, QUESTIONS_PARAMETER = "labels", "scale", "questions"


@dataclass(frozen=True)
class Parameter:
    """One setting a template may give a kind: a figure the calculator uses instead of asking
    for it (a rate per patient, a share), the labels it shows, a list of rows (a sliding
    scale, the business-case questions) or a choice (``choices``)."""

    type: str
    description: str
    choices: tuple[str, ...] = ()
    #: the smallest and largest figure allowed, as text ("1", "53"); "" for no bound
    minimum: str = ""
    maximum: str = ""
    #: for ``labels``: the label names and what each is shown for
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AnswerWarning:
    """What is inconsistent in an answer that may be saved as a draft but not submitted
    (weightings that do not add up to 100%), placed on ``field`` like a refusal."""

    message: str
    field: str = ""


class Kind:
    """Base for the kinds. ``figures`` gives what a kind computes from its stored value as
    domain values (Decimal, date, int, stored text), for the plan's content, the JSON export
    and the signed hash; ``present`` builds the screen from those figures."""

    template_name = ""
    #: the settings a template may give this kind (docs/decisions/0400): name -> Parameter
    PARAMETERS: Mapping[str, Parameter] = {}
    #: the labels the kind shows unless the template names them its own way
    LABELS: Mapping[str, str] = {}
    #: this question's settings, as its template gives them (``configured``)
    parameters: Mapping = {}

    def configured(self, parameters: Mapping | None) -> Kind:
        """This kind as one question of a template sets it up: its rates and labels."""
        if not parameters:
            return self
        kind = copy.copy(self)
        kind.parameters = dict(parameters)
        return kind

    def label(self, name: str) -> str:
        """A label the kind shows, the template's own when it gives one."""
        return (self.parameters.get("labels") or {}).get(name) or self.LABELS[name]

    def labels(self) -> dict[str, str]:
        return {name: self.label(name) for name in self.LABELS}

    def on_page(self, number: int) -> Kind:
        """This kind showing page ``number`` of a long list on a web page. Only a kind whose
        list can outgrow a page (the projects' 5,000 targets) pages it; the PDF, the exports and
        every total always take the whole answer."""
        return self

    def page_of(self, name: str, value: dict) -> int | None:
        """The page of a paged list on which the input ``name`` is drawn, or None when the
        whole list is on one page."""
        return None

    def fixed(self, name: str) -> Decimal | None:
        """A figure the template sets (a rate, a share), or None where the answer gives it."""
        value = self.parameters.get(name)
        # Read by the rule its file was checked with (plans/parameters.py): "1,500.00" too.
        try:
            return None if value is None else read_number(str(value))
        except NotANumber:
            # A form loaded before that rule applied to definition files (decision 0344) may
            # hold "1e3": it reads as it always did, so its signed figures do not move.
            return Decimal(str(value))

    def settled(self, name: str, given: Decimal | None, *, shown: str) -> Decimal | None:
        """The figure ``name``: the template's where it sets one (a different figure typed in
        is refused, never replaced silently), else what the answer gives."""
        fixed = self.fixed(name)
        if fixed is None:
            return given
        if given is not None and given != fixed:
            raise AnswerInvalid(
                f"The form sets this at {shown}: it cannot be changed in a plan.", field=name
            )
        return fixed

    def warnings(self, value, *, context: KindContext) -> list[AnswerWarning]:
        """What is inconsistent in a saved value: kept as a draft, it blocks submission."""
        return []

    def value_of(self, answer) -> dict:
        """The part of an answer this kind stores its value in."""
        return (answer.data if answer is not None else None) or {}

    def checked(self, data, *, context: KindContext):
        """(cleaned data or None, the refusal or None)."""
        try:
            return self.clean(data or {}, context=context), None
        except AnswerInvalid as invalid:
            return None, invalid

    def figures(self, value, *, context: KindContext) -> dict:
        return {}

    def row_spec(self) -> RowSpec | None:
        """The rows this kind's inputs are drawn in, to say which row an input is in; None for
        a kind whose inputs are in no list."""
        return None

    def input_label(self, field: str) -> str:
        """The label the page gives the input named ``field`` ("lines[0].hours" is "Hours"),
        or "" where this kind draws no input by that name."""
        return self.printed_columns().get(cell_key(field), {}).get("label", "")

    def printed_columns(self) -> dict[str, dict]:
        """{stored key: the column it is printed under} (``rows.Column.printed``), so a list
        of changes shows a stored figure as the page does: "£111,111", not 111111. A key
        naming a mapping prints every value in it; a key left out prints as stored."""
        return {}

    def for_screen(self, data, *, context: KindContext) -> tuple[dict, dict | None, object]:
        """(the value to draw, its figures or None while it is refused, the refusal or None):
        what ``present`` starts from, posted figures showing their refusal."""
        cleaned, invalid = self.checked(data, context=context)
        if cleaned is None:
            return data or {}, None, invalid
        return cleaned, self.figures(cleaned, context=context), invalid
