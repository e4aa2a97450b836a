"""Business cases (DacCom Appendices 1-3), deliverables and milestones (6.2: "by [date] we will
deliver [item]") and the success criteria that trigger the reward payment (7.3 a-d), each
linked to the milestones that evidence it."""

from __future__ import annotations

import re
from datetime import date

from django.utils.formats import date_format

from ..errors import AnswerInvalid
from .base import (
    NO_PLAN,
    Field,
    Kind,
    KindContext,
    Rows,
    apply_row_action,
    blank,
    blank_in,
    count,
    place_error,
    plain_to_rich,
    rich,
    rich_to_plain,
    shown,
    text,
    whole,
)

# --------------------------------------------------------------------------------------------
# Business cases
# --------------------------------------------------------------------------------------------

#: The form's ten questions (the third is the patient numbers, with a minimum and a maximum).
CASE_QUESTIONS = (
    ("outline", "Outline of the proposed service change"),
    ("benefit", "Benefit to patients"),
    ("patients_note", "Estimated number of patients the service is likely to cover"),
    ("clinical_evidence", "Evidence of clinical effectiveness"),
    ("patient_support", "Evidence of patient support, including consultation with patients"),
    ("stakeholder_support", "Evidence of stakeholder support"),
    ("costs", "Costs of the service, including any upfront investment"),
    ("freed_up_resources", "Likely value of freed-up resources, and over what timescale"),
    ("priorities", "Links to and impact on local and national priorities"),
    ("risks", "Assessment of risks, including other local providers of a similar service"),
)
TEXT_KEYS = tuple(key for key, _ in CASE_QUESTIONS)
CASE_KEYS = ("project", *TEXT_KEYS, "patients_min", "patients_max")
CASE_ROWS = Rows(
    noun="case", new=lambda: dict.fromkeys(CASE_KEYS, ""), is_empty=blank_in(CASE_KEYS)
)


def patients_display(case: dict) -> str:
    low, high = case["patients_min"], case["patients_max"]
    if low is not None and high is not None:
        return f"{low:,} to {high:,} patients"
    if low is not None:
        return f"At least {low:,} patients"
    return f"Up to {high:,} patients" if high is not None else ""


class BusinessCasesKind(Kind):
    template_name = "plans/structured/business_cases.html"

    def from_post(self, post, *, prefix, current):
        p = f"{prefix}-"
        if f"{p}cases" not in post:
            return current or {}, ""
        cases = []
        for i in range(count(post, f"{p}cases", limit=50)):
            case = {"project": post.get(f"{p}c{i}-project", "")}
            for key in TEXT_KEYS:
                case[key] = plain_to_rich(post.get(f"{p}c{i}-{key}", ""))
            case["patients_min"] = post.get(f"{p}c{i}-patients_min", "")
            case["patients_max"] = post.get(f"{p}c{i}-patients_max", "")
            cases.append(case)
        cases, pressed = apply_row_action(post, cases, CASE_ROWS)
        return {"cases": cases}, pressed

    def clean(self, data, *, context: KindContext = NO_PLAN):
        cases = data.get("cases", [])
        if not isinstance(cases, list) or len(cases) > 50:
            raise AnswerInvalid("The business cases could not be read: reload the page.")
        cleaned = []
        for i, case in enumerate(cases):
            item = {"project": text(case.get("project"), field=f"c{i}-project")}
            for key in TEXT_KEYS:
                item[key] = rich(case.get(key), field=f"c{i}-{key}")
            low = whole(case.get("patients_min"), field=f"c{i}-patients_min", label="The minimum")
            high = whole(case.get("patients_max"), field=f"c{i}-patients_max", label="The maximum")
            if low is not None and high is not None and low > high:
                raise AnswerInvalid(
                    f"The minimum ({low:,}) cannot be more than the maximum ({high:,}).",
                    field=f"c{i}-patients_min",
                )
            item["patients_min"], item["patients_max"] = low, high
            if not item["project"] and not blank(item, CASE_KEYS):
                raise AnswerInvalid(
                    "Enter the project this business case is for.", field=f"c{i}-project"
                )
            cleaned.append(item)
        return {"cases": cleaned}

    def figures(self, value, *, context: KindContext) -> dict:
        """Each case's project and its range of patients (the texts are the stored answer)."""
        return {
            "cases": [
                {
                    "project": case.get("project", ""),
                    "patients_min": case.get("patients_min"),
                    "patients_max": case.get("patients_max"),
                }
                for case in value.get("cases") or []
            ]
        }

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        source = cleaned if cleaned is not None else (data or {})
        computed = self.figures(cleaned, context=context) if cleaned is not None else None
        all_fields, cases = [], []
        for i, case in enumerate(source.get("cases") or []):
            which = f"business case {i + 1}"
            fields = {
                "project": Field(
                    f"c{i}-project",
                    f"Project, {which}",
                    shown(case.get("project")),
                    hidden_label=False,
                ),
                "patients_min": Field(
                    f"c{i}-patients_min",
                    f"Minimum number of patients, {which}",
                    shown(case.get("patients_min")),
                    input="number",
                    width="10",
                ),
                "patients_max": Field(
                    f"c{i}-patients_max",
                    f"Maximum number of patients, {which}",
                    shown(case.get("patients_max")),
                    input="number",
                    width="10",
                ),
            }
            questions = []
            for number, (key, label) in enumerate(CASE_QUESTIONS, start=1):
                field = Field(
                    f"c{i}-{key}",
                    f"{number}. {label}",
                    rich_to_plain(case.get(key) or ""),
                    input="textarea",
                    hidden_label=False,
                )
                fields[key] = field
                questions.append(
                    {
                        "number": number,
                        "label": label,
                        "key": key,
                        "html": case.get(key) or "",
                        "field": field,
                    }
                )
            all_fields += fields.values()
            patients = ""
            if computed is not None:
                patients = patients_display(computed["cases"][i])
            cases.append(
                {
                    "index": i,
                    "fields": fields,
                    "questions": questions,
                    "value": case,
                    "patients": patients,
                }
            )
        return {"cases": cases, "error": place_error(all_fields, invalid)}


# --------------------------------------------------------------------------------------------
# Milestones
# --------------------------------------------------------------------------------------------

STATUSES = (
    ("not_started", "Not started", "nhsuk-tag--grey"),
    ("on_track", "On track", "nhsuk-tag--green"),
    ("at_risk", "At risk", "nhsuk-tag--orange"),
    ("done", "Done", ""),
)
STATUS_LABELS = {value: label for value, label, _ in STATUSES}
STATUS_TAGS = {value: tag for value, _, tag in STATUSES}
MILESTONE_KEYS = ("item", "owner", "due")
MILESTONE_ROWS = Rows(
    noun="milestone",
    new=lambda: {"key": "", "due": None, "item": "", "owner": "", "status": "not_started"},
    is_empty=lambda m: blank(m, ("item", "owner")) and not any((m.get("due") or {}).values()),
)
CRITERION_ROWS = Rows(
    noun="criterion",
    new=lambda: {"letter": "", "text": "", "milestones": []},
    is_empty=blank_in(("letter", "text", "milestones")),
)
_PERIOD = re.compile(r"^(\d{4})/(\d{2})$")


def plan_period(period: str) -> tuple[date, date] | None:
    """The financial year a plan covers: "2006/07" is 1 April 2006 to 31 March 2007."""
    match = _PERIOD.match(period or "")
    if not match:
        return None
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)):
        return None
    return date(start, 4, 1), date(start + 1, 3, 31)


def long_date(value: date) -> str:
    return date_format(value, "j F Y")


def _due(value, *, field: str) -> date | None:
    if value in (None, "", {}):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise AnswerInvalid("Enter a real date, like 31 3 2007.", field=field) from None
    if isinstance(value, dict):
        parts = [str(value.get(k, "") or "").strip() for k in ("day", "month", "year")]
        if not any(parts):
            return None
        if not all(parts):
            missing = [k for k, v in zip(("day", "month", "year"), parts, strict=True) if not v]
            raise AnswerInvalid(f"The date must include a {missing[0]}.", field=field)
        if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
            raise AnswerInvalid("Enter a real date, like 31 3 2007.", field=field)
        try:
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise AnswerInvalid("Enter a real date, like 31 3 2007.", field=field) from None
    raise AnswerInvalid("Enter a real date, like 31 3 2007.", field=field)


class MilestonesKind(Kind):
    template_name = "plans/structured/milestones.html"

    def from_post(self, post, *, prefix, current):
        p = f"{prefix}-"
        if f"{p}milestones" not in post:
            return current or {}, ""
        milestones = []
        for i in range(count(post, f"{p}milestones")):
            milestones.append(
                {
                    "key": post.get(f"{p}m{i}-key", ""),
                    "due": {
                        part: post.get(f"{p}m{i}-due-{part}", "")
                        for part in ("day", "month", "year")
                    },
                    "item": post.get(f"{p}m{i}-item", ""),
                    "owner": post.get(f"{p}m{i}-owner", ""),
                    "status": post.get(f"{p}m{i}-status", "not_started"),
                }
            )
        milestones, pressed = apply_row_action(post, milestones, MILESTONE_ROWS)
        return {"milestones": milestones}, pressed

    def clean(self, data, *, context: KindContext = NO_PLAN):
        milestones = data.get("milestones", [])
        if not isinstance(milestones, list) or len(milestones) > 200:
            raise AnswerInvalid("The milestones could not be read: reload the page.")
        period = plan_period(context.period)
        used = {str(m.get("key")) for m in milestones if isinstance(m, dict) and m.get("key")}
        cleaned = []
        for i, milestone in enumerate(milestones):
            due = _due(milestone.get("due"), field=f"m{i}-due")
            if due is not None and period is not None and not period[0] <= due <= period[1]:
                raise AnswerInvalid(
                    f"The date must be within the plan's year, {long_date(period[0])} to "
                    f"{long_date(period[1])}.",
                    field=f"m{i}-due",
                )
            item = text(milestone.get("item"), field=f"m{i}-item")
            if not item:
                raise AnswerInvalid("Enter what will be delivered.", field=f"m{i}-item")
            status = milestone.get("status") or "not_started"
            if status not in STATUS_LABELS:
                raise AnswerInvalid("Choose a status from the list.", field=f"m{i}-status")
            key = text(milestone.get("key"))
            if not re.fullmatch(r"[a-z0-9-]{1,20}", key or ""):
                number = 1
                while f"m{number}" in used:
                    number += 1
                key = f"m{number}"
                used.add(key)
            cleaned.append(
                {
                    "key": key,
                    "due": due.isoformat() if due else None,
                    "item": item,
                    "owner": text(milestone.get("owner"), field=f"m{i}-owner"),
                    "status": status,
                }
            )
        if len({m["key"] for m in cleaned}) != len(cleaned):
            raise AnswerInvalid("Two milestones have the same key: reload the page.")
        return {"milestones": cleaned}

    def figures(self, value, *, context: KindContext) -> dict:
        """Each milestone with its date as a date, how many are at each status, and the plan
        year the dates fall in."""
        milestones = [
            {
                "key": milestone["key"],
                "due": date.fromisoformat(milestone["due"]) if milestone.get("due") else None,
                "item": milestone["item"],
                "owner": milestone.get("owner", ""),
                "status": milestone["status"],
            }
            for milestone in value.get("milestones") or []
        ]
        period = plan_period(context.period)
        return {
            "milestones": milestones,
            "status_counts": {
                status: sum(1 for m in milestones if m["status"] == status)
                for status, _, _ in STATUSES
            },
            "period_start": period[0] if period else None,
            "period_end": period[1] if period else None,
        }

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        source = cleaned if cleaned is not None else (data or {})
        computed = self.figures(cleaned or {}, context=context)
        all_fields, milestones = [], []
        for i, milestone in enumerate(source.get("milestones") or []):
            which = f"milestone {i + 1}"
            due = milestone.get("due")
            if isinstance(due, str) and due:
                try:
                    due_date = date.fromisoformat(due)
                    due_parts = {
                        "day": due_date.day,
                        "month": due_date.month,
                        "year": due_date.year,
                    }
                except ValueError:
                    due_date, due_parts = None, {}
            else:
                due_date, due_parts = None, dict(due or {})
            fields = {
                "due": Field(f"m{i}-due", f"Date, {which}", due_parts),
                "item": Field(
                    f"m{i}-item",
                    f"We will deliver, {which}",
                    shown(milestone.get("item")),
                    input="textarea",
                ),
                "owner": Field(f"m{i}-owner", f"Owner, {which}", shown(milestone.get("owner"))),
                "status": Field(
                    f"m{i}-status",
                    f"Status, {which}",
                    milestone.get("status") or "not_started",
                    input="select",
                    choices=[(v, label) for v, label, _ in STATUSES],
                ),
            }
            all_fields += fields.values()
            status = milestone.get("status") or "not_started"
            milestones.append(
                {
                    "index": i,
                    "key": milestone.get("key", ""),
                    "fields": fields,
                    "value": milestone,
                    "due_display": long_date(due_date) if due_date else "",
                    "sentence": (
                        f"By {long_date(due_date)} we will deliver"
                        if due_date
                        else "We will deliver (no date set)"
                    ),
                    "status_label": STATUS_LABELS.get(status, status),
                    "status_tag": STATUS_TAGS.get(status, "nhsuk-tag--grey"),
                }
            )
        counts = [
            (label, sum(1 for m in milestones if m["value"].get("status") == value))
            for value, label, _ in STATUSES
        ]
        start, end = computed["period_start"], computed["period_end"]
        return {
            "milestones": milestones,
            "status_counts": counts,
            "period_display": f"{long_date(start)} to {long_date(end)}" if start else "",
            "error": place_error(all_fields, invalid),
        }


# --------------------------------------------------------------------------------------------
# Success criteria
# --------------------------------------------------------------------------------------------


def _getlist(post, name):
    if hasattr(post, "getlist"):
        return post.getlist(name)
    value = post.get(name, [])
    return value if isinstance(value, list) else [value]


class SuccessCriteriaKind(Kind):
    template_name = "plans/structured/success_criteria.html"

    def from_post(self, post, *, prefix, current):
        p = f"{prefix}-"
        if f"{p}criteria" not in post:
            return current or {}, ""
        criteria = [
            {
                "letter": post.get(f"{p}c{i}-letter", ""),
                "text": post.get(f"{p}c{i}-text", ""),
                "milestones": [k for k in _getlist(post, f"{p}c{i}-milestones") if k],
            }
            for i in range(count(post, f"{p}criteria", limit=50))
        ]
        criteria, pressed = apply_row_action(post, criteria, CRITERION_ROWS)
        return {"criteria": criteria}, pressed

    def clean(self, data, *, context: KindContext = NO_PLAN):
        criteria = data.get("criteria", [])
        if not isinstance(criteria, list) or len(criteria) > 50:
            raise AnswerInvalid("The success criteria could not be read: reload the page.")
        known = None
        if context.siblings is not None:
            known = {m.get("key") for m in context.sibling("milestones").get("milestones", [])}
        cleaned = []
        for i, criterion in enumerate(criteria):
            words = text(criterion.get("text"), field=f"c{i}-text")
            if not words:
                raise AnswerInvalid("Enter the success criterion.", field=f"c{i}-text")
            linked = [text(k) for k in criterion.get("milestones") or [] if text(k)]
            if known is not None and any(k not in known for k in linked):
                raise AnswerInvalid(
                    "A linked milestone no longer exists: reload the page and choose again.",
                    field=f"c{i}-milestones",
                )
            cleaned.append(
                {
                    "letter": text(criterion.get("letter"), field=f"c{i}-letter"),
                    "text": words,
                    "milestones": list(dict.fromkeys(linked)),
                }
            )
        return {"criteria": cleaned}

    def figures(self, value, *, context: KindContext) -> dict:
        """Each criterion with the milestones that evidence it (date as a date, status)."""
        milestones = MilestonesKind().figures(context.sibling("milestones"), context=context)
        by_key = {m["key"]: m for m in milestones["milestones"]}
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
        milestones = MilestonesKind().figures(context.sibling("milestones"), context=context)
        by_key = {m["key"]: m for m in milestones["milestones"]}
        choices = [(m["key"], m["item"]) for m in milestones["milestones"]]
        all_fields, criteria = [], []
        for i, criterion in enumerate(source.get("criteria") or []):
            which = f"criterion {i + 1}"
            fields = {
                "letter": Field(
                    f"c{i}-letter", f"Letter, {which}", shown(criterion.get("letter")), width="2"
                ),
                "text": Field(
                    f"c{i}-text",
                    f"Success criterion, {which}",
                    shown(criterion.get("text")),
                    input="textarea",
                ),
                "milestones": Field(
                    f"c{i}-milestones",
                    f"Milestones that evidence {which}",
                    list(criterion.get("milestones") or []),
                    input="checkboxes",
                    choices=choices,
                ),
            }
            all_fields += fields.values()
            linked = []
            for key in criterion.get("milestones") or []:
                milestone = by_key.get(key)
                if milestone is None:
                    continue
                linked.append(
                    {
                        "item": milestone["item"],
                        "due_display": long_date(milestone["due"]) if milestone["due"] else "",
                        "status_label": STATUS_LABELS.get(milestone["status"], ""),
                        "status_tag": STATUS_TAGS.get(milestone["status"], "nhsuk-tag--grey"),
                    }
                )
            criteria.append({"index": i, "fields": fields, "value": criterion, "linked": linked})
        return {
            "criteria": criteria,
            "has_milestones": bool(by_key),
            "error": place_error(all_fields, invalid),
        }
