"""The question kinds: how each reads its value from a form post, checks it, computes its
figures (domain values, by plans/finance.py) and presents them, in the spirit of Wagtail's
blocks (docs/decisions/0300).

Every kind is in ``EVERY_KIND``; the structured ones (projects, funding, hours ...), whose
value is kept in ``answer.data``, are also in ``KINDS``. The answer form, the save service,
the part page, the JSON export and the PDF all go through these registries, so a kind is
defined once, in a module of its own under plans/kinds/.
"""

from typing import Protocol

from .kinds.base import Kind, KindContext
from .kinds.business_cases import BusinessCasesKind
from .kinds.des_funding import DesFundingKind
from .kinds.freed_up_resources import FreedUpResourcesKind
from .kinds.hours import HoursKind
from .kinds.milestones import MilestonesKind
from .kinds.outcome_framework import OutcomeFrameworkKind
from .kinds.projects import ProjectsKind
from .kinds.rich_text import RichTextKind
from .kinds.savings_target import SavingsTargetKind
from .kinds.self_assessment import SelfAssessmentKind
from .kinds.signoff import SignoffKind
from .kinds.success_criteria import SuccessCriteriaKind
from .kinds.table import TableKind
from .models import QuestionKind


class StructuredKind(Protocol):
    template_name: str

    def value_from_post(self, post, *, prefix: str, current: dict) -> tuple[dict, str]:
        """The value as the editor left it, and any row button they pressed."""

    def clean(self, data: dict, *, context: KindContext) -> dict:
        """Checked, normalised value; raises AnswerInvalid with a message for the field (its
        path). ``context`` lets a kind check against the plan: its year, its milestones."""

    def figures(self, value: dict, *, context: KindContext) -> dict:
        """What the kind computes from its stored value, as domain values (Decimal, date,
        int, stored text): never display strings, CSS classes or locale formatting."""

    def present(self, data: dict, *, context: KindContext) -> dict:
        """The context the kind's template needs, built from the figures."""


KINDS: dict[str, StructuredKind] = {
    "projects": ProjectsKind(),
    "savings_target": SavingsTargetKind(),
    "business_cases": BusinessCasesKind(),
    "milestones": MilestonesKind(),
    "success_criteria": SuccessCriteriaKind(),
    "hours": HoursKind(),
    "des_funding": DesFundingKind(),
    "outcome_framework": OutcomeFrameworkKind(),
    "freed_up_resources": FreedUpResourcesKind(),
    "self_assessment": SelfAssessmentKind(),
}
EVERY_KIND: dict[str, Kind] = {
    "rich_text": RichTextKind(),
    "table": TableKind(),
    "signoff": SignoffKind(),
    **KINDS,
}


def kind_for(question) -> Kind:
    """The kind of one question: a table's is built for its columns, a structured kind set up
    with the rates and labels its template gives (docs/decisions/0400)."""
    if question.kind == QuestionKind.TABLE:
        return TableKind(question.columns)
    return EVERY_KIND[question.kind].configured(getattr(question, "parameters", None))


def structured_kind(question) -> StructuredKind | None:
    """The structured kind of one question, set up by its template, or None for text,
    tables and the sign-off block."""
    if question.kind not in KINDS:
        return None
    return kind_for(question)


def figured_kind(question) -> Kind | None:
    """The kind of a question whose answer is figures (a table or a structured kind), or None
    for text and the sign-off block: only these read what a kind knows of the plan."""
    if question.kind != QuestionKind.TABLE and question.kind not in KINDS:
        return None
    return kind_for(question)


def figure_columns(question) -> dict[str, dict]:
    """How a list of changes prints the stored figures of ``question``'s answer: its kind's
    ``printed_columns``; none for text, tables and questions no longer on the form."""
    kind = structured_kind(question) if question is not None else None
    return kind.printed_columns() if kind is not None else {}
