"""The success criteria that trigger the reward payment (DacCom 7.3 a-d), each linked to the
milestones (6.2) that evidence it."""

from __future__ import annotations

from consortia.dates import long_date

from ..errors import AnswerInvalid
from . import rows
from .base import NO_PLAN, KindContext
from .milestones import STATUS_LABELS, STATUS_TAGS, MilestonesKind
from .rows import CHOICES, LONG_TEXT, Column, ListKind, RowSpec

CRITERIA = RowSpec(
    name="criteria",
    noun="criterion",
    max_rows=50,
    columns=(
        Column("letter", "Letter", width="2"),
        Column("text", "Success criterion", LONG_TEXT),
        Column("milestones", "Milestones that evidence {which}", CHOICES),
    ),
)


def _milestones(context: KindContext) -> dict:
    return MilestonesKind().figures(context.sibling("milestones"), context=context)


class SuccessCriteriaKind(ListKind):
    template_name = "plans/structured/success_criteria.html"
    spec = CRITERIA

    def clean(self, data, *, context: KindContext = NO_PLAN):
        criteria = rows.clean(data, CRITERIA, what="success criteria")
        known = None
        if context.siblings is not None:
            known = {m["key"] for m in _milestones(context)["milestones"]}
        for i, criterion in enumerate(criteria):
            if not criterion["text"]:
                raise AnswerInvalid("Enter the success criterion.", field=f"criteria[{i}].text")
            if known is not None and any(k not in known for k in criterion["milestones"]):
                raise AnswerInvalid(
                    "A linked milestone no longer exists: reload the page and choose again.",
                    field=f"criteria[{i}].milestones",
                )
        return {"criteria": criteria}

    def figures(self, value, *, context: KindContext) -> dict:
        """Each criterion with the milestones that evidence it (date as a date, status)."""
        by_key = {m["key"]: m for m in _milestones(context)["milestones"]}
        return {
            "criteria": [
                {
                    "letter": criterion.get("letter", ""),
                    "text": criterion["text"],
                    "milestones": [
                        {key: by_key[linked][key] for key in ("key", "item", "due", "status")}
                        for linked in criterion.get("milestones") or []
                        if linked in by_key
                    ],
                }
                for criterion in value.get("criteria") or []
            ]
        }

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        source = cleaned if cleaned is not None else (data or {})
        milestones = _milestones(context)["milestones"]
        by_key = {m["key"]: m for m in milestones}
        criteria = rows.draw(source.get("criteria") or [], CRITERIA)
        for criterion in criteria:
            criterion.fields["milestones"].choices = [(m["key"], m["item"]) for m in milestones]
            linked = [
                by_key[key] for key in criterion.value.get("milestones") or [] if key in by_key
            ]
            criterion.extra = {
                "linked": [
                    {
                        "item": milestone["item"],
                        "due_display": long_date(milestone["due"]) if milestone["due"] else "",
                        "status_label": STATUS_LABELS.get(milestone["status"], ""),
                        "status_tag": STATUS_TAGS.get(milestone["status"], "nhsuk-tag--grey"),
                    }
                    for milestone in linked
                ]
            }
        return {
            "criteria": criteria,
            "has_milestones": bool(milestones),
            "error": rows.place_error(rows.all_fields(criteria), invalid),
        }
