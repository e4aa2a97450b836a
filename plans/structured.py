"""The question kinds: how each reads its value from a form post, checks it, computes its
figures (domain values, by plans/finance.py) and presents them.

Every kind is in ``EVERY_KIND``; the structured ones (projects, funding, hours ...), whose
value is kept in ``answer.data``, are also in ``KINDS``. The answer form, the save service,
the part page, the JSON export and the PDF all go through these registries, so a kind is
defined once.
"""

from typing import Protocol

from .kinds.base import Kind, KindContext


class StructuredKind(Protocol):
    template_name: str

    def from_post(self, post, *, prefix: str, current: dict) -> tuple[dict, str]:
        """The figures as the editor left them, and any row action they pressed."""

    def clean(self, data: dict, *, context: KindContext) -> dict:
        """Checked, normalised figures; raises AnswerInvalid with a message for the field.
        ``context`` lets a kind check against the plan: its year, its milestones."""

    def figures(self, value: dict, *, context: KindContext) -> dict:
        """What the kind computes from its stored value, as domain values (Decimal, date,
        int, stored text): never display strings, CSS classes or locale formatting."""

    def present(self, data: dict, *, context: KindContext) -> dict:
        """The context the kind's template needs, built from the figures."""


def _registry() -> dict[str, StructuredKind]:
    from .kinds.delivery import BusinessCasesKind, MilestonesKind, SuccessCriteriaKind
    from .kinds.funding import (
        DesFundingKind,
        FreedUpResourcesKind,
        HoursKind,
        OutcomeFrameworkKind,
    )
    from .kinds.savings import ProjectsKind, SavingsTargetKind
    from .kinds.self_assessment import SelfAssessmentKind

    return {
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


KINDS: dict[str, StructuredKind] = _registry()


def _every_kind() -> dict[str, Kind]:
    from .kinds.rich_text import RichTextKind
    from .kinds.signoff import SignoffKind
    from .kinds.table import TableKind

    return {"rich_text": RichTextKind(), "table": TableKind(), "signoff": SignoffKind(), **KINDS}


EVERY_KIND: dict[str, Kind] = _every_kind()
