"""Riverside PCT's two forms, as a walker wrote them (not DacCom's): its commissioning intentions
return, whose management allowance (a des_funding question) asks nothing of the practices, signed
by the consortium's chair, then the PCT's Director of Finance, then its Chief Executive; and its
locality note, which ends at the approval of the PCT's Professional Executive Committee."""

import io

import docx

from plans import services as plan_services
from plans import template_files
from plans.models import Plan
from tests.factories import CommissionerFactory, ConsortiumFactory, PracticeFactory

PEC = "Riverside PCT Professional Executive Committee"

RETURN = {
    "slug": "riverside-pct-plan-2008",
    "family": "riverside-pct-plan",
    "issuer": "riverside-pct",
    "name": "Riverside PCT Commissioning Intentions Return",
    "version_label": "2008/09 issue 1.0",
    "status": "published",
    "signatories": [
        {"title": "Chair, Riverside Commissioning Consortium", "side": "consortium",
         "position": "Chair"},
        {"title": "Director of Finance, Riverside PCT", "side": "pct",
         "position": "Director of Finance"},
        {"title": "Chief Executive, Riverside PCT", "side": "pct", "position": "Chief Executive"},
    ],
    "parts": [
        {
            "key": "intentions",
            "number": "II",
            "title": "Commissioning intentions",
            "questions": [
                {"key": "narrative", "number": "II.1", "completed_by": "consortium",
                 "title": "What the consortium will commission differently", "kind": "rich_text"},
                {
                    "key": "allowance",
                    "number": "II.3",
                    "title": "Riverside management allowance",
                    "completed_by": "consortium",
                    "kind": "des_funding",
                    "parameters": {
                        "rate_per_patient": "2.25",
                        "practices_share_percent": "55",
                        "labels": {
                            "population": "Registered patients (1 April 2008)",
                            "caption": "Riverside management allowance",
                            "total": "Allowance for the year",
                            "to_practices": "Paid in April",
                            "held_by_pct": "Paid in March on delivery",
                            "note": "Riverside pays the allowance in two instalments.",
                        },
                    },
                },
            ],
        }
    ],
}  # fmt: skip

NOTE = {
    "slug": "riverside-locality-note-2008",
    "family": "riverside-locality-note",
    "issuer": "riverside-pct",
    "name": "Riverside PCT Locality Commissioning Note",
    "version_label": "2008 v1",
    "status": "published",
    "approved_by": PEC,
    "return_instructions": "<p>Send the note to the commissioning office.</p>",
    "parts": [
        {
            "key": "note",
            "number": "1",
            "title": "Locality note",
            "questions": [
                {
                    "key": "summary",
                    "number": "1.1",
                    "title": "Summary of the locality's intentions",
                    "completed_by": "consortium",
                    "kind": "rich_text",
                },
            ],
        }
    ],
}


def riverside_plan(definition: dict, *, title: str) -> Plan:
    """A plan of Riverside's consortium (two practices) on ``definition``, every text answered."""
    pct = CommissionerFactory(slug="riverside-pct", name="Riverside PCT")
    consortium = ConsortiumFactory(commissioner=pct, name="Riverside Commissioning Consortium")
    PracticeFactory(consortium=consortium, name="Weir Road Surgery", code="R81001", list_size=7000)
    PracticeFactory(consortium=consortium, name="Bridge Practice", code="R81002", list_size=5000)
    plan = plan_services.plan_create(
        consortium=consortium,
        template=template_files.store(definition),
        period="2008/09",
        title=title,
    )
    plan.answers.filter(question__kind="rich_text").update(text="<p>Answered.</p>", version=1)
    return plan


def word_text(data: bytes) -> str:
    """Every paragraph, header and table cell of a Word export, as one line of words."""
    document = docx.Document(io.BytesIO(data))
    text = [p.text for p in document.paragraphs]
    text += [p.text for section in document.sections for p in section.header.paragraphs]
    text += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(text).split())
