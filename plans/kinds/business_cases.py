"""Business cases (DacCom Appendices 1-3): the form's questions for each proposed service
change, with the estimated number of patients as a minimum and a maximum. The questions are
the template's ``questions`` parameter; a template that lists none gets the ten of the
DacCom form, the first that had this appendix (docs/decisions/0402)."""

from __future__ import annotations

from ..errors import AnswerInvalid
from . import rows
from .base import NO_PLAN, QUESTIONS_PARAMETER, KindContext, Parameter
from .rows import RICH, WHOLE, Column, ListKind, RowSpec, figure_column

#: The questions of a template that lists none (the third is the patient numbers, with a
#: minimum and a maximum). A question keyed "patients_note" is where the range is asked.
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
PATIENTS_QUESTION = "patients_note"


def cases_spec(questions) -> RowSpec:
    """The rows of business cases asking ``questions``, (key, label) pairs."""
    return RowSpec(
        name="cases",
        noun="case",
        called="business case",
        max_rows=50,
        columns=(
            Column("project", "Project", visible_label=True),
            *(
                Column(key, f"{number}. {label}", RICH, visible_label=True)
                for number, (key, label) in enumerate(questions, start=1)
            ),
            figure_column(
                "patients_min", "Minimum number of patients", WHOLE, said="The minimum"
            ),
            figure_column(
                "patients_max", "Maximum number of patients", WHOLE, said="The maximum"
            ),
        ),
    )  # fmt: skip


CASES = cases_spec(CASE_QUESTIONS)


def patients_display(case: dict) -> str:
    low, high = case["patients_min"], case["patients_max"]
    if low is not None and high is not None:
        return f"{low:,} to {high:,} patients"
    if low is not None:
        return f"At least {low:,} patients"
    return f"Up to {high:,} patients" if high is not None else ""


class BusinessCasesKind(ListKind):
    template_name = "plans/structured/business_cases.html"
    PARAMETERS = {
        "questions": Parameter(
            QUESTIONS_PARAMETER,
            "the questions asked of each business case: rows of {key, label}; the one keyed "
            f"'{PATIENTS_QUESTION}' also asks for the number of patients",
        ),
    }

    @property
    def questions(self) -> tuple[tuple[str, str], ...]:
        given = self.parameters.get("questions")
        if not given:
            return CASE_QUESTIONS
        return tuple((row["key"], row["label"]) for row in given)

    @property
    def spec(self) -> RowSpec:
        return CASES if self.questions == CASE_QUESTIONS else cases_spec(self.questions)

    def clean(self, data, *, context: KindContext = NO_PLAN):
        cases = rows.clean(data, self.spec, what="business cases")
        for i, case in enumerate(cases):
            low, high = case["patients_min"], case["patients_max"]
            if low is not None and high is not None and low > high:
                raise AnswerInvalid(
                    f"The minimum ({low:,}) cannot be more than the maximum ({high:,}).",
                    field=f"cases[{i}].patients_min",
                )
            if not case["project"] and not self.spec.empty(case):
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
        source, computed, invalid = self.for_screen(data, context=context)
        cases = rows.draw(source.get("cases") or [], self.spec)
        keys = [key for key, _ in self.questions]
        # The range of patients is asked with its question, or after the last.
        patients_after = PATIENTS_QUESTION if PATIENTS_QUESTION in keys else keys[-1]
        for case in cases:
            case.extra = {
                "questions": [
                    {
                        "number": number,
                        "label": label,
                        "key": key,
                        "html": case.value.get(key) or "",
                        "field": case.fields[key],
                        "patients": key == patients_after,
                    }
                    for number, (key, label) in enumerate(self.questions, start=1)
                ],
                "patients": (
                    patients_display(computed["cases"][case.index]) if computed is not None else ""
                ),
            }
        return {"cases": cases, "error": rows.place_error(rows.all_fields(cases), invalid)}
