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

    def clean(self, data: dict) -> dict:
        """Checked, normalised figures; raises AnswerInvalid with a message for the field."""

    def present(self, data: dict, *, plan) -> dict:
        """The context the kind's template needs, every figure computed."""


KINDS: dict[str, StructuredKind] = {}
