"""Business cases (DacCom Appendices 1-3): the form's ten questions for each proposed service
change, with the estimated number of patients as a minimum and a maximum."""

from __future__ import annotations

from ..errors import AnswerInvalid
from . import rows
from .base import NO_PLAN, Kind, KindContext
from .rows import RICH, WHOLE, Column, RowSpec

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
CASES = RowSpec(
    name="cases",
    noun="case",
    called="business case",
    max_rows=50,
    columns=(
        Column("project", "Project", visible_label=True),
        *(
            Column(key, f"{number}. {label}", RICH, visible_label=True)
            for number, (key, label) in enumerate(CASE_QUESTIONS, start=1)
        ),
        Column("patients_min", "Minimum number of patients", WHOLE, width="10", said="The minimum"),
        Column("patients_max", "Maximum number of patients", WHOLE, width="10", said="The maximum"),
    ),
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

    def value_from_post(self, post, *, prefix, current):
        if not rows.posted(post, prefix=prefix, spec=CASES):
            return current or {}, ""
        cases, pressed = rows.apply_action(post, rows.read(post, prefix=prefix, spec=CASES), CASES)
        return {"cases": cases}, pressed

    def clean(self, data, *, context: KindContext = NO_PLAN):
        cases = rows.clean(data, CASES, what="business cases")
        for i, case in enumerate(cases):
            low, high = case["patients_min"], case["patients_max"]
            if low is not None and high is not None and low > high:
                raise AnswerInvalid(
                    f"The minimum ({low:,}) cannot be more than the maximum ({high:,}).",
                    field=f"cases[{i}].patients_min",
                )
            if not case["project"] and not CASES.empty(case):
                raise AnswerInvalid(
                    "Enter the project this business case is for.", field=f"cases[{i}].project"
                )
        return {"cases": cases}

    def figures(self, value, *, context: KindContext) -> dict:
        """Each case's project and its range of patients (the texts are the stored answer)."""
        return {
            "cases": [
                {key: case.get(key) for key in ("project", "patients_min", "patients_max")}
                for case in value.get("cases") or []
            ]
        }

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        source = cleaned if cleaned is not None else (data or {})
        computed = self.figures(cleaned, context=context) if cleaned is not None else None
        cases = rows.draw(source.get("cases") or [], CASES)
        for case in cases:
            case.extra = {
                "questions": [
                    {
                        "number": number,
                        "label": label,
                        "key": key,
                        "html": case.value.get(key) or "",
                        "field": case.fields[key],
                    }
                    for number, (key, label) in enumerate(CASE_QUESTIONS, start=1)
                ],
                "patients": (
                    patients_display(computed["cases"][case.index]) if computed is not None else ""
                ),
            }
        return {"cases": cases, "error": rows.place_error(rows.all_fields(cases), invalid)}
