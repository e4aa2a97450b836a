"""The structured question kinds (projects, funding, hours ...): how each reads its figures
from a form post, checks them, and presents them with everything computed by plans/finance.py.

Each kind registers a ``StructuredKind`` in ``KINDS``. The answer form, the save service, the
part page, the JSON export and the PDF all go through this registry, so a kind is defined once.
"""

from typing import Protocol


class StructuredKind(Protocol):
    template_name: str

    def from_post(self, post, *, prefix: str, current: dict) -> tuple[dict, str]:
        """The figures as the editor left them, and any row action they pressed."""

    def clean(self, data: dict, *, plan=None) -> dict:
        """Checked, normalised figures; raises AnswerInvalid with a message for the field.
        ``plan`` (when given) lets a kind check against the plan: its year, its milestones."""

    def present(self, data: dict, *, plan) -> dict:
        """The context the kind's template needs, every figure computed."""


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
